import type { z } from 'zod';
import type { Api, Area, Args, Method, Value } from '../../shared/ipc/contract.ts';
import { invokeChannels, type ChannelKind } from '../../shared/ipc/channels.ts';
import { inputSchemas } from '../../shared/ipc/schemas.ts';
import { appError, err, type Result } from '../../shared/errors/result.ts';
import type { AuditJournal } from '../audit/audit-journal.ts';
import { vaultFailure } from '../platform/credential-vault.ts';
import type { Logger } from '../platform/logger.ts';
import type { EventBus } from '../platform/event-bus.ts';

/** What a mutating handler tells the journal about the change it made. */
export interface AuditNote {
  connectionId?: string | null;
  object?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Per-call context handed to every handler. */
export interface HandlerContext {
  readonly operator: string;
  readonly signal: AbortSignal;
  /** Filled in by mutating handlers; the router writes it to the audit journal. */
  readonly audit: AuditNote;
}

type Handler<A extends Area, M extends Method<A>> = (
  args: Args<A, M>,
  ctx: HandlerContext,
) => Promise<Result<Value<A, M>>> | Result<Value<A, M>>;

/** The handlers of one area. */
export type AreaHandlers<A extends Area> = { readonly [M in Method<A>]: Handler<A, M> };

/** Every handler; the compiler rejects a missing one. */
export type HandlerTable = { readonly [A in Area]: AreaHandlers<A> };

/** Dependencies of the router. */
export interface RouterDeps {
  readonly handlers: HandlerTable;
  readonly journal: AuditJournal;
  readonly logger: Logger;
  readonly events: EventBus;
  readonly operator: string;
}

/**
 * Turns `<area>.<method>` calls with untrusted arguments into Results: validates input, runs the
 * handler, converts throws into `internal`, and journals every mutating call. Transport-agnostic.
 */
export class Router {
  private readonly deps: RouterDeps;

  constructor(deps: RouterDeps) {
    this.deps = deps;
  }

  /** Handles one call; never throws. */
  async dispatch(channel: string, rawArgs: unknown, signal: AbortSignal = new AbortController().signal): Promise<Result<unknown>> {
    const [area, method, ...rest] = channel.split('.');
    const kind = lookupKind(area, method);
    if (kind === null || rest.length > 0) return err('input.invalid', `Unknown operation "${channel}".`);
    const schema = (inputSchemas as unknown as Record<string, Record<string, z.ZodType>>)[area!]![method!]!;
    const parsed = schema.safeParse(Array.isArray(rawArgs) ? rawArgs : [rawArgs]);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
      return err('input.invalid', `Invalid input for ${channel}: ${issues.join('; ')}`, { detail: { issues } });
    }
    const ctx: HandlerContext = { operator: this.deps.operator, signal, audit: {} };
    const handler = (this.deps.handlers as unknown as Record<string, Record<string, (a: unknown, c: HandlerContext) => unknown>>)[area!]![method!]!;
    let result: Result<unknown>;
    try {
      result = (await handler(parsed.data, ctx)) as Result<unknown>;
    } catch (error) {
      const vault = vaultFailure(error);
      if (signal.aborted) {
        result = err('cancelled', `${channel} was cancelled.`);
      } else if (vault) {
        // The keychain (or vault file) is down or locked: an expected state whose message says what to do.
        this.deps.logger.warn('vault unavailable', { channel, reason: vault.message });
        result = { ok: false, error: vault };
      } else {
        this.deps.logger.error('handler threw', { channel, error });
        result = { ok: false, error: appError('internal', `Mailroom hit an internal error in ${channel}; details are in the log.`) };
      }
    }
    if (kind === 'mutate') this.journal(channel, ctx, result);
    return result;
  }

  private journal(channel: string, ctx: HandlerContext, result: Result<unknown>): void {
    try {
      const entry = this.deps.journal.append({
        operator: ctx.operator,
        action: channel,
        connectionId: ctx.audit.connectionId ?? null,
        object: ctx.audit.object ?? null,
        before: ctx.audit.before ?? null,
        after: result.ok ? (ctx.audit.after ?? null) : null,
        result: result.ok ? 'ok' : 'error',
        errorCode: result.ok ? null : result.error.code,
      });
      this.deps.events.emit('audit.appended', entry);
    } catch (error) {
      this.deps.logger.error('audit journal write failed', { channel, error });
    }
  }
}

function lookupKind(area: string | undefined, method: string | undefined): ChannelKind | null {
  if (!area || !method || !Object.hasOwn(invokeChannels, area)) return null;
  const methods = invokeChannels[area as keyof Api] as Record<string, ChannelKind>;
  return Object.hasOwn(methods, method) ? methods[method]! : null;
}
