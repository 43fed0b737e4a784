import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackHost, type LoopbackHost, type LoopbackHostOptions } from './loopback-host.ts';

/** The port and key a kept console session reuses, so the address it prints stays the same between starts. */
export interface ServeSession {
  readonly port: number;
  readonly token: string;
}

/** The file, private to the user, that keeps the session in the data folder. */
export function serveSessionFile(dataDir: string): string {
  return join(dataDir, 'serve-session.json');
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The kept session, or a fresh key (port 0: the host picks one) when there is none or the file is unreadable. */
export function loadServeSession(dataDir: string): ServeSession {
  try {
    const parsed = JSON.parse(readFileSync(serveSessionFile(dataDir), 'utf8')) as { port?: unknown; token?: unknown };
    if (typeof parsed.token === 'string' && TOKEN.test(parsed.token) && Number.isInteger(parsed.port) && (parsed.port as number) > 0 && (parsed.port as number) < 65536) {
      return { port: parsed.port as number, token: parsed.token };
    }
  } catch {
    // Missing or damaged: start a new session below; the next save replaces the file.
  }
  return { port: 0, token: randomBytes(32).toString('base64url') };
}

/** Writes the session for the next start, readable by this user only (mode 0600), replacing the file atomically. */
export function saveServeSession(dataDir: string, session: ServeSession): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = serveSessionFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ port: session.port, token: session.token }) + '\n', { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file: a leftover temp file keeps its own, so set it outright.
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/** Starts the host on the kept port and key; a port now taken by something else gives way to a free one, and the file follows. */
export async function startKeptSession(options: LoopbackHostOptions, dataDir: string): Promise<LoopbackHost> {
  const kept = loadServeSession(dataDir);
  const port = options.port || kept.port;
  let host: LoopbackHost;
  try {
    host = await startLoopbackHost({ ...options, port, token: kept.token });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    host = await startLoopbackHost({ ...options, port: 0, token: kept.token });
  }
  saveServeSession(dataDir, { port: Number(new URL(host.origin).port), token: host.token });
  return host;
}
