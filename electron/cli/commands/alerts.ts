import type { Alert, AlertDelivery, AlertDestination, AlertDestinationKind } from '../../../shared/domain/alerts.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { readSecret, secretSource } from '../password-input.ts';

const KINDS: readonly AlertDestinationKind[] = ['os', 'email', 'webhook', 'slack', 'teams'];
const DURATION = /^(\d+)\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function finish<T>(ctx: CliContext, r: Result<T>, human: (v: T) => string, failed: (v: T) => boolean = () => false): number {
  if (!r.ok) {
    emitError(ctx, r.error);
    return r.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, r.value, () => human(r.value));
  return failed(r.value) ? ExitCode.failed : ExitCode.ok;
}

const alertRows = (alerts: readonly Alert[]): string =>
  alerts.length === 0
    ? 'No alerts.'
    : table(['STATE', 'RULE', 'TARGET', 'CUSTOMER', 'RAISED', 'RESOLVED', 'CURRENT'], alerts.map((a) => [a.state, a.rule, a.target, a.customer ?? '', a.raisedAt, a.resolvedAt ?? '', a.current.slice(0, 80)]));

const destinationRows = (ds: readonly AlertDestination[]): string =>
  ds.length === 0
    ? 'No alert destinations: `mailroom alerts add --name N --kind os|email|webhook|slack|teams …`.'
    : table(['NAME', 'KIND', 'WHERE', 'SNOOZED UNTIL'], ds.map((d) => [d.name, d.kind, d.to ?? d.urlOrigin ?? (d.kind === 'os' ? 'this desktop' : ''), d.snoozedUntil ?? '']));

const deliveryRows = (ds: readonly AlertDelivery[]): string => table(['DESTINATION', 'KIND', 'OUTCOME', 'DETAIL'], ds.map((d) => [d.destination, d.kind, d.outcome, d.detail]));

/** Parses `--until ISO` or `--for 30m|2h|1d` into an ISO time. */
function snoozeUntil(values: { until?: string; for?: string }): string {
  if (values.until !== undefined) {
    if (Number.isNaN(Date.parse(values.until))) throw new UsageError(`--until must be a date and time (ISO 8601), not "${values.until.slice(0, 40)}".`);
    return new Date(values.until).toISOString();
  }
  const m = DURATION.exec(values.for ?? '');
  if (!m) throw new UsageError('Give --until ISO-TIME or --for 30m|2h|1d.');
  return new Date(Date.now() + Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]).toISOString();
}

/** `mailroom alerts list|test|destinations|add|remove|snooze|wake`: alerts raised by scheduled evaluations and where they go. */
export const alertsCommand: CliCommand = {
  name: 'alerts',
  summary: 'list alerts; add, test and snooze their destinations',
  usage: `mailroom alerts list [--state raised|resolved] [--customer C] [--json]
mailroom alerts test [--destination D] [--json]   (a test alert to D, or to every destination; exit 1 when one fails)
mailroom alerts destinations [--json]
mailroom alerts add --name N --kind os|email|webhook|slack|teams [--to ADDRESS] [--url-env VAR | --url-file FILE]
                    (a webhook URL is a secret: it is read from VAR, FILE or stdin, never from the command line, and kept in the keychain)
mailroom alerts remove D
mailroom alerts snooze D (--until ISO-TIME | --for 30m|2h|1d)
mailroom alerts wake D`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'list': {
        const { values } = parse(rest, { state: { type: 'string' }, customer: { type: 'string' } }, false);
        // --state is passed as typed: the router checks it against the shared schema.
        const filter = { ...(values.state ? { state: values.state as Alert['state'] } : {}), ...(values.customer ? { customer: values.customer } : {}) };
        return finish(ctx, await ctx.api.alerts.list(filter), alertRows);
      }
      case 'test': {
        const { values } = parse(rest, { destination: { type: 'string' } }, false);
        const all = await ctx.api.alerts.destinations();
        if (!all.ok) return finish(ctx, all, () => '');
        const targets = values.destination ? [values.destination] : all.value.map((d) => d.id);
        if (targets.length === 0) throw new UsageError('No alert destinations to test: add one with `mailroom alerts add`.');
        const deliveries: AlertDelivery[] = [];
        for (const id of targets) {
          const r = await ctx.api.alerts.test(id);
          if (!r.ok) return finish(ctx, r, () => '');
          deliveries.push(r.value);
        }
        return finish(ctx, { ok: true, value: { deliveries } }, (v) => deliveryRows(v.deliveries), (v) => v.deliveries.some((d) => d.outcome === 'failed'));
      }
      case 'destinations':
        parse(rest, {}, false);
        return finish(ctx, await ctx.api.alerts.destinations(), destinationRows);
      case 'add': {
        const { values } = parse(rest, { name: { type: 'string' }, kind: { type: 'string' }, to: { type: 'string' }, 'url-env': { type: 'string' }, 'url-file': { type: 'string' } }, false);
        if (!values.name) throw new UsageError('--name is required.');
        const kind = values.kind as AlertDestinationKind;
        if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}.`);
        const hook = kind === 'webhook' || kind === 'slack' || kind === 'teams';
        const url = hook ? (await readSecret(ctx.io, secretSource(values['url-env'], values['url-file'], `Webhook URL for ${values.name}`))).trim() : undefined;
        const r = await ctx.api.alerts.addDestination({ name: values.name, kind, ...(values.to ? { to: values.to } : {}), ...(url ? { url } : {}) });
        return finish(ctx, r, (d) => `Destination "${d.name}" added (${d.kind}${d.urlOrigin ? `, ${d.urlOrigin}, URL in ${ctx.secretStore}` : d.to ? `, to ${d.to}` : ''}).`);
      }
      case 'remove': {
        const { positionals } = parse(rest, {});
        if (positionals.length !== 1) throw new UsageError('Give one destination name or id.');
        return finish(ctx, await ctx.api.alerts.removeDestination(positionals[0]!), (d) => `Destination "${d.name}" removed.`);
      }
      case 'snooze':
      case 'wake': {
        const { values, positionals } = parse(rest, sub === 'snooze' ? { until: { type: 'string' }, for: { type: 'string' } } : {});
        if (positionals.length !== 1) throw new UsageError('Give one destination name or id.');
        const until = sub === 'snooze' ? snoozeUntil(values as { until?: string; for?: string }) : null;
        return finish(ctx, await ctx.api.alerts.snooze(positionals[0]!, until), (d) => (d.snoozedUntil ? `"${d.name}" is snoozed until ${d.snoozedUntil}.` : `"${d.name}" is awake.`));
      }
      default:
        throw new UsageError(`Unknown subcommand "alerts ${sub ?? ''}": list, test, destinations, add, remove, snooze or wake.`);
    }
  },
};
