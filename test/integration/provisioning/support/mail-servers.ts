import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SqlTarget } from '../../../../electron/backends/postfixadmin/sql-driver.ts';

const run = promisify(execFile);

/** True when the tests run as root: services then run as `nobody` and Postfix can be started. */
export const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

/** A private port on 127.0.0.1 that was free a moment ago (no fixed numbers, so parallel runs do not collide). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, log: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not open; see ${log}`);
}

/** Runs a command that daemonises: stdio is not piped, or the daemon's inherited pipes would keep us waiting. */
export function startDaemon(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function asService(argv: readonly string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'nobody', '--', ...argv]] : [argv[0]!, argv.slice(1)];
}

function connectString(target: SqlTarget): string {
  if (target.dialect === 'sqlite') return target.path!;
  return `host=${target.host} port=${target.port} user=${target.user} dbname=${target.database}`;
}

/** SQL string concatenation: MySQL's `||` is a logical OR. */
function concat(target: SqlTarget, ...parts: string[]): string {
  return target.dialect === 'mysql' ? `CONCAT(${parts.join(', ')})` : parts.join(' || ');
}

/** A running Dovecot that authenticates and finds users in the PostfixAdmin database. */
export interface DovecotInstance {
  readonly imapPort: number;
  readonly lmtpPort: number;
  readonly dir: string;
  doveadm(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts Dovecot (IMAP + LMTP, count quota from SQL, usage cloned into quota2) on free loopback ports. */
export async function startDovecot(target: SqlTarget): Promise<DovecotInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'mr-dc-'));
  for (const sub of ['run', 'state', 'log', 'mail']) mkdirSync(join(dir, sub));
  const [imapPort, lmtpPort] = [await freePort(), await freePort()];
  const driver = target.dialect === 'postgres' ? 'pgsql' : target.dialect;
  const home = concat(target, `'${dir}/mail/'`, 'maildir');
  const quotaRule = concat(target, "'*:bytes='", 'quota');
  writeFileSync(
    join(dir, 'dovecot-sql.conf.ext'),
    [
      `driver = ${driver}`,
      `connect = ${connectString(target)}`,
      'default_pass_scheme = BLF-CRYPT',
      // backends.md 5.5; '1' reads as true on PostgreSQL's BOOLEAN too.
      "password_query = SELECT username AS user, password FROM mailbox WHERE username = '%u' AND active = '1'",
      `user_query = SELECT ${home} AS home, ${quotaRule} AS quota_rule FROM mailbox WHERE username = '%u' AND active = '1'`,
      "iterate_query = SELECT username AS user FROM mailbox WHERE active = '1'",
      '',
    ].join('\n'),
  );
  const map = (pattern: string, field: string): string =>
    ['map {', `  pattern = ${pattern}`, '  table = quota2', '  username_field = username', `  value_field = ${field}`, '}'].join('\n');
  writeFileSync(join(dir, 'dovecot-dict-sql.conf.ext'), [`connect = ${connectString(target)}`, map('priv/quota/storage', 'bytes'), map('priv/quota/messages', 'messages'), ''].join('\n'));
  const svc = isRoot ? 'nobody' : (process.env['USER'] ?? 'nobody');
  const svcGroup = isRoot ? 'nogroup' : svc;
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `protocols = imap lmtp
listen = 127.0.0.1
instance_name = mailroom-pfa-${target.dialect}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/log/dovecot.log
info_log_path = ${dir}/log/dovecot.log
default_internal_user = ${svc}
default_internal_group = ${svcGroup}
default_login_user = ${svc}
first_valid_uid = 1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0s
auth_cache_size = 0
mail_location = maildir:~/Maildir
mail_fsync = never
mail_plugins = $mail_plugins quota quota_clone
passdb {
  driver = sql
  args = ${dir}/dovecot-sql.conf.ext
}
userdb {
  driver = sql
  args = ${dir}/dovecot-sql.conf.ext
}
dict {
  sqlquota = ${driver}:${dir}/dovecot-dict-sql.conf.ext
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_clone_dict = proxy::sqlquota
}
protocol lmtp {
  postmaster_address = postmaster@example.test
  lmtp_rcpt_check_quota = yes
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
service anvil {
  chroot =
  # No auth penalty: the suites fail logins on purpose and must not wait for it.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service dict {
  unix_listener dict {
    mode = 0666
  }
}
`,
  );
  if (isRoot) chownTree(dir);
  const conf = join(dir, 'dovecot.conf');
  const log = join(dir, 'log', 'dovecot.log');
  const [cmd, args] = asService(['dovecot', '-c', conf]);
  await startDaemon(cmd, args);
  await waitForPort(imapPort, log);
  await waitForPort(lmtpPort, log);
  return {
    imapPort,
    lmtpPort,
    dir,
    doveadm: async (...rest) => {
      const [c, a] = asService(['doveadm', '-c', conf, ...rest]);
      return (await run(c, a)).stdout;
    },
    stop: async () => {
      const pid = Number(readFileSync(join(dir, 'run', 'master.pid'), 'utf8').trim());
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone: nothing to stop.
      }
      for (let i = 0; i < 50; i += 1) {
        try {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 50));
        } catch {
          break;
        }
      }
      if (!process.env['KEEP_FIXTURES']) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function chownTree(dir: string): void {
  chownSync(dir, NOBODY.uid, NOBODY.gid);
  for (const sub of ['run', 'state', 'log', 'mail']) chownSync(join(dir, sub), NOBODY.uid, NOBODY.gid);
  chmodSync(dir, 0o755);
}

/** The log Dovecot wrote, for assertion messages. */
export function dovecotLog(instance: DovecotInstance): string {
  try {
    return readFileSync(join(instance.dir, 'log', 'dovecot.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
