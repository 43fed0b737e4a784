import type { ImapFlow } from 'imapflow';
import { appError, type AppError } from '../../shared/errors/result.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { describeEndpoint, imapFlowOptions } from './endpoint.ts';
import type { ConnectionCap } from './connection-cap.ts';

// The imapflow side of a run (listing, verification reads) and the errors that end a run.

/** Names the side in an error from a raw login (source and target may share a host). */
export function onSide(side: 'source' | 'target', error: AppError): AppError {
  return error.message.startsWith(side) ? error : { ...error, message: `${side} ${error.message}` };
}

/** True when both listings name the same set of folders. */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  return x.size === new Set(b).size && b.every((n) => x.has(n));
}

/** An error that ends the run (refused login, untrusted certificate, unreachable after retries). */
export class Fatal extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.error = error;
  }
}

/** The run's durable() step; a store that cannot be made durable ends the run as an error value (no APPEND may leave unrecorded). */
export function durableStep(durable: (() => Promise<void>) | undefined): () => Promise<void> {
  if (!durable) return () => Promise.resolve();
  return () => durable().catch((e: unknown) => {
    throw new Fatal(appError('backend.unavailable', (e as Error).message, { retryable: true }));
  });
}

/** True for an error imapflow or a socket raised (it carries a code or an IMAP response status). */
export function isImapFailure(error: unknown): boolean {
  const e = error as { code?: string; responseStatus?: string; authenticationFailed?: boolean };
  return typeof e === 'object' && e !== null && (e.code !== undefined || e.responseStatus !== undefined || e.authenticationFailed !== undefined);
}

/** Opens an imapflow client, retrying dropped or refused connections; auth and TLS failures are final. */
export async function openClient(endpoint: ImapEndpoint, side: string): Promise<ImapFlow> {
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    // Loaded on first use: a no-change re-run never needs imapflow (quiet-check.ts).
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow(imapFlowOptions(endpoint));
    // imapflow emits 'error' for socket failures after connect; without a listener Node would crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      client.close();
      const e = classifyImapError(error, `${side} ${describeEndpoint(endpoint)}`);
      if (!e.retryable || attempt >= 5) throw new Fatal(e);
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}

/** One shared client per side, re-opened on demand after it dropped. */
export class ClientHolder {
  private client: ImapFlow | null = null;
  private opening: Promise<ImapFlow> | null = null;
  private readonly endpoint: ImapEndpoint;
  private readonly side: string;
  private stopped = false;
  private readonly cap: ConnectionCap | undefined;

  constructor(endpoint: ImapEndpoint, side: string, cap?: ConnectionCap) {
    this.endpoint = endpoint;
    this.side = side;
    this.cap = cap;
  }

  async get(): Promise<ImapFlow> {
    if (this.stopped) throw Object.assign(new Error(`the ${this.side} connection was closed: the run was stopped`), { code: 'ECONNRESET' });
    if (this.client?.usable) return this.client;
    this.client?.close();
    this.client = null;
    this.opening ??= this.open();
    this.client = await this.opening;
    return this.client;
  }

  // Counted by the side's cap from the first attempt until the client is no longer usable.
  private async open(): Promise<ImapFlow> {
    const counted = { client: null as ImapFlow | null, opening: true, get alive(): boolean { return this.opening || (this.client?.usable ?? false); } };
    // Counted from here, before any wait, so no other opener of this run takes the place meanwhile; other runs
    // of the same account may hold its every place: one is waited for (bounded) first.
    this.cap?.hold(counted);
    await this.cap?.admit(1);
    return openClient(this.endpoint, this.side).then((c) => (counted.client = c)).finally(() => {
      counted.opening = false;
      this.opening = null;
    });
  }

  /** Drops the client at once (pause, cancel): what waits on it fails, and get() opens no other. */
  destroy(): void {
    this.stopped = true;
    this.client?.close();
  }

  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // LOGOUT is a courtesy: a server that does not answer it soon is not waited for.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.logout().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    client.close();
  }
}
