import type { TLSSocket } from 'node:tls';

// Certificate pinning for both IMAP stacks (imapflow through backends/imap/pinned-transport.ts, and
// the raw sessions of session.ts): one comparison and one error, so both refuse an impostor alike.

/** Normalises a SHA-256 fingerprint to upper-case, colon-separated hex. */
export function normalizeFingerprint(value: string): string {
  return (value.replace(/[^0-9a-fA-F]/g, '').toUpperCase().match(/../g) ?? []).join(':');
}

/** Raised when the server's certificate is not the pinned one. */
export class CertificatePinMismatch extends Error {
  override readonly name = 'CertificatePinMismatch';
  readonly code = 'CERT_PIN_MISMATCH';
}

/** Compares the certificate a TLS socket received with the pinned fingerprint: null when it is the one, else the error to fail with. */
export function checkPin(socket: TLSSocket, pinnedFingerprint: string): CertificatePinMismatch | null {
  const expected = normalizeFingerprint(pinnedFingerprint);
  const actual = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
  return actual === expected ? null : new CertificatePinMismatch(`The server presented certificate ${actual}, not the pinned ${expected}.`);
}
