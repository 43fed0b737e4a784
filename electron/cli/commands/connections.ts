import type { ConnectionSummary, ConnectionTestReport, TlsMode } from '../../../shared/domain/connection.ts';
import { parse, parsePort, refusePlaintext } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { readSecret, secretSource } from '../password-input.ts';
import { addPostfixAdminConnection } from './provisioning.ts';
import { addApiConnection, apiConnectionsUsage, showCapabilities } from './api-connections.ts';
import { IMAP_CONNECTION_OPTIONS, connectionEditUsage, editConnection, removeConnection } from './connection-edit.ts';

const TLS_MODES: readonly TlsMode[] = ['implicit', 'starttls', 'none'];
const DEFAULT_PORT: Record<TlsMode, number> = { implicit: 993, starttls: 143, none: 143 };

/** `mailroom connections add|list|edit|test|remove`. */
export const connectionsCommand: CliCommand = {
  name: 'connections',
  summary: 'add, list, edit, test and remove connections',
  usage: `mailroom connections add --name NAME --host HOST [--port N] [--tls implicit|starttls|none] --user USER
                         [--password-env VAR | --password-file FILE] [--pin SHA256] [--sieve-port N] [--allow-plaintext] [--skip-test] [--json]
         (--sieve-port: where the server answers ManageSieve (default 4190); the routing view reads the user's
          forwards from the redirects of its active Sieve script there)
         (--tls none to another machine sends the password in clear: refused without --allow-plaintext)
         (the connection is tested first and saved only when the test passes; --skip-test saves it untested)
         (without --password-env/--password-file the password is prompted for, or read from stdin)
mailroom connections add-postfixadmin --name NAME --dialect mysql|postgres|sqlite [--host H --port N --database DB --user U]
                         [--path FILE.db] [--encrypt SCHEME] [--site-config config.local.php] [--password-env VAR | --password-file FILE] [--skip-test]
         (--encrypt names the site's $CONF['encrypt']: md5crypt (3.3's default), sha512.b64, system, php_crypt[:…],
          dovecot:SCHEME or argon2id; --site-config reads it and quota_multiplier, quota, password_expiration and
          the limits for new domains from the site's config.local.php)
${apiConnectionsUsage}
mailroom connections list [--json]
mailroom connections test NAME|ID [--json]
${connectionEditUsage}`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'add':
        return add(rest, ctx);
      case 'add-postfixadmin':
        return addPostfixAdminConnection(rest, ctx);
      case 'add-mailcow':
      case 'add-stalwart':
      case 'add-google':
      case 'add-microsoft':
        return addApiConnection(sub.slice(4) as 'mailcow' | 'stalwart' | 'google' | 'microsoft', rest, ctx);
      case 'capabilities':
        return showCapabilities(single(rest, 'capabilities'), ctx);
      case 'list':
        parse(rest, {}, false);
        return list(ctx);
      case 'test':
        return test(single(rest, 'test'), ctx);
      case 'edit':
        return editConnection(rest, ctx);
      case 'remove':
        return removeConnection(rest, ctx);
      default:
        throw new UsageError(sub ? `Unknown subcommand "connections ${sub}".` : 'Missing subcommand: add, list, edit, test or remove.');
    }
  },
};

function single(argv: readonly string[], sub: string): string {
  const { positionals } = parse(argv, {});
  if (positionals.length !== 1) throw new UsageError(`connections ${sub} takes exactly one connection name or id.`);
  return positionals[0]!;
}

async function add(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, IMAP_CONNECTION_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
  for (const required of ['name', 'host', 'user'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required.`);
  }
  const tls = (values.tls ?? 'implicit') as TlsMode;
  if (!TLS_MODES.includes(tls)) throw new UsageError(`--tls must be one of ${TLS_MODES.join(', ')}.`);
  if (values['password-env'] && values['password-file']) throw new UsageError('Give either --password-env or --password-file, not both.');
  const allowPlaintext = refusePlaintext(ctx, { tls, host: values.host! }, values['allow-plaintext']);
  const password = await readSecret(ctx.io, secretSource(values['password-env'], values['password-file'], `Password for ${values.user}@${values.host}`));
  const result = await ctx.api.connections.addImap({
    name: values.name!,
    host: values.host!,
    port: parsePort(values.port, 'port') ?? DEFAULT_PORT[tls],
    tls,
    user: values.user!,
    password,
    ...(values.pin ? { pinnedFingerprint: values.pin } : {}),
    ...(values['sieve-port'] ? { sievePort: parsePort(values['sieve-port'], 'sieve-port')! } : {}),
    ...(allowPlaintext ? { allowPlaintext } : {}),
  }, { test: !values['skip-test'] });
  if (!result.ok) {
    emitError(ctx, result.error);
    if (!ctx.json && (result.error.detail as { notSaved?: boolean } | undefined)?.notSaved) ctx.io.stderr.write('Fix the settings and add it again, or save it untested with --skip-test.\n');
    return result.error.code === 'input.invalid' ? ExitCode.usage : ExitCode.failed;
  }
  const how = values['skip-test'] ? 'saved untested (--skip-test)' : 'the test passed';
  emit(ctx, { connection: result.value, tested: !values['skip-test'] }, () => `Added connection "${result.value.name}" (${result.value.id}); ${how}; the password is in ${ctx.secretStore}.`);
  return ExitCode.ok;
}

async function list(ctx: CliContext): Promise<number> {
  const result = await ctx.api.connections.list();
  if (!result.ok) {
    emitError(ctx, result.error);
    return ExitCode.failed;
  }
  emit(ctx, { connections: result.value }, () =>
    result.value.length === 0
      ? 'No connections yet. Add one with `mailroom connections add`.'
      : table(
          ['NAME', 'KIND', 'SERVER', 'USER', 'LAST TEST'],
          result.value.map((c) => [
            c.name,
            c.kind,
            server(c),
            String(c.settings['user'] ?? c.settings['username'] ?? c.settings['adminEmail'] ?? c.settings['clientId'] ?? ''),
            c.lastTest ? `${c.lastTest.ok ? 'ok' : 'failed'} ${c.lastTest.at}` : 'never',
          ]),
        ),
  );
  return ExitCode.ok;
}

function server(c: ConnectionSummary): string {
  const s = c.settings;
  if (c.kind === 'imap') return `${String(s['host'] ?? '')}:${String(s['port'] ?? '')} (${String(s['tls'] ?? '')})`;
  if (c.kind === 'postfixadmin') return s['dialect'] === 'sqlite' ? String(s['path'] ?? '') : `${String(s['dialect'])}://${String(s['host'] ?? '')}/${String(s['database'] ?? '')}`;
  if (c.kind === 'google') return `customer ${String(s['customer'] ?? 'my_customer')}`;
  if (c.kind === 'microsoft') return `tenant ${String(s['tenantId'] ?? '')}`;
  return String(s['baseUrl'] ?? '');
}

async function test(id: string, ctx: CliContext): Promise<number> {
  const result = await ctx.api.connections.test(id);
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  const r = result.value;
  if (r.platform) {
    const p = r.platform;
    emit(ctx, { ok: true, report: r }, () => `Connection "${id}" works: ${p.kind}${p.version ? ` ${p.version}` : ''}, probed in ${r.latencyMs} ms.\n  ${[...r.capabilities, ...limits(p)].join('\n  ')}`);
    return ExitCode.ok;
  }
  emit(ctx, { ok: true, report: r }, () =>
    [
      `Connection "${id}" works: logged in in ${r.latencyMs} ms.`,
      `  TLS:          ${r.tls ? `${r.tls.protocol ?? 'yes'}${r.tls.fingerprint ? `, certificate ${r.tls.fingerprint}` : ''}` : 'none (plaintext)'}`,
      `  Folders:      ${r.folderCount}`,
      `  Capabilities: ${r.capabilities.join(' ')}`,
    ].join('\n'),
  );
  return ExitCode.ok;
}

/** What the platform cannot do here, with the manual path, so a passing test still warns about it. */
function limits(platform: NonNullable<ConnectionTestReport['platform']>): string[] {
  const out: string[] = [];
  for (const [group, ops] of Object.entries(platform)) {
    if (typeof ops !== 'object' || ops === null) continue;
    for (const [op, support] of Object.entries(ops as Record<string, { level?: string; manual?: string }>)) {
      if (support?.manual && (support.level === 'unsupported' || support.level === 'needs-sidecar')) out.push(`note: ${group}.${op}: ${support.manual}`);
    }
  }
  return out;
}
