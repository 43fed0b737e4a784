import { type Result, ok } from '../../shared/errors/result.ts';
import { classifyImapError } from '../backends/imap/imap-errors.ts';
import type { ImapEndpoint } from '../imap/imap-endpoint.ts';
import { describeEndpoint, imapFlowOptions } from './endpoint.ts';
import type { FolderInventory } from './planner.ts';

/**
 * Takes a mailbox inventory for the planner: one LIST-STATUS, then per folder a FETCH of sizes,
 * flags and (on Gmail) X-GM-MSGID — no bodies. Virtual and non-selectable folders are left out.
 */
export async function takeInventory(endpoint: ImapEndpoint, maxMessageBytes: number | null): Promise<Result<FolderInventory[]>> {
  // Loaded when a plan is built: the migration services are composed for every command, most of which never speak IMAP.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow(imapFlowOptions(endpoint));
  client.on('error', () => undefined);
  try {
    await client.connect();
    const gmail = client.capabilities.has('X-GM-EXT-1');
    const seen = new Set<string>();
    const out: FolderInventory[] = [];
    const folders = (await client.list({ statusQuery: { messages: true } })).filter(
      (f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent') && f.specialUse !== '\\Flagged' && f.specialUse !== '\\Important',
    );
    // Gmail: label folders first, All Mail last, so a copy counts as overhead where it repeats.
    folders.sort((a, b) => Number(a.specialUse === '\\All') - Number(b.specialUse === '\\All'));
    for (const f of folders) {
      let bytes = 0;
      let largest = 0;
      let labelCopies = 0;
      let labelCopyBytes = 0;
      const oversize: number[] = [];
      const keywords = new Set<string>();
      if ((f.status?.messages ?? 0) > 0) {
        await client.mailboxOpen(f.path, { readOnly: true });
        for await (const m of client.fetch('1:*', { uid: true, size: true, flags: true })) {
          const size = m.size ?? 0;
          bytes += size;
          largest = Math.max(largest, size);
          if (maxMessageBytes !== null && size > maxMessageBytes) oversize.push(size);
          for (const flag of m.flags ?? []) if (!flag.startsWith('\\')) keywords.add(flag);
          if (gmail && m.emailId) {
            if (seen.has(m.emailId)) {
              labelCopies++;
              labelCopyBytes += size;
            } else seen.add(m.emailId);
          }
        }
      }
      out.push({ path: f.path, messages: f.status?.messages ?? 0, bytes, largest, oversize, keywords: [...keywords].sort(), labelCopies, labelCopyBytes });
    }
    await client.logout();
    return ok(out);
  } catch (error) {
    client.close();
    return { ok: false, error: classifyImapError(error, `inventory of ${describeEndpoint(endpoint)}`) };
  }
}
