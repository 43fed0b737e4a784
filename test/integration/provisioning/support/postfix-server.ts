import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SqlTarget } from '../../../../electron/backends/postfixadmin/sql-driver.ts';
import { freePort, startDaemon } from './mail-servers.ts';

const run = promisify(execFile);

/** A running Postfix whose virtual maps read the PostfixAdmin database (root only, test-servers.md 9). */
export interface PostfixInstance {
  readonly smtpPort: number;
  readonly dir: string;
  /** Looks a key up in one of the map files, as Postfix would. */
  lookup(map: string, key: string): Promise<string>;
  stop(): Promise<void>;
}

const MASTER = (port: number): string => `${port} inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 1 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;

/** The PostfixAdmin map queries of backends.md 5.4, with CONCAT for MySQL (whose `||` is OR). */
function mapQueries(dialect: SqlTarget['dialect']): Record<string, string> {
  const cat = (...p: string[]): string => (dialect === 'mysql' ? `CONCAT(${p.join(', ')})` : p.join(' || '));
  return {
    domains: "SELECT domain FROM domain WHERE domain='%s' AND active = '1' AND backupmx = '0'",
    aliases: "SELECT goto FROM alias WHERE address='%s' AND active = '1'",
    alias_domains: `SELECT goto FROM alias, alias_domain WHERE alias_domain.alias_domain = '%d' AND alias.address = ${cat("'%u'", "'@'", 'alias_domain.target_domain')} AND alias.active = '1' AND alias_domain.active = '1'`,
    alias_domain_catchall: `SELECT goto FROM alias, alias_domain WHERE alias_domain.alias_domain = '%d' AND alias.address = ${cat("'@'", 'alias_domain.target_domain')} AND alias.active = '1' AND alias_domain.active = '1'`,
    mailboxes: "SELECT maildir FROM mailbox WHERE username='%s' AND active = '1'",
    alias_domain_mailboxes: `SELECT maildir FROM mailbox, alias_domain WHERE alias_domain.alias_domain = '%d' AND mailbox.username = ${cat("'%u'", "'@'", 'alias_domain.target_domain')} AND mailbox.active = '1' AND alias_domain.active = '1'`,
  };
}

function connection(target: SqlTarget): string {
  if (target.dialect === 'sqlite') return `dbpath = ${target.path}`;
  return [`hosts = inet:${target.host}:${target.port}`, `user = ${target.user}`, 'password =', `dbname = ${target.database}`].join('\n');
}

/** Starts Postfix from a private config directory, delivering virtual mail to Dovecot over LMTP. */
export async function startPostfix(target: SqlTarget, lmtpPort: number): Promise<PostfixInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'mr-pf-'));
  const etc = join(dir, 'etc');
  // mkdtemp makes 0700; the postfix user must reach data/ and the map files.
  chmodSync(dir, 0o755);
  for (const sub of ['etc', 'spool', 'data']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'data'), ...postfixIds());
  const smtpPort = await freePort();
  const type = target.dialect === 'postgres' ? 'pgsql' : target.dialect;
  const maps = mapQueries(target.dialect);
  for (const [name, query] of Object.entries(maps)) writeFileSync(join(etc, `${name}.cf`), `${connection(target)}\nquery = ${query}\n`, { mode: 0o644 });
  const m = (name: string): string => `proxy:${type}:${etc}/${name}.cf`;
  writeFileSync(
    join(etc, 'main.cf'),
    `compatibility_level = 3.6
myhostname = mx.mailroom.test
mydomain = mailroom.test
myorigin = $mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
queue_directory = ${dir}/spool
data_directory = ${dir}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = /var, /dev/stdout, ${dir}
maillog_file = ${dir}/postfix.log
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = ${m('domains')}
virtual_alias_maps = ${m('aliases')}, ${m('alias_domains')}, ${m('alias_domain_catchall')}
virtual_mailbox_maps = ${m('mailboxes')}, ${m('alias_domain_mailboxes')}
virtual_transport = lmtp:inet:127.0.0.1:${lmtpPort}
smtputf8_enable = no
disable_dns_lookups = yes
smtp_dns_support_level = disabled
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
`,
  );
  writeFileSync(join(etc, 'master.cf'), MASTER(smtpPort));
  await startDaemon('postfix', ['-c', etc, 'start']);
  return {
    smtpPort,
    dir,
    lookup: async (name, key) => (await run('postmap', ['-c', etc, '-q', key, `${type}:${etc}/${name}.cf`]).catch(() => ({ stdout: '' }))).stdout.trim(),
    stop: async () => {
      await run('postfix', ['-c', etc, 'stop']).catch(() => undefined);
      if (!process.env['KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The tail of Postfix's log, for assertion messages. */
export function postfixLog(instance: PostfixInstance): string {
  try {
    return readFileSync(join(instance.dir, 'postfix.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

function postfixIds(): [number, number] {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postfix:'));
  const [, , uid, gid] = passwd?.split(':') ?? [];
  return [Number(uid ?? 0), Number(gid ?? 0)];
}
