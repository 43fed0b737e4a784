import { request } from 'node:https';
import { rootCertificates } from 'node:tls';

/** What an HTTPS GET returned, or why it failed. */
export type FetchOutcome =
  | { readonly ok: true; readonly status: number; readonly contentType: string; readonly body: string; readonly location: string | null }
  | { readonly ok: false; readonly reason: string; readonly tls: boolean };

/** Options of one policy fetch. */
export interface FetchOptions {
  readonly address: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly ca?: string | undefined;
  readonly maxBytes: number;
}

/**
 * GETs `https://host/path` from a given address with SNI and Host set to `host`, verifying the
 * certificate against the system CAs (plus `ca`); never follows redirects (RFC 8461 §3.3).
 */
export function httpsGet(host: string, path: string, options: FetchOptions): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: FetchOutcome): void => {
      if (!done) {
        done = true;
        resolve(outcome);
      }
    };
    const req = request({
      host: options.address,
      port: options.port,
      path,
      method: 'GET',
      servername: host,
      headers: { host, 'user-agent': 'Mailroom MTA-STS check' },
      ca: options.ca ? [...rootCertificates, options.ca] : undefined,
      rejectUnauthorized: true,
      timeout: options.timeoutMs,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, reason: `no answer within ${options.timeoutMs} ms`, tls: false });
    }, options.timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy();
          clearTimeout(timer);
          finish({ ok: false, reason: `the policy is larger than ${options.maxBytes} bytes`, tls: false });
        } else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        finish({ ok: true, status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location ?? null });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        finish({ ok: false, reason: error.message, tls: false });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const tls = /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO|SSL|TLS|HOSTNAME/i.test(`${error.code ?? ''} ${error.message}`);
      finish({ ok: false, reason: error.code ? `${error.code}: ${error.message}` : error.message, tls });
    });
    req.end();
  });
}
