import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { ForwardFailures } from '../../../shared/domain/routing.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

const KINDS: readonly string[] = ['forward', 'alias', 'member', 'catch-all'];

/** One route of the routing graph with the platform its source lives on. */
export interface RouteRow {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly keepCopy: boolean | null;
  /** Only some mail takes this route (a filter, an inbox rule, a Sieve `if`). */
  readonly conditional: boolean;
  /** Which mail, in words; null for all mail. */
  readonly condition: string | null;
  /** The connection holding the source address (null for an address on no connection). */
  readonly connection: string | null;
  readonly platform: string | null;
  /** The target is outside every domain Mailroom knows. */
  readonly external: boolean;
  /** A forward whose forwarded mail DMARC reports show failing at the receiver. */
  readonly failingAtReceivers: ForwardFailures | null;
}

/** `mailroom routing list [--domain D] [--kind forward|alias|member|catch-all]`: every route of the graph, from the cache. */
export async function listRoutes(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parse(argv, { domain: { type: 'string' }, kind: { type: 'string' } });
  if (values.kind !== undefined && !KINDS.includes(values.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}.`);
  const analysis = await ctx.api.routing.analyze(values.domain ? { domain: values.domain } : {});
  if (!analysis.ok) {
    emitError(ctx, analysis.error);
    return analysis.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
  }
  const connections = await ctx.api.connections.list();
  const byId = new Map<string, ConnectionSummary>(connections.ok ? connections.value.map((c) => [c.id, c]) : []);
  const nodes = new Map(analysis.value.nodes.map((n) => [n.id, n]));
  const routes: RouteRow[] = analysis.value.edges
    .filter((e) => values.kind === undefined || e.kind === values.kind)
    .map((e) => {
      const source = byId.get(nodes.get(e.from)?.connectionId ?? '');
      return {
        from: e.from,
        to: e.to,
        kind: e.kind,
        keepCopy: e.keepCopy ?? null,
        conditional: e.conditional === true,
        condition: e.condition ?? null,
        connection: source?.name ?? null,
        platform: source?.kind ?? null,
        external: nodes.get(e.to)?.kind === 'external',
        failingAtReceivers: e.failingAtReceivers ?? null,
      };
    });
  emit(ctx, { routes }, () =>
    routes.length === 0
      ? 'No routes in the cache: refresh connections first (mailroom domains list --refresh).'
      : `${table(
          ['FROM', 'TO', 'KIND', 'PLATFORM', 'CONNECTION', 'ONLY IF', 'DMARC AT RECEIVERS'],
          routes.map((r) => [r.from, `${r.to}${r.external ? ' (outside)' : ''}`, r.kind + (r.keepCopy === false ? ' (no copy kept)' : ''), r.platform ?? '-', r.connection ?? '-', r.conditional ? (r.condition ?? 'some mail') : '-', failing(r.failingAtReceivers)]),
        )}\n${routes.length} route(s)${routes.some((r) => r.conditional) ? `, ${routes.filter((r) => r.conditional).length} of them only for some mail` : ''}.`,
  );
  return ExitCode.ok;
}

function failing(f: ForwardFailures | null): string {
  return f ? `FAILING: ${f.count} messages since ${f.since.slice(0, 10)} (${f.receivers.join(', ')})` : '';
}
