import type {
  AliasInfo,
  Capabilities,
  DkimSigner,
  DomainInfo,
  DomainPatch,
  ForwardingInfo,
  GroupInfo,
  MailboxInfo,
  MailboxPatch,
  NewMailbox,
  Outcome,
  Support,
} from '../../../shared/domain/provisioning.ts';
import { ok, type AppError, type Result } from '../../../shared/errors/result.ts';
import type { BackendAdapter, DkimKeyToInstall, PlannedWrite } from '../adapter.ts';
import * as aliases from './pfa-aliases.ts';
import { encryptOfScheme, type PasswordWriter } from './encrypt-scheme.ts';
import { guard, reject, writerFor, type PfaContext } from './pfa-context.ts';
import * as dkim from './pfa-dkim.ts';
import * as domains from './pfa-domains.ts';
import * as mailboxes from './pfa-mailboxes.ts';
import * as preview from './pfa-preview.ts';
import type { HashOptions, PasswordScheme } from './password-hash.ts';
import { siteRules, type PfaSiteConfig } from './site-config.ts';
import { missingRequired, readSchema, releaseOf, type PfaSchema } from './site-schema.ts';
import { openSqlDriver, type SqlDriver, type SqlTarget } from './sql-driver.ts';
import { classifySqlError } from './sql-errors.ts';

/** Non-secret settings of a PostfixAdmin connection; the SQL password lives in the vault. */
export interface PostfixAdminSettings extends SqlTarget {
  /** The site's `$CONF['encrypt']`; absent: PostfixAdmin's default for the schema revision (md5crypt in 3.3). */
  readonly encrypt?: string;
  /** The site's other `$CONF` settings Mailroom follows (quota_multiplier, quota, password_expiration, …). */
  readonly site?: PfaSiteConfig;
  /** Older connections: a Dovecot scheme, written with its `{SCHEME}` prefix (the same as encrypt `dovecot:SCHEME`). */
  readonly passwordScheme?: PasswordScheme;
  /** Older connections: `$CONF['quota_multiplier']` (default 1 024 000); `site.quota_multiplier` wins. */
  readonly quotaMultiplier?: number;
}

/** Construction options beyond the settings. */
export interface PostfixAdminOptions {
  readonly actor?: string;
  readonly hashOptions?: HashOptions;
}

const native: Support = { level: 'native' };

/** The self-hosted SQL backend: a PostfixAdmin-schema database that Postfix maps and Dovecot read. */
export class PostfixAdminAdapter implements BackendAdapter {
  private readonly ctx: PfaContext;

  constructor(driver: SqlDriver, settings: PostfixAdminSettings, options: PostfixAdminOptions = {}) {
    const encrypt = settings.encrypt ?? (settings.passwordScheme ? encryptOfScheme(settings.passwordScheme) : undefined);
    let schema: Promise<PfaSchema> | null = null;
    this.ctx = {
      driver,
      rules: siteRules(settings.site, { ...(encrypt ? { encrypt } : {}), ...(settings.quotaMultiplier ? { quotaMultiplier: settings.quotaMultiplier } : {}) }),
      hashOptions: options.hashOptions ?? {},
      actor: options.actor ?? 'mailroom',
      schema: () => {
        // Read once per connection; a failed read is retried by the next call.
        schema ??= readSchema(driver, driver.dialect).then(
          (read) => {
            const missing = missingRequired(read);
            if (missing) reject('backend.validation', `This database is not a PostfixAdmin database Mailroom can use: it has no ${missing}.`);
            return read;
          },
          (error: unknown) => {
            schema = null;
            throw error;
          },
        );
        return schema;
      },
    };
  }

  /** The SQL dialect behind this connection. */
  get dialect(): SqlDriver['dialect'] {
    return this.ctx.driver.dialect;
  }

  async probe(): Promise<Result<Capabilities>> {
    const schema = await guard('Connecting', () => this.ctx.schema());
    if (!schema.ok) return schema;
    const writer = await writerFor(this.ctx);
    return ok({ ...capabilities(schema.value, writer, this.ctx.rules.encrypt !== null), dkim: dkim.dkimSupport(await dkim.hasDkimTables(this.ctx)) });
  }

  listDomains(signal?: AbortSignal): AsyncIterable<Result<DomainInfo>> {
    return domains.listDomains(this.ctx, signal);
  }

  async createDomain(name: string, options: { description?: string } & DomainPatch = {}): Promise<Result<Outcome<DomainInfo>>> {
    return done(await domains.createDomain(this.ctx, name, options));
  }

  updateDomain(name: string, patch: DomainPatch): Promise<Result<DomainInfo>> {
    return domains.updateDomain(this.ctx, name, patch);
  }

  deleteDomain(name: string): Promise<Result<void>> {
    return domains.deleteDomain(this.ctx, name);
  }

  createAliasDomain(alias: string, target: string): Promise<Result<DomainInfo>> {
    return domains.createAliasDomain(this.ctx, alias, target);
  }

  listMailboxes(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<MailboxInfo>> {
    return mailboxes.listMailboxes(this.ctx, domain, signal);
  }

  getMailbox(address: string): Promise<Result<MailboxInfo | null>> {
    return guard(`Reading mailbox ${address}`, () => mailboxes.getMailbox(this.ctx, address));
  }

  async createMailbox(input: NewMailbox): Promise<Result<Outcome<MailboxInfo>>> {
    return done(await mailboxes.createMailbox(this.ctx, input));
  }

  updateMailbox(address: string, patch: MailboxPatch): Promise<Result<MailboxInfo>> {
    return mailboxes.updateMailbox(this.ctx, address, patch);
  }

  deleteMailbox(address: string): Promise<Result<void>> {
    return mailboxes.deleteMailbox(this.ctx, address);
  }

  setPassword(address: string, password: string, options: { forceChange?: boolean } = {}): Promise<Result<void>> {
    return mailboxes.setPassword(this.ctx, address, password, options.forceChange ?? false);
  }

  listAliases(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<AliasInfo>> {
    return aliases.listAliases(this.ctx, domain, signal);
  }

  upsertAlias(alias: { address: string; targets: readonly string[]; active?: boolean }): Promise<Result<AliasInfo>> {
    return aliases.upsertAlias(this.ctx, alias);
  }

  deleteAlias(address: string): Promise<Result<void>> {
    return aliases.deleteAlias(this.ctx, address);
  }

  listGroups(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<GroupInfo>> {
    return aliases.listGroups(this.ctx, domain, signal);
  }

  async upsertGroup(group: { address: string; name?: string; members: readonly string[] }): Promise<Result<GroupInfo>> {
    const saved = await aliases.upsertAlias(this.ctx, { address: group.address, targets: group.members, ...(group.name === undefined ? {} : { description: group.name }) });
    return saved.ok ? ok({ address: saved.value.address, name: group.name ?? null, members: saved.value.targets }) : saved;
  }

  deleteGroup(address: string): Promise<Result<void>> {
    return aliases.deleteAlias(this.ctx, address);
  }

  getForwarding(address: string): Promise<Result<ForwardingInfo>> {
    return aliases.getForwarding(this.ctx, address);
  }

  async setForwarding(address: string, targets: readonly string[], keepCopy: boolean): Promise<Result<Outcome<ForwardingInfo>>> {
    return done(await aliases.setForwarding(this.ctx, address, targets, keepCopy));
  }

  listForwarding(domain: string | null, signal?: AbortSignal): AsyncIterable<Result<ForwardingInfo>> {
    return aliases.listForwarding(this.ctx, domain, signal);
  }

  listDkimKeys(domain: string): Promise<Result<DkimSigner[]>> {
    return dkim.listDkimKeys(this.ctx, domain);
  }

  installDkimKey(key: DkimKeyToInstall): Promise<Result<DkimSigner>> {
    return dkim.installDkimKey(this.ctx, key);
  }

  checkWrites(writes: readonly PlannedWrite[]): Promise<Result<(AppError | null)[]>> {
    return preview.checkWrites(this.ctx, writes);
  }

  readPasswordHash(address: string): Promise<Result<string | null>> {
    return preview.readPasswordHash(this.ctx, address);
  }

  restorePasswordHash(address: string, hash: string): Promise<Result<void>> {
    return preview.restorePasswordHash(this.ctx, address, hash);
  }

  close(): Promise<void> {
    return this.ctx.driver.close();
  }
}

function done<T>(result: Result<T>): Result<Outcome<T>> {
  return result.ok ? ok({ state: 'done', value: result.value }) : result;
}

/** What a PostfixAdmin database allows at its schema revision and with its site's hash scheme. */
export function capabilities(schema: PfaSchema, writer: PasswordWriter, encryptNamed = true): Capabilities {
  const hasQuota2 = schema.has('quota2', 'bytes');
  const assumed = encryptNamed ? '' : ` (PostfixAdmin's default for this revision; if the site's own setting differs, enter it under Edit → Site settings, or give --encrypt or --site-config to the CLI)`;
  const password: Support = writer.ok
    ? { level: 'native', how: `hashes as the site's encrypt = '${writer.encrypt}'${assumed}` }
    : { level: 'unsupported', manual: `${writer.reason}${assumed}` };
  return {
    kind: 'postfixadmin-sql',
    version: releaseOf(schema.revision),
    domain: { list: native, create: { level: 'native', how: "with the site's default limits for new domains" }, remove: native, alias: native },
    mailbox: {
      list: native,
      create: password.level === 'native' ? { level: 'native', how: 'mailbox row and its own alias row, within the domain limits' } : password,
      update: native,
      remove: { level: 'native', how: 'rows only; the maildir stays on disk until the post-deletion hook removes it' },
      suspend: { level: 'native', how: "mailbox.active = 0 and the mailbox's alias row with it (login, delivery and forwarding)" },
      setPassword: password,
      forcePasswordChange: { level: 'unsupported', manual: 'Let the user change it in the PostfixAdmin users/ portal.' },
    },
    alias: { manage: native, catchAll: { level: 'native', how: 'alias row @domain' } },
    group: {
      manage: { level: 'emulated', how: schema.has('alias', 'description') ? 'alias with several targets; the name in alias.description' : 'alias with several targets (this schema revision has no alias.description: groups have no name)' },
      model: 'alias-fanout',
    },
    forward: {
      set: { level: 'emulated', how: "the mailbox's own alias row (goto)" },
      read: { level: 'native', how: "targets other than the mailbox in its own alias row (goto)" },
      keepCopy: true,
      needsConfirmation: false,
    },
    quota: { set: { level: 'native', how: "whole MB as PostfixAdmin counts them (× quota_multiplier); 1 MB in Mailroom is 1 MB in PostfixAdmin" } },
    usage: hasQuota2
      ? { read: { level: 'native', how: 'quota2 written by the Dovecot quota dict' }, freshness: 'live' }
      : { read: { level: 'needs-sidecar', manual: 'doveadm quota get -u USER on the mail server' }, freshness: 'none' },
    dkim: dkim.dkimSupport(false),
    security: {
      lastLogin: { level: 'unsupported', manual: "PostfixAdmin keeps no logins; Dovecot's last_login plugin writes them to a dict of its own (doveadm who for live sessions)." },
      twoStepEnforcement: { level: 'unsupported', manual: 'PostfixAdmin has TOTP for its own admins only, not for mailboxes.' },
      securityDefaults: { level: 'unsupported', manual: 'Microsoft 365 only.' },
      spamThreshold: { level: 'unsupported', manual: "Spam scores live in the content filter (rspamd or SpamAssassin's required_score) on the mail server." },
    },
  };
}

/** Opens the database and returns the adapter, or a `backend.*` error when it cannot be reached. */
export async function openPostfixAdminAdapter(
  settings: PostfixAdminSettings,
  password: string | null,
  options: PostfixAdminOptions = {},
): Promise<Result<PostfixAdminAdapter>> {
  try {
    return ok(new PostfixAdminAdapter(await openSqlDriver(settings, password), settings, options));
  } catch (error) {
    return { ok: false, error: classifySqlError(error, `Opening the ${settings.dialect} database`) };
  }
}
