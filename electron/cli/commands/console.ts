import type { NewRelaySettings, RelaySettings } from '../../../shared/domain/relay.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { parse, parsePort } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { readSecret, secretSource } from '../password-input.ts';
import { listRoutes } from './routing-list.ts';
import { pricesUsage, storagePrices } from './storage-prices.ts';

const size = (n: number | null): string => (n === null ? 'unlimited' : n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`);
const money = (n: number | null, currency: string): string => (n === null ? '—' : `${n.toFixed(2)} ${currency}`);

function done<T>(ctx: CliContext, result: Result<T>, human: (v: T) => string, failed: (v: T) => boolean = () => false): number {
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, result.value, () => human(result.value));
  return failed(result.value) ? ExitCode.failed : ExitCode.ok;
}

/** `mailroom routing analyze [--domain D]`: forwarding chains over the cache, loops and leaks; exit 1 on an error finding. */
export const routingCommand: CliCommand = {
  name: 'routing',
  summary: 'follow alias, forwarding and group chains; flag loops, leaks and DMARC breaks',
  usage: `mailroom routing analyze [--domain D] [--json]   (exit 1 when a finding is an error, e.g. a loop)
mailroom routing list [--domain D] [--kind forward|alias|member|catch-all] [--json]   (every route, with the platform it is on)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'list') return listRoutes(rest, ctx);
    if (sub !== 'analyze') throw new UsageError(`Unknown subcommand "routing ${sub ?? ''}": analyze or list.`);
    const { values } = parse(rest, { domain: { type: 'string' } });
    const r = await ctx.api.routing.analyze(values.domain ? { domain: values.domain } : {});
    return done(
      ctx,
      r,
      (a) =>
        a.findings.length === 0
          ? `No routing problems in ${a.organisationDomains.length} domain(s): ${a.edges.length} route(s) checked.`
          : `${table(['SEVERITY', 'FINDING', 'CHAIN'], a.findings.map((f) => [f.severity, `${f.id}: ${f.message}`, f.path.join(' → ')]))}\n${a.findings.length} finding(s), ${a.edges.length} route(s) in ${a.organisationDomains.length} domain(s).`,
      (a) => a.findings.some((f) => f.severity === 'error'),
    );
  },
};

/** `mailroom storage summary|prices`: usage per platform and domain, near-quota mailboxes, the cost of the inventory and its price table. */
export const storageCommand: CliCommand = {
  name: 'storage',
  summary: 'storage use, allocation, near-quota mailboxes and cost, from the cache; the price table as CSV',
  usage: `mailroom storage summary [--json]\n${pricesUsage}`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'prices') return storagePrices(rest, ctx);
    if (sub !== 'summary') throw new UsageError(`Unknown subcommand "storage ${sub ?? ''}": summary or prices.`);
    parse(rest, {});
    const r = await ctx.api.storage.summary();
    return done(ctx, r, (s) =>
      [
        table(['PLATFORM', 'KIND', 'DOMAINS', 'MAILBOXES', 'USED', 'QUOTA', 'MONTHLY'], s.platforms.map((p) => [p.connectionName, p.kind, String(p.domains), String(p.mailboxes), size(p.usedBytes), size(p.quotaBytes), money(p.monthlyCost, s.currency)])),
        '',
        table(['DOMAIN', 'MAILBOXES', 'USED', 'ALLOCATION', 'HEADROOM'], s.domains.map((d) => [d.domain, String(d.mailboxes), size(d.usedBytes), d.allocation, d.headroomBytes === null ? '—' : size(d.headroomBytes)])),
        '',
        s.nearQuota.length ? table(['NEAR QUOTA', 'USED', 'QUOTA', '%'], s.nearQuota.map((m) => [m.address, size(m.usedBytes), size(m.quotaBytes), m.ratio === null ? '' : String(Math.round(m.ratio * 100))])) : 'No mailbox is near its quota.',
        '',
        `Total: ${s.totals.mailboxes} mailboxes, ${size(s.totals.usedBytes)}, ${money(s.totals.monthlyCost, s.currency)} a month; ${s.overQuota.length} over quota.`,
      ].join('\n'),
    );
  },
};

const relayText = (r: RelaySettings | null, secretStore: string): string =>
  r === null ? 'No SMTP relay configured: `mailroom relay set --host H --port P --tls starttls --from ADDR`.' : `smtp ${r.host}:${r.port} (${r.tls})${r.user ? `, user ${r.user}${r.hasPassword ? ` (password in ${secretStore})` : ''}` : ''}, from ${r.from}`;

/** `mailroom relay show|set|test`: the SMTP relay invitations go through; the password goes to the keychain or the vault file. */
export const relayCommand: CliCommand = {
  name: 'relay',
  summary: 'show, set or test the SMTP relay used for invitations',
  usage: `mailroom relay show [--json]
mailroom relay test --to ADDRESS [--json]   (sends a short test message through the saved relay; prints the server's answer)
mailroom relay set --host H --port P --tls implicit|starttls|none --from ADDRESS [--user U [--password-env VAR | --password-file FILE]]
                   (with --user and no password option the password is prompted for or read from stdin)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    if (sub === 'show') {
      parse(rest, {});
      return done(ctx, await ctx.api.relay.get(), (r) => relayText(r, ctx.secretStore));
    }
    if (sub === 'test') {
      const { values } = parse(rest, { to: { type: 'string' } });
      if (!values.to) throw new UsageError('--to ADDRESS is required.');
      return done(ctx, await ctx.api.relay.sendTest({ to: values.to }), (t) => `${t.host}:${t.port} accepted the test message for ${t.to}: ${t.response}`);
    }
    if (sub !== 'set') throw new UsageError(`Unknown subcommand "relay ${sub ?? ''}": show, set or test.`);
    const { values, positionals } = parse(rest, { host: { type: 'string' }, port: { type: 'string' }, tls: { type: 'string' }, from: { type: 'string' }, user: { type: 'string' }, 'password-env': { type: 'string' }, 'password-file': { type: 'string' } });
    if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
    for (const name of ['host', 'tls', 'from'] as const) if (!values[name]) throw new UsageError(`--${name} is required.`);
    const port = parsePort(values.port, 'port') ?? (values.tls === 'implicit' ? 465 : 587);
    const password = values.user
      ? await readSecret(ctx.io, secretSource(values['password-env'], values['password-file'], `Password for ${values.user}@${values.host}`))
      : undefined;
    // --tls is passed as typed: the router checks it against the shared schema.
    const r = await ctx.api.relay.set({ host: values.host!, port, tls: values.tls as NewRelaySettings['tls'], from: values.from!, ...(values.user ? { user: values.user } : {}), ...(password ? { password } : {}) });
    return done(ctx, r, (s) => `Relay saved: ${relayText(s, ctx.secretStore)}.`);
  },
};
