import type { ConnectionEdit, ConnectionDependents, ConnectionSummary, TlsMode } from '../../../shared/domain/connection.ts';
import { PFA_SITE_KEYS } from '../../../shared/lib/pfa-site.ts';
import { encryptOfScheme } from '../../backends/postfixadmin/encrypt-scheme.ts';
import type { PasswordScheme } from '../../backends/postfixadmin/password-hash.ts';
import type { PfaSiteConfig } from '../../backends/postfixadmin/site-config.ts';
import { describeDependents } from '../../db/connection-dependents-repo.ts';
import { parse, parsePort } from '../args.ts';
import { ExitCode, UsageError, type CliContext } from '../cli-context.ts';
import { emit, emitError } from '../output.ts';
import { siteConfigFile } from './provisioning.ts';
import { readSecret, secretSource } from '../password-input.ts';

/** Usage lines of `connections edit` and `connections remove`. */
export const connectionEditUsage = `mailroom connections edit NAME|ID [--name NEW] [--host H] [--port N] [--tls implicit|starttls|none] [--user U]
                         [--pin SHA256 | --unpin] [--sieve-port N] [--set KEY=VALUE]... [--unset KEY]... [--allow-plaintext]
                         [--site-config config.local.php] [--site KEY=VALUE]...
                         [--password | --password-env VAR | --password-file FILE] [--skip-test] [--json]
         (keeps the connection's id, so plans and batches that use it carry on; then tests it again.
          --password re-enters the secret (prompted, or read from stdin), whatever the platform calls it:
          password, API key, client secret or service-account JSON; --set changes any other setting;
          PostfixAdmin: --site-config reads the site block again from config.local.php, --site KEY=VALUE changes one
          $CONF setting of it, KEY= with no value returns that one to PostfixAdmin's default)
mailroom connections remove NAME|ID [--force] [--json]
         (refused, with what uses it, when a plan, batch, DKIM key or saved check refers to it; --force removes anyway)`;

/** The options `connections add` and `connections edit` share: an IMAP connection's settings, its password source, the test. */
export const IMAP_CONNECTION_OPTIONS = {
  name: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  tls: { type: 'string' },
  user: { type: 'string' },
  pin: { type: 'string' },
  'sieve-port': { type: 'string' },
  'password-env': { type: 'string' },
  'password-file': { type: 'string' },
  'allow-plaintext': { type: 'boolean' },
  'skip-test': { type: 'boolean' },
} as const;

/** `mailroom connections edit`: changes settings and/or the secret in place, then re-tests. */
export async function editConnection(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...IMAP_CONNECTION_OPTIONS,
    unpin: { type: 'boolean' },
    set: { type: 'string', multiple: true },
    unset: { type: 'string', multiple: true },
    password: { type: 'boolean' },
    site: { type: 'string', multiple: true },
    'site-config': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('connections edit takes exactly one connection name or id; secrets are never taken from the command line.');
  const target = positionals[0]!;
  if (values.tls && !['implicit', 'starttls', 'none'].includes(values.tls)) throw new UsageError('--tls must be one of implicit, starttls, none.');
  if (values.pin && values.unpin) throw new UsageError('Give either --pin or --unpin, not both.');
  if ([values.password, values['password-env'], values['password-file']].filter(Boolean).length > 1) throw new UsageError('Give one of --password, --password-env or --password-file.');
  const settings: Record<string, NonNullable<ConnectionEdit['settings']>[string]> = {};
  if (values.host) settings['host'] = values.host;
  if (values.port) settings['port'] = parsePort(values.port, 'port')!;
  if (values.tls) settings['tls'] = values.tls as TlsMode;
  if (values.user) settings['user'] = values.user;
  if (values.pin) settings['pinnedFingerprint'] = values.pin;
  if (values.unpin) settings['pinnedFingerprint'] = null;
  if (values['sieve-port']) settings['sievePort'] = parsePort(values['sieve-port'], 'sieve-port')!;
  for (const pair of values.set ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--set takes KEY=VALUE, not "${pair.slice(0, 40)}".`);
    settings[pair.slice(0, at)] = settingValue(pair.slice(at + 1));
  }
  for (const key of values.unset ?? []) settings[key] = null;
  const found = await ctx.api.connections.list();
  const connection = found.ok ? found.value.find((c) => c.id === target || c.name.toLowerCase() === target.toLowerCase()) : undefined;
  if (!connection) throw new UsageError(`No connection "${target}".`);
  const site = await siteEdit(connection, values.site ?? [], values['site-config']);
  if (site) Object.assign(settings, site);
  const wantsSecret = values.password || values['password-env'] || values['password-file'];
  const secret = wantsSecret ? await readSecret(ctx.io, secretSource(values['password-env'], values['password-file'], `New secret for ${connection.name}`)) : undefined;
  const edit: ConnectionEdit = {
    ...(values.name ? { name: values.name } : {}),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
    ...(secret ? { secret } : {}),
    ...(values['allow-plaintext'] ? { allowPlaintext: true } : {}),
  };
  if (Object.keys(edit).length === 0) throw new UsageError('Nothing to change: give a setting (--host, --set KEY=VALUE, …) or --password.');
  const result = await ctx.api.connections.edit(connection.id, edit);
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'input.invalid' || result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  const saved = result.value;
  if (values['skip-test']) {
    emit(ctx, { connection: saved, tested: false }, () => `Saved connection "${saved.name}" (${saved.id}); not tested (--skip-test).`);
    return ExitCode.ok;
  }
  const test = await ctx.api.connections.test(saved.id);
  if (!test.ok) {
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ connection: saved, tested: true, error: test.error }) + '\n');
    else ctx.io.stderr.write(`Saved connection "${saved.name}", but its test failed.\nerror [${test.error.code}]: ${test.error.message}\n`);
    return ExitCode.failed;
  }
  emit(ctx, { connection: saved, tested: true, report: test.value }, () => `Saved connection "${saved.name}" (${saved.id}); the test passed in ${test.value.latencyMs} ms.`);
  return ExitCode.ok;
}

/** `mailroom connections remove`: refuses a connection in use (listing what uses it) unless --force. */
export async function removeConnection(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, { force: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('connections remove takes exactly one connection name or id.');
  const id = positionals[0]!;
  const result = await ctx.api.connections.remove(id, values.force ? { force: true } : {});
  if (!result.ok) {
    if (result.error.code === 'connection.inUse' && !ctx.json) {
      const lines = describeDependents(result.error.detail as ConnectionDependents);
      ctx.io.stderr.write(`error [connection.inUse]: "${id}" is in use by:\n${lines.map((l) => `  - ${l}`).join('\n')}\nNothing was removed. Remove it anyway with: mailroom connections remove "${id}" --force\n`);
    } else emitError(ctx, result.error);
    return result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, { removed: result.value.id }, () => `Removed connection "${id}" and its secret in ${ctx.secretStore}.`);
  return ExitCode.ok;
}

/**
 * The settings a PostfixAdmin site edit sends: the block (read again from config.local.php, or the stored one) with the
 * --site changes over it, the older encrypt/passwordScheme/quotaMultiplier folded in and cleared; null when none given.
 */
async function siteEdit(connection: ConnectionSummary, pairs: readonly string[], file: string | undefined): Promise<Record<string, PfaSiteConfig | null> | null> {
  if (pairs.length === 0 && file === undefined) return null;
  if (connection.kind !== 'postfixadmin') throw new UsageError('--site and --site-config are for PostfixAdmin connections.');
  const s = connection.settings;
  const legacy = { ...(typeof s['passwordScheme'] === 'string' ? { encrypt: encryptOfScheme(s['passwordScheme'] as PasswordScheme) } : {}), ...(typeof s['encrypt'] === 'string' ? { encrypt: s['encrypt'] } : {}), ...(typeof s['quotaMultiplier'] === 'number' ? { quota_multiplier: s['quotaMultiplier'] } : {}) };
  const block: Record<string, string | number | boolean> = file !== undefined ? { ...(await siteConfigFile(file)) } : { ...legacy, ...((s['site'] ?? {}) as PfaSiteConfig) };
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = at < 1 ? '' : pair.slice(0, at);
    if (!(PFA_SITE_KEYS as readonly string[]).includes(key)) throw new UsageError(`--site takes KEY=VALUE with KEY one of ${PFA_SITE_KEYS.join(', ')}; not "${pair.slice(0, 40)}".`);
    if (pair.slice(at + 1) === '') delete block[key];
    else block[key] = settingValue(pair.slice(at + 1));
  }
  const cleared = Object.fromEntries(['encrypt', 'passwordScheme', 'quotaMultiplier'].filter((k) => s[k] !== undefined).map((k) => [k, null]));
  return { ...cleared, site: Object.keys(block).length > 0 ? (block as PfaSiteConfig) : null };
}

// --set values: numbers and yes/no become numbers and booleans, as the add commands take them.
function settingValue(text: string): string | number | boolean {
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}
