import type { Api, Area, Args, Method, Value } from '../../shared/ipc/contract.ts';
import { invokeChannels, type ChannelKind } from '../../shared/ipc/channels.ts';
import { argsParser, loadedArgsParser } from '../../shared/ipc/args-parser.ts';
import { toAsciiDomain } from '../platform/idn.ts';
import { appError, err, type Result } from '../../shared/errors/result.ts';
import type { AuditJournal } from '../audit/audit-journal.ts';
import { AuditRecorder, type AuditNote } from '../audit/audit-recorder.ts';
import { vaultFailure } from '../platform/credential-vault.ts';
import type { Logger } from '../platform/logger.ts';
import type { EventBus } from '../platform/event-bus.ts';

export type { AuditNote } from '../audit/audit-recorder.ts';

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
  private readonly recorder: AuditRecorder;

  constructor(deps: RouterDeps) {
    this.deps = deps;
    this.recorder = new AuditRecorder(deps);
  }

  /** Handles one call; never throws. */
  async dispatch(channel: string, rawArgs: unknown, signal: AbortSignal = new AbortController().signal): Promise<Result<unknown>> {
    const [area, method, ...rest] = channel.split('.');
    const kind = lookupKind(area, method);
    if (kind === null || rest.length > 0) return err('input.invalid', `Unknown operation "${channel}".`);
    const ready = loadedArgsParser();
    const parseArgs = ready ?? (await argsParser());
    const parsed = parseArgs(area as Area, method as never, rawArgs, { toAscii: toAsciiDomain });
    if (!parsed.ok) return parsed;
    const ctx: HandlerContext = { operator: this.deps.operator, signal, audit: {} };
    const handler = (this.deps.handlers as unknown as Record<string, Record<string, (a: unknown, c: HandlerContext) => unknown>>)[area!]![method!]!;
    let result: Result<unknown>;
    try {
      // Cancelled while the validators loaded (the first call only): the handler would get a signal already aborted.
      if (!ready && signal.aborted) throw new Error(`${channel} was cancelled before it started.`);
      result = (await handler(parsed.value, ctx)) as Result<unknown>;
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
    if (kind === 'mutate') await this.journal(channel, ctx, result);
    return result;
  }

  private async journal(channel: string, ctx: HandlerContext, result: Result<unknown>): Promise<void> {
    await this.recorder.record(ctx.operator, channel, ctx.audit, result);
  }
}

function lookupKind(area: string | undefined, method: string | undefined): ChannelKind | null {
  if (!area || !method || !Object.hasOwn(invokeChannels, area)) return null;
  const methods = invokeChannels[area as keyof Api] as Record<string, ChannelKind>;
  return Object.hasOwn(methods, method) ? methods[method]! : null;
}
