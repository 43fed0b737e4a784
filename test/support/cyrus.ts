import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { ImapEndpoint } from '../../electron/imap/imap-endpoint.ts';
import { freePort } from './free-port.ts';
import { fixturesDir, testServers } from './servers.ts';

/** One running Cyrus IMAP instance, as test/servers/cyrus.sh describes it (servers.json "cyrus" or instance.json). */
export interface CyrusInstance {
  readonly host: string;
  readonly port: number;
  readonly imapsPort: number;
  readonly servername: string;
  readonly separator: '.' | '/';
  readonly munge8bit: boolean;
  readonly admin: { readonly user: string; readonly password: string };
  readonly users: readonly { readonly user: string; readonly password: string }[];
  /** bob's folder shared to alice: its path for bob, and the path alice sees it under (another user's folder). */
  readonly sharedFolder: { readonly owner: string; readonly path: string; readonly seenBy: string; readonly seenAs: string };
  readonly useradd: readonly string[];
  readonly dir: string;
  readonly log: string;
}

const script = fileURLToPath(new URL('../servers/cyrus.sh', import.meta.url));

function run(argv: readonly string[], env: Record<string, string>, stdin = ''): Promise<string> {
  return new Promise((done, fail) => {
    const child = execFile(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${argv.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
      else done(stdout);
    });
    child.stdin?.end(stdin);
  });
}

/** The Cyrus instance every test run starts (separator ".", munge8bit on), from servers.json. */
export function defaultCyrus(): CyrusInstance {
  const cyrus = (testServers() as unknown as { cyrus: CyrusInstance | null }).cyrus;
  if (!cyrus) throw new Error('servers.json has no cyrus entry: start it with test/servers/cyrus.sh start');
  return cyrus;
}

/** A Cyrus instance of its own for one test file, on free loopback ports; stop it in afterAll. */
export async function startCyrus(options: { separator: '.' | '/'; munge8bit: boolean }): Promise<CyrusInstance & { stop(): Promise<void> }> {
  const dir = join(fixturesDir(), 'cyrus-instances', `${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const env = {
    CYRUS_DIR: dir,
    CYRUS_SEPARATOR: options.separator,
    CYRUS_MUNGE8BIT: options.munge8bit ? 'yes' : 'no',
    CYRUS_IMAP_PORT: String(await freePort()),
    CYRUS_IMAPS_PORT: String(await freePort()),
  };
  await run(['sh', script, 'start'], env);
  const instance = JSON.parse(readFileSync(join(dir, 'instance.json'), 'utf8')) as CyrusInstance;
  const stop = async (): Promise<void> => {
    await run(['sh', script, 'stop'], { CYRUS_DIR: dir });
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...instance, stop };
}

/** Adds a fresh sasldb user (its INBOX and special-use folders appear at first login). */
export async function addCyrusUser(cyrus: CyrusInstance, prefix: string): Promise<{ user: string; password: string }> {
  const user = `${prefix}-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('base64url');
  await run(cyrus.useradd.concat(user), {}, `${password}\n`);
  return { user, password };
}

/** An implicit-TLS endpoint on the instance, verified against the fixture CA. */
export function cyrusEndpoint(cyrus: CyrusInstance, account: { user: string; password: string }): ImapEndpoint {
  return { host: cyrus.host, port: cyrus.imapsPort, tls: 'implicit', user: account.user, auth: { password: account.password }, ca: readFileSync(testServers().ca, 'utf8'), servername: cyrus.servername };
}

/** imaps:// URL of an account on the instance, for `mailroom migrate`. */
export function cyrusUrl(cyrus: CyrusInstance, account: { user: string }): string {
  return `imaps://${encodeURIComponent(account.user)}@${cyrus.host}:${cyrus.imapsPort}`;
}

/**
 * Logs in over implicit TLS, sends each command (tagged c1, c2, …) after the previous one's tagged
 * answer and returns the whole transcript: a reader independent of imapflow, which prefixes every
 * path with the personal namespace and so never reaches another user's folder.
 */
export function rawImap(cyrus: CyrusInstance, account: { user: string; password: string }, commands: readonly string[]): Promise<string> {
  const script = [`LOGIN "${account.user}" "${account.password}"`, ...commands, 'LOGOUT'];
  return new Promise((done, fail) => {
    const socket = connect({ host: cyrus.host, port: cyrus.imapsPort, servername: cyrus.servername, ca: readFileSync(testServers().ca, 'utf8') });
    let transcript = '';
    let next = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error(`no answer from Cyrus; so far:\n${transcript}`));
    }, 20_000);
    const send = (): void => {
      const command = script[next];
      if (command !== undefined) socket.write(`c${++next} ${command}\r\n`);
    };
    socket.on('data', (chunk: Buffer) => {
      transcript += chunk.toString('latin1');
      if (next === 0 ? /^\* OK/m.test(transcript) : new RegExp(`^c${next} `, 'm').test(transcript)) send();
    });
    socket.on('error', fail);
    socket.on('close', () => {
      clearTimeout(timer);
      done(transcript);
    });
  });
}
