import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testServers } from '../../support/servers.ts';

/** One seeded message as it lies in the Maildir: its bytes, internal date and flags. */
export interface SeededMessage {
  readonly content: Buffer;
  readonly internalDate: Date;
  readonly seen: boolean;
}

/**
 * The mailbox of the large-attachment hang: `count` INBOX messages, the first `bigSizes.length`
 * carrying base64 attachments of those raw sizes (random bytes), the rest a few KB of text.
 */
export function largeAttachmentMailbox(count: number, bigSizes: readonly number[]): SeededMessage[] {
  const start = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const text = `Lorem ipsum dolor sit amet ${i}. `.repeat(60 + (i % 5) * 200);
    const raw = i < bigSizes.length ? randomBytes(bigSizes[i]!) : null;
    const attachment = raw
      ? `\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="big${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${raw.toString('base64').replace(/.{1,76}/g, '$&\r\n')}`
      : '';
    const date = new Date(start + i * 600_000);
    const content = Buffer.from(
      `From: sender${i}@partner.example\r\nTo: user@example.test\r\nSubject: INBOX message ${i}\r\nDate: ${date.toUTCString().replace('GMT', '+0000')}\r\n` +
        `Message-ID: <INBOX.${i}@seed.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
        `--b\r\nContent-Type: text/plain\r\n\r\n${text}${attachment}\r\n--b--\r\n`,
      'latin1',
    );
    return { content, internalDate: date, seen: i % 3 !== 0 };
  });
}

/**
 * Writes the messages straight into the user's Maildir INBOX (as a mail delivery would; no IMAP
 * upload is involved), owned by the account Dovecot runs as. The user must not have logged in yet.
 */
export function seedMaildir(user: string, messages: readonly SeededMessage[]): void {
  const mailRoot = testServers().imap.mailRoot;
  const owner = statSync(mailRoot);
  const home = join(mailRoot, user);
  const maildir = join(home, 'Maildir');
  for (const dir of [home, maildir, ...['cur', 'new', 'tmp'].map((s) => join(maildir, s))]) {
    mkdirSync(dir, { recursive: true });
    chownSync(dir, owner.uid, owner.gid);
  }
  messages.forEach((m, i) => {
    const seconds = Math.floor(m.internalDate.getTime() / 1000);
    const file = join(maildir, 'cur', `${seconds}.M${i}P${process.pid}.seed,S=${m.content.length}:2,${m.seen ? 'S' : ''}`);
    writeFileSync(file, m.content);
    chownSync(file, owner.uid, owner.gid);
    // A Maildir message's internal date is its file's modification time.
    utimesSync(file, m.internalDate, m.internalDate);
  });
}
