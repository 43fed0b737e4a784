import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

/** A Radicale CalDAV/CardDAV server (Debian's package) run by a test on a loopback port. */
export interface RadicaleServer {
  readonly url: string;
  readonly users: readonly { readonly user: string; readonly password: string }[];
  /** Radicale's own storage folder: the judge of what it holds. */
  readonly storage: string;
  stop(): Promise<void>;
}

/** One stored item as Radicale keeps it on disk. */
export interface StoredItem {
  readonly name: string;
  readonly text: string;
}

/** Starts Radicale with htpasswd users and owner-only rights in a fresh private folder. */
export async function startRadicale(users: readonly { user: string; password: string }[]): Promise<RadicaleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mr-radicale-'));
  const port = await freePort();
  writeFileSync(join(dir, 'users'), users.map((u) => `${u.user}:${u.password}`).join('\n') + '\n', { mode: 0o600 });
  writeFileSync(
    join(dir, 'config'),
    [
      '[server]', `hosts = 127.0.0.1:${port}`, 'max_content_length = 100000000',
      '[auth]', 'type = htpasswd', `htpasswd_filename = ${join(dir, 'users')}`, 'htpasswd_encryption = plain', 'delay = 0',
      '[storage]', `filesystem_folder = ${join(dir, 'collections')}`,
      '[rights]', 'type = owner_only',
      '[logging]', 'level = warning',
    ].join('\n') + '\n',
  );
  const child: ChildProcess = spawn('radicale', ['--config', join(dir, 'config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, child, () => stderr);
  return {
    url: `http://127.0.0.1:${port}/`,
    users,
    storage: join(dir, 'collections', 'collection-root'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`radicale exited: ${log()}`);
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`radicale did not listen on ${port}: ${log()}`);
}

/** The collections of a user as stored (folder name → display properties). */
export function storedCollections(server: RadicaleServer, user: string): Map<string, Record<string, string>> {
  const home = join(server.storage, user);
  const out = new Map<string, Record<string, string>>();
  if (!existsSync(home)) return out;
  for (const name of readdirSync(home)) {
    const props = join(home, name, '.Radicale.props');
    if (existsSync(props)) out.set(name, JSON.parse(readFileSync(props, 'utf8')) as Record<string, string>);
  }
  return out;
}

/** Every item of a stored collection, read from Radicale's folder. */
export function storedItems(server: RadicaleServer, user: string, collection: string): StoredItem[] {
  const folder = join(server.storage, user, collection);
  return readdirSync(folder)
    .filter((n) => !n.startsWith('.'))
    .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') }));
}
