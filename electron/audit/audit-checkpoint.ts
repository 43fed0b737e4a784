import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { AuditCheckpoint, AuditProblem } from '../../shared/domain/audit.ts';
import type { JournalKeys } from './audit-keys.ts';

const FORMAT = 'mailroom-audit-checkpoint/1';

// What the signature covers; the public key itself is bound through its fingerprint.
const signed = (c: Omit<AuditCheckpoint, 'publicKey' | 'signature'>): Buffer =>
  Buffer.from(JSON.stringify([c.format, c.seq, c.mac, c.at, c.keyFingerprint]));

/** Signs a checkpoint of the journal's newest entry with the Ed25519 key from the keychain. */
export function signCheckpoint(keys: JournalKeys, head: { seq: number; hash: string }, at: string): AuditCheckpoint {
  const body = { format: FORMAT, seq: head.seq, mac: head.hash, at, keyFingerprint: keys.fingerprint } as const;
  return {
    ...body,
    publicKey: keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    signature: sign(null, signed(body), keys.signingKey).toString('base64'),
  };
}

const short = (fingerprint: string): string => fingerprint.slice(0, 16);

/** Why a checkpoint cannot vouch for this journal at all (altered file, another journal's key); null when it can. */
function authenticity(keys: JournalKeys, c: AuditCheckpoint): string | null {
  let ownFingerprint: string;
  try {
    const der = createPublicKey({ key: Buffer.from(c.publicKey, 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'der' });
    ownFingerprint = createHash('sha256').update(der).digest('hex');
  } catch {
    return 'the checkpoint is not matched: its public key is unreadable, so the file was altered';
  }
  if (ownFingerprint !== c.keyFingerprint) return 'the checkpoint is not matched: its public key does not match its fingerprint, so the file was altered';
  if (c.keyFingerprint !== keys.fingerprint) {
    return `the checkpoint is not matched: it was signed by another journal's key (${short(c.keyFingerprint)}…), not this journal's (${short(keys.fingerprint)}…)`;
  }
  // Checked with the keychain's public key, never the one in the file.
  if (!verify(null, signed(c), keys.publicKey, Buffer.from(c.signature, 'base64'))) {
    return 'the checkpoint is not matched: its signature is invalid, so the file was altered after it was signed';
  }
  return null;
}

/** Checks a checkpoint's signature, then that the journal still holds the entry it records; null when it does. */
export function checkCheckpoint(db: Db, keys: JournalKeys, c: AuditCheckpoint, lastSeq: number): AuditProblem | null {
  const forged = authenticity(keys, c);
  if (forged !== null) return { kind: 'checkpoint', seq: null, reason: forged };
  if (c.seq === 0) return null;
  if (c.seq > lastSeq) {
    return { kind: 'checkpoint', seq: c.seq, reason: `entries after ${lastSeq} were deleted: the checkpoint of ${c.at} records entry ${c.seq}` };
  }
  const row = db.prepare('SELECT hash FROM audit_journal WHERE seq = ?').get(c.seq) as { hash: string } | undefined;
  if (row === undefined) return { kind: 'checkpoint', seq: c.seq, reason: `entry ${c.seq}, which the checkpoint of ${c.at} records, is missing` };
  if (row.hash !== c.mac) {
    return { kind: 'checkpoint', seq: c.seq, reason: `the checkpoint is not matched: entry ${c.seq} is not the entry the checkpoint of ${c.at} recorded, so the journal was rewritten up to there` };
  }
  return null;
}
