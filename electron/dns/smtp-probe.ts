import { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';

/** The certificate facts a STARTTLS handshake yields. */
export interface PresentedCertificate {
  /** DER of the leaf, then of each issuer the server sent. */
  readonly chain: readonly Buffer[];
  readonly validTo: Date;
  readonly nameMatches: boolean;
  readonly trusted: boolean;
  readonly trustError: string | null;
  readonly protocol: string | null;
}

/** Outcome of one SMTP probe. */
export type SmtpProbe =
  | { readonly status: 'unreachable'; readonly reason: string }
  | { readonly status: 'no-starttls'; readonly banner: string; readonly ehlo: string; readonly openRelay: boolean | null }
  | { readonly status: 'tls-failed'; readonly reason: string }
  | { readonly status: 'ok'; readonly banner: string; readonly ehlo: string; readonly certificate: PresentedCertificate; readonly openRelay: boolean | null };

/** Options of one probe. */
export interface ProbeOptions {
  readonly port: number;
  readonly timeoutMs: number;
  readonly ca?: string | undefined;
  /** Try to relay from one outside address to another before STARTTLS (mx.open-relay; opt-in). */
  readonly relayTest?: boolean;
  /** Offer only TLS 1.0 and 1.1, to learn whether the server still accepts them (tls.protocol-version). */
  readonly legacyTls?: boolean;
}

class LineReader {
  private buffer = '';
  private lines: string[] = [];
  private waiter: (() => void) | null = null;
  closed: Error | null = null;

  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split(/\r?\n/);
      this.buffer = parts.pop() ?? '';
      this.lines.push(...parts);
      this.waiter?.();
    });
    const end = (error?: Error): void => {
      this.closed ??= error ?? new Error('connection closed');
      this.waiter?.();
    };
    socket.on('error', end);
    socket.on('close', () => end());
  }

  /** Reads one SMTP reply (RFC 5321 §4.2: continuation lines use "ddd-"). */
  async reply(): Promise<{ code: number; lines: string[] }> {
    const out: string[] = [];
    for (;;) {
      while (this.lines.length === 0) {
        if (this.closed) throw this.closed;
        await new Promise<void>((resolve) => (this.waiter = resolve));
        this.waiter = null;
      }
      const line = this.lines.shift()!;
      out.push(line);
      if (/^\d{3}(?: |$)/.test(line)) return { code: Number(line.slice(0, 3)), lines: out };
      if (!/^\d{3}-/.test(line) || out.length > 200) throw new Error(`unexpected SMTP reply: ${line.slice(0, 80)}`);
    }
  }
}

/** Connects to an MX address, reads the banner, sends EHLO and STARTTLS, and inspects the certificate; never rejects. */
export async function probeSmtp(address: string, hostname: string, options: ProbeOptions): Promise<SmtpProbe> {
  const socket = netConnect({ host: address, port: options.port });
  const deadline = setTimeout(() => socket.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
  const reader = new LineReader(socket);
  let stage: 'connect' | 'smtp' | 'tls' = 'connect';
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    stage = 'smtp';
    const banner = await reader.reply();
    if (banner.code !== 220) return { status: 'unreachable', reason: `the server greeted with ${banner.lines[0]}` };
    socket.write('EHLO mailroom.invalid\r\n');
    const ehlo = await reader.reply();
    if (ehlo.code !== 250) return { status: 'unreachable', reason: `EHLO was refused: ${ehlo.lines[0]}` };
    const openRelay = options.relayTest ? await relayAccepted(socket, reader) : null;
    if (!ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l))) {
      socket.end('QUIT\r\n');
      return { status: 'no-starttls', banner: banner.lines[0]!, ehlo: ehlo.lines[0]!, openRelay };
    }
    socket.write('STARTTLS\r\n');
    const ready = await reader.reply();
    if (ready.code !== 220) return { status: 'tls-failed', reason: `STARTTLS was refused: ${ready.lines[0]}` };
    stage = 'tls';
    socket.removeAllListeners('data');
    const secure = await upgrade(socket, hostname, options);
    const certificate = describe(secure, hostname);
    secure.end('QUIT\r\n');
    return { status: 'ok', banner: banner.lines[0]!, ehlo: ehlo.lines[0]!, certificate, openRelay };
  } catch (error) {
    const reason = (error as Error).message;
    if (stage === 'tls') return { status: 'tls-failed', reason };
    return { status: 'unreachable', reason };
  } finally {
    clearTimeout(deadline);
    socket.destroy();
  }
}

// Reserved names only (RFC 2606), and RSET before any DATA: the test never sends a message.
async function relayAccepted(socket: Socket, reader: LineReader): Promise<boolean> {
  socket.write('MAIL FROM:<relay-probe@mailroom.invalid>\r\n');
  const mail = await reader.reply();
  let accepted = false;
  if (mail.code === 250) {
    socket.write('RCPT TO:<relay-probe@example.com>\r\n');
    accepted = (await reader.reply()).code < 300;
  }
  socket.write('RSET\r\n');
  await reader.reply();
  return accepted;
}

// OpenSSL 3 refuses TLS 1.0/1.1 at its default security level; SECLEVEL=0 lets the probe offer them.
const LEGACY = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

function upgrade(socket: Socket, hostname: string, options: ProbeOptions): Promise<TLSSocket> {
  const ca = options.ca;
  return new Promise((resolve, reject) => {
    // Opportunistic SMTP TLS (RFC 3207): accept any certificate, then judge it separately.
    const secure = tlsConnect({ socket, servername: hostname, rejectUnauthorized: false, ca: ca ? [...rootCertificates, ca] : undefined, ...(options.legacyTls ? LEGACY : {}) });
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', reject);
  });
}

function describe(secure: TLSSocket, hostname: string): PresentedCertificate {
  const peer = secure.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  const chain: Buffer[] = [];
  let cursor: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (cursor && cursor.raw && chain.length < 10) {
    if (chain.some((c) => c.equals(cursor!.raw))) break;
    chain.push(cursor.raw);
    cursor = cursor.issuerCertificate;
  }
  const leaf = chain[0] ? new X509Certificate(chain[0]) : null;
  return {
    chain,
    validTo: leaf ? new Date(leaf.validTo) : new Date(0),
    nameMatches: leaf ? leaf.checkHost(hostname) !== undefined : false,
    trusted: secure.authorized,
    trustError: secure.authorizationError ? String(secure.authorizationError) : null,
    protocol: secure.getProtocol(),
  };
}
