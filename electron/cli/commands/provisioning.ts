import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ConnectionSummary, NewPostfixAdminConnection } from '../../../shared/domain/connection.ts';
import type { CachedAlias, CachedGroup, InventoryQuery } from '../../../shared/domain/inventory.ts';
import type { AppError, Result } from '../../../shared/errors/result.ts';
import { parseSiteConfig, type PfaSiteConfig } from '../../backends/postfixadmin/site-config.ts';
import { parse, parseSize, parseYesNo } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';
import { readSecret, secretSource } from '../password-input.ts';

const list = (value: string | undefined): string[] => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
const size = (n: number | null): string => (n === null ? 'unlimited' : n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`);

async function finish<T>(ctx: CliContext, result: Result<T>, human: (v: T) => string): Promise<number> {
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'input.invalid' || result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, result.value, () => human(result.value));
  return ExitCode.ok;
}

/** Resolves --connection NAME to its id; refreshes its cache first when it was never read (a failure is only a warning here: the change itself goes to the backend). */
async function connection(ctx: CliContext, name: string | undefined): Promise<string> {
  if (!name) throw new UsageError('--connection NAME is required.');
  const found = ctx.services().connections.find(name);
  if (!found) throw new UsageError(`No connection "${name}".`);
  if (ctx.services().inventory.refreshedAt(found.id) === null) {
    const r = await ctx.api.domains.refresh(found.id);
    if (!r.ok) ctx.io.stderr.write(`warning: the cache of "${found.name}" could not be read first: ${r.error.message}\n`);
  }
  return found.id;
}

/**
 * Before a list: refreshes the named connection (with --refresh, or when never read), or with --refresh alone
 * every provisioning connection. A failure is the command's only output and exit 1, never a stale list after it.
 */
async function refreshForList(ctx: CliContext, name: string | undefined, refresh: boolean | undefined): Promise<{ id?: string; failed?: number }> {
  const services = ctx.services();
  const targets: ConnectionSummary[] = [];
  let id: string | undefined;
  if (name) {
    const found = services.connections.find(name);
    if (!found) throw new UsageError(`No connection "${name}".`);
    id = found.id;
    if (refresh || services.inventory.refreshedAt(found.id) === null) targets.push(found);
  } else if (refresh) {
    targets.push(...services.connections.list().filter((c) => c.kind !== 'imap'));
  }
  const failures: string[] = [];
  let first: AppError | null = null;
  for (const c of targets) {
    const r = await ctx.api.domains.refresh(c.id);
    if (!r.ok) {
      first ??= r.error;
      failures.push(`"${c.name}": ${r.error.message}`);
    }
  }
  if (first === null) return id ? { id } : {};
  // With one named connection its error speaks for itself; refreshing every connection says which failed.
  const message = name ? first.message : failures.length === 1 ? `Refreshing ${failures[0]}` : `Refreshing ${failures.length} connections failed: ${failures.join('; ')}`;
  emitError(ctx, { ...first, message });
  return { failed: ExitCode.failed };
}

const common = { connection: { type: 'string' }, refresh: { type: 'boolean' }, domain: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' } } as const;

async function newPassword(ctx: CliContext, values: { 'password-env'?: string; 'password-file'?: string; 'generate-password'?: boolean }, label: string): Promise<{ password: string; generated: boolean }> {
  if (values['generate-password']) return { password: randomBytes(15).toString('base64url'), generated: true };
  const password = await readSecret(ctx.io, secretSource(values['password-env'], values['password-file'], `Password for ${label}`));
  return { password, generated: false };
}

const passwordOptions = { 'password-env': { type: 'string' }, 'password-file': { type: 'string' }, 'generate-password': { type: 'boolean' } } as const;

function oneAddress(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`Give exactly one ${what}; passwords are never taken from the command line.`);
  return positionals[0]!;
}

/** `mailroom domains list|create|update|delete|refresh`. */
export const domainsCommand: CliCommand = {
  name: 'domains',
  summary: 'list and change domains',
  usage: `mailroom domains list [--connection NAME] [--refresh] [--json]
mailroom domains create NAME --connection NAME [--description TEXT] [--alias-of DOMAIN] [--quota SIZE] [--max-mailbox SIZE]
mailroom domains update NAME --connection NAME [--description TEXT] [--active yes|no] [--quota SIZE] [--max-mailbox SIZE]
mailroom domains delete NAME --connection NAME`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, { ...common, description: { type: 'string' }, 'alias-of': { type: 'string' }, quota: { type: 'string' }, 'max-mailbox': { type: 'string' }, active: { type: 'string' } });
    if (sub === 'list') {
      const { id, failed } = await refreshForList(ctx, values.connection, values.refresh);
      if (failed !== undefined) return failed;
      const r = await ctx.api.domains.list({ ...(id ? { connectionId: id } : {}) });
      return finish(ctx, r, (rows) => table(['DOMAIN', 'CONNECTION', 'MAILBOXES', 'USED', 'QUOTA', 'STATE'], rows.map((d) => [d.name + (d.aliasDomains ? ` (+${d.aliasDomains.join(', ')})` : ''), d.connectionName, String(d.mailboxCount ?? ''), size(d.usedBytes), size(d.quotaBytes), `${d.active ? 'active' : 'disabled'}${d.stale ? ', stale' : ''}`])));
    }
    const id = await connection(ctx, values.connection);
    const name = oneAddress(positionals, 'domain');
    const limits = {
      ...(values.quota !== undefined ? { quotaBytes: parseSize(values.quota, 'quota') } : {}),
      ...(values['max-mailbox'] !== undefined ? { maxMailboxBytes: parseSize(values['max-mailbox'], 'max-mailbox') } : {}),
      ...(values.description !== undefined ? { description: values.description } : {}),
    };
    switch (sub) {
      case 'create':
        return finish(ctx, await ctx.api.domains.create(id, { name, ...limits, ...(values['alias-of'] ? { aliasOf: values['alias-of'] } : {}) }), () => `Created domain ${name}.`);
      case 'update':
        return finish(ctx, await ctx.api.domains.update(id, name, { ...limits, ...(values.active !== undefined ? { active: parseYesNo(values.active, 'active')! } : {}) }), () => `Updated domain ${name}.`);
      case 'delete':
        return finish(ctx, await ctx.api.domains.remove(id, name), () => `Deleted domain ${name}.`);
      default:
        throw new UsageError(`Unknown subcommand "domains ${sub ?? ''}": list, create, update or delete.`);
    }
  },
};

/** `mailroom mailboxes list|create|update|delete`. */
export const mailboxesCommand: CliCommand = {
  name: 'mailboxes',
  summary: 'list, change and invite mailboxes',
  usage: `mailroom mailboxes list [--connection NAME] [--domain D] [--search TEXT] [--limit N] [--json]
mailroom mailboxes create ADDRESS --connection NAME [--name TEXT] [--quota SIZE]
                          [--password-env VAR | --password-file FILE | --generate-password]  (else prompted or read from stdin)
mailroom mailboxes update ADDRESS --connection NAME [--name TEXT] [--quota SIZE] [--suspend | --unsuspend]
                          [--forward A,B [--keep-copy] | --no-forward] [--reset-password (with the password options)]
mailroom mailboxes delete ADDRESS --connection NAME
mailroom mailboxes invite ADDRESS --send-to EMAIL --connection NAME   (one-time password mailed through the relay)
         list also takes --sort address|domain|used|quota|usage [--desc], --status active|suspended, --near-quota`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, {
      ...common, ...passwordOptions, name: { type: 'string' }, quota: { type: 'string' }, suspend: { type: 'boolean' }, unsuspend: { type: 'boolean' },
      forward: { type: 'string' }, 'keep-copy': { type: 'boolean' }, 'no-forward': { type: 'boolean' }, 'reset-password': { type: 'boolean' },
      'send-to': { type: 'string' }, sort: { type: 'string' }, desc: { type: 'boolean' }, status: { type: 'string' }, 'near-quota': { type: 'boolean' },
    });
    if (sub === 'list') {
      const { id, failed } = await refreshForList(ctx, values.connection, values.refresh);
      if (failed !== undefined) return failed;
      // Option text is passed as typed: the router checks it against the shared schema.
      const order: InventoryQuery = {
        ...(values.sort ? { sort: values.sort as InventoryQuery['sort'] } : {}),
        ...(values.desc ? { dir: 'desc' } : {}),
        ...(values.status ? { status: values.status as InventoryQuery['status'] } : {}),
        ...(values['near-quota'] ? { nearQuota: true } : {}),
      };
      const r = await ctx.api.mailboxes.search({ ...(id ? { connectionId: id } : {}), ...(values.domain ? { domain: values.domain } : {}), ...(values.search ? { text: values.search } : {}), ...order, limit: Number(values.limit ?? 100) });
      return finish(ctx, r, (p) => `${table(['ADDRESS', 'NAME', 'USED', 'QUOTA', 'FORWARD', 'STATE'], p.rows.map((m) => [m.address, m.displayName ?? '', size(m.usedBytes), size(m.quotaBytes), m.forwardTargets.join(',') + (m.keepCopy ? ' (+copy)' : ''), `${m.active ? 'active' : 'suspended'}${m.stale ? ', stale' : ''}`]))}\n${p.rows.length} of ${p.total}`);
    }
    const id = await connection(ctx, values.connection);
    const address = oneAddress(positionals, 'address');
    if (sub === 'create') {
      const quota = values.quota !== undefined ? { quotaBytes: parseSize(values.quota, 'quota') } : {};
      const { password, generated } = await newPassword(ctx, values, address);
      const r = await ctx.api.mailboxes.create(id, { address, password, ...(values.name ? { displayName: values.name } : {}), ...quota });
      if (r.ok && generated) emit(ctx, { address, generatedPassword: password }, () => `Generated password for ${address} (shown once): ${password}`);
      return finish(ctx, r, () => `Created mailbox ${address}.`);
    }
    if (sub === 'delete') return finish(ctx, await ctx.api.mailboxes.remove(id, address), () => `Deleted mailbox ${address}.`);
    if (sub === 'invite') {
      if (!values['send-to']) throw new UsageError('--send-to EMAIL is required: where the invitation goes.');
      // The one-time password exists only in the mail: the CLI never prints it.
      return finish(ctx, await ctx.api.mailboxes.invite({ connectionId: id, address, sendTo: values['send-to'] }), (r) => `Invited ${r.address}: one-time password sent to ${r.sentTo}${r.forceChange ? ' (change forced at first login)' : ' (this platform cannot force a change: ask for one)'}.`);
    }
    if (sub !== 'update') throw new UsageError(`Unknown subcommand "mailboxes ${sub ?? ''}": list, create, update, delete or invite.`);
    const patch = {
      ...(values.name !== undefined ? { displayName: values.name } : {}),
      ...(values.quota !== undefined ? { quotaBytes: parseSize(values.quota, 'quota') } : {}),
      ...(values.suspend ? { active: false } : values.unsuspend ? { active: true } : {}),
    };
    let code: number = ExitCode.ok;
    if (Object.keys(patch).length) code = await finish(ctx, await ctx.api.mailboxes.update(id, address, patch), () => `Updated mailbox ${address}.`);
    if (code === ExitCode.ok && (values.forward || values['no-forward'])) {
      code = await finish(ctx, await ctx.api.mailboxes.setForwarding(id, address, values['no-forward'] ? [] : list(values.forward), Boolean(values['keep-copy'])), () => `Forwarding of ${address} updated.`);
    }
    if (code === ExitCode.ok && values['reset-password']) {
      const { password, generated } = await newPassword(ctx, values, address);
      code = await finish(ctx, await ctx.api.mailboxes.setPassword(id, address, password), () => (generated ? `New password for ${address} (shown once): ${password}` : `Password of ${address} changed.`));
    }
    return code;
  },
};

function addressCommand(kind: 'aliases' | 'groups'): CliCommand {
  const members = kind === 'aliases' ? 'to' : 'members';
  return {
    name: kind,
    summary: kind === 'aliases' ? 'list and change aliases and catch-alls (@domain)' : 'list and change groups and their members',
    usage: `mailroom ${kind} list [--connection NAME] [--domain D] [--search TEXT] [--json]
mailroom ${kind} create|update ADDRESS --connection NAME --${members} A,B${kind === 'groups' ? ' [--name TEXT]' : ''}
mailroom ${kind} delete ADDRESS --connection NAME`,
    async run(argv, ctx) {
      const [sub, ...rest] = argv;
      const { values, positionals } = parse(rest, { ...common, [members]: { type: 'string' }, name: { type: 'string' } } as typeof common & { to: { type: 'string' }; members: { type: 'string' }; name: { type: 'string' } });
      if (sub === 'list') {
        const { id, failed } = await refreshForList(ctx, values.connection, values.refresh);
        if (failed !== undefined) return failed;
        const query = { ...(id ? { connectionId: id } : {}), ...(values.domain ? { domain: values.domain } : {}), ...(values.search ? { text: values.search } : {}) };
        const r: Result<readonly (CachedAlias | CachedGroup)[]> = kind === 'aliases' ? await ctx.api.aliases.list(query) : await ctx.api.groups.list(query);
        return finish(ctx, r, (rows) => table(['ADDRESS', kind === 'aliases' ? 'TARGETS' : 'MEMBERS', 'CONNECTION'], rows.map((a) => [a.address, ('targets' in a ? a.targets : a.members).join(','), a.connectionName])));
      }
      const id = await connection(ctx, values.connection);
      const address = oneAddress(positionals, 'address');
      if (sub === 'delete') return finish(ctx, kind === 'aliases' ? await ctx.api.aliases.remove(id, address) : await ctx.api.groups.remove(id, address), () => `Deleted ${address}.`);
      if (sub !== 'create' && sub !== 'update') throw new UsageError(`Unknown subcommand "${kind} ${sub ?? ''}": list, create, update or delete.`);
      const targets = list(values[members]);
      if (targets.length === 0) throw new UsageError(`--${members} needs at least one address.`);
      const saved: Result<unknown> = kind === 'aliases' ? await ctx.api.aliases.upsert(id, { address, targets }) : await ctx.api.groups.upsert(id, { address, members: targets, ...(values.name ? { name: values.name } : {}) });
      return finish(ctx, saved, () => `Saved ${address}.`);
    },
  };
}

/** `mailroom aliases …`. */
export const aliasesCommand = addressCommand('aliases');
/** `mailroom groups …`. */
export const groupsCommand = addressCommand('groups');

/** `mailroom connections add-postfixadmin …`, reached from the connections command. */
export async function addPostfixAdminConnection(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(argv, {
    name: { type: 'string' }, dialect: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, database: { type: 'string' },
    user: { type: 'string' }, path: { type: 'string' }, encrypt: { type: 'string' }, 'site-config': { type: 'string' }, scheme: { type: 'string' },
    'quota-multiplier': { type: 'string' }, 'password-env': { type: 'string' }, 'password-file': { type: 'string' }, 'no-password': { type: 'boolean' },
    'skip-test': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}"; passwords are never taken from the command line.`);
  const site = values['site-config'] ? await siteConfigFile(values['site-config']) : undefined;
  const sqlite = values.dialect === 'sqlite';
  const password = sqlite || values['no-password'] ? undefined : (await newPassword(ctx, values, `${values.user ?? ''}@${values.host ?? ''}`)).password;
  // Option text is passed as typed: the router checks it against the shared schema.
  const r = await ctx.api.connections.addPostfixAdmin({
    name: values.name, dialect: values.dialect,
    ...(values.host ? { host: values.host } : {}), ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.database ? { database: values.database } : {}), ...(values.user ? { user: values.user } : {}),
    ...(values.path ? { path: values.path } : {}), ...(values.encrypt ? { encrypt: values.encrypt } : {}),
    ...(site && Object.keys(site).length ? { site } : {}), ...(values.scheme ? { passwordScheme: values.scheme } : {}),
    ...(values['quota-multiplier'] ? { quotaMultiplier: Number(values['quota-multiplier']) } : {}),
    ...(password ? { password } : {}),
  } as NewPostfixAdminConnection, { test: !values['skip-test'] });
  if (!r.ok && !ctx.json && (r.error.detail as { notSaved?: boolean } | undefined)?.notSaved) ctx.io.stderr.write('Fix the settings and add it again, or save it untested with --skip-test.\n');
  return finish(ctx, r, (c) => `Added PostfixAdmin connection "${c.name}" (${c.id}); ${values['skip-test'] ? 'saved untested (--skip-test)' : 'the test passed'}.`);
}

/** The `$CONF` settings Mailroom follows, read from the site's config.local.php. */
export async function siteConfigFile(file: string): Promise<PfaSiteConfig> {
  try {
    return parseSiteConfig(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read the PostfixAdmin config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
