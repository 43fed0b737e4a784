import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';

/** The running test servers, as test/servers/start-all.sh describes them in servers.json. */
export interface TestServers {
  readonly imap: {
    readonly host: string;
    readonly port: number;
    readonly imapsPort: number;
    readonly lmtpPort: number;
    /** Pigeonhole's ManageSieve (RFC 5804), STARTTLS. */
    readonly managesievePort: number;
    readonly servername: string;
    readonly usersFile: string;
    readonly mailRoot: string;
  };
  readonly dns: { readonly host: string; readonly port: number } | null;
  readonly smtp: { readonly host: string; readonly port: number } | null;
  readonly ca: string;
  readonly users: readonly { readonly user: string; readonly password: string }[];
  readonly doveadm: readonly string[];
}

/** The fixture directory the server scripts use. */
export function fixturesDir(): string {
  return resolve(process.env['MAILROOM_FIXTURES'] ?? '.fixtures');
}

/** Reads servers.json; fails with a clear message when the servers were not started. */
export function testServers(): TestServers {
  const file = join(fixturesDir(), 'servers.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TestServers;
  } catch (error) {
    throw new Error(`${file} is missing: run integration tests through test/servers/with-servers.sh (${(error as Error).message})`, { cause: error });
  }
}

/** Adds a Dovecot user for one test (the passwd-file is re-read on every login). */
/** Whether Node was started trusting the servers' CA (NODE_EXTRA_CA_CERTS, read once at start): a server set's ca.pem is a link to the first set's. */
export function trustsTestCa(servers: TestServers): boolean {
  const extra = process.env['NODE_EXTRA_CA_CERTS'];
  return !!extra && existsSync(extra) && realpathSync(extra) === realpathSync(servers.ca);
}

export function addImapUser(servers: TestServers, user: string, password: string, extra = ''): void {
  appendFileSync(servers.imap.usersFile, `${user}:{PLAIN}${password}::::::${extra}\n`);
}

/**
 * Adds Dovecot users and waits until Dovecot knows them: its passwd-file is stat'ed at most once a second, so a
 * user appended in the second of an earlier lookup stays unknown until the next second.
 */
export async function addImapUsersKnown(servers: TestServers, users: readonly { user: string; password: string }[]): Promise<void> {
  appendFileSync(servers.imap.usersFile, users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''));
  const [cmd, ...args] = servers.doveadm;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await promisify(execFile)(cmd!, [...args, 'user', users.at(-1)!.user]);
      return;
    } catch (error) {
      if (attempt >= 30) throw new Error(`Dovecot does not know ${users.at(-1)!.user}`, { cause: error });
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}
