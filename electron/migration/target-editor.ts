import type { MailboxState } from '../imap/fetch-parse.ts';
import type { FetchConnection } from './fetch-connection.ts';
import { uidChunks } from './message-meta.ts';

/** What a delta may do to one selected target folder, on the run's raw target connection. */
export interface SelectedTarget {
  readonly box: MailboxState;
  /** Current flags of the given target UIDs (those still there). */
  flags(uids: readonly number[]): Promise<Map<number, string[]>>;
  /** Replaces the flags of each group's target UIDs, every group's UID STORE pipelined. */
  setFlags(groups: readonly { readonly uids: readonly number[]; readonly flags: readonly string[] }[]): Promise<void>;
  /** Expunges exactly these target UIDs (UID EXPUNGE, RFC 4315); false when the server refused. */
  expunge(uids: readonly number[]): Promise<boolean>;
}

/**
 * Applies delta changes on the run's raw target connection (no imapflow, so a delta-only run
 * stays as lean as the no-change re-run), one folder at a time: SELECT, then UID STORE and
 * UID EXPUNGE in chunks. Never CLOSE: that would expunge every \Deleted message of the folder.
 */
export class TargetEditor {
  private readonly conn: () => Promise<FetchConnection | null>;
  private queue: Promise<unknown> = Promise.resolve();
  // A SELECT sent ahead of its folder's edit (preselect), taken by that edit if it is the next one.
  private ahead: { readonly path: string; readonly opened: Promise<Opened> } | null = null;

  constructor(conn: () => Promise<FetchConnection | null>) {
    this.conn = conn;
  }

  /**
   * Sends the SELECT of `path` now, while the source is still being read, so that the folder's
   * edit (when it is the next one) starts with the folder open. An unused SELECT changes nothing.
   */
  preselect(path: string): void {
    const opened = this.queue.then(() => this.open(path));
    opened.catch(() => undefined);
    this.ahead = { path, opened };
    this.queue = opened.catch(() => undefined);
  }

  /** Selects `path` and runs `work` on it, after any other folder's work. */
  edit<T>(path: string, work: (target: SelectedTarget) => Promise<T>): Promise<T> {
    const ahead = this.ahead?.path === path ? this.ahead.opened : null;
    this.ahead = null;
    const next = this.queue.then(async () => {
      const { conn, box } = await (ahead ?? this.open(path));
      return work(selected(conn, box));
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open(path: string): Promise<Opened> {
    const conn = await this.conn();
    if (!conn) throw Object.assign(new Error('the target connection is not available'), { code: 'ECONNRESET' });
    return { conn, box: await conn.open(path, 'SELECT') };
  }
}

interface Opened {
  readonly conn: FetchConnection;
  readonly box: MailboxState;
}

function selected(conn: FetchConnection, box: MailboxState): SelectedTarget {
  // One command at a time: a STORE must be done before the EXPUNGE that depends on it is read.
  const all = async (commands: readonly string[]): Promise<void> => {
    for (const command of commands) {
      const [r] = await conn.pipeline([command]);
      if (r!.status !== 'OK') throw Object.assign(new Error(`the target refused a change: ${r!.text}`), { responseStatus: r!.status, responseText: r!.text });
    }
  };
  return {
    box,
    async flags(uids) {
      const out = new Map<number, string[]>();
      for (const set of uidChunks(uids, 2000)) {
        const answer = await conn.collect(`UID FETCH ${set} (UID FLAGS)`);
        if (answer.status !== 'OK') throw Object.assign(new Error(`UID FETCH: ${answer.text}`), { responseStatus: answer.status, responseText: answer.text });
        for (const { text } of answer.responses) {
          const uid = /^\* \d+ FETCH \(/i.test(text) ? /[( ]UID (\d+)/i.exec(text) : null;
          const flags = /[( ]FLAGS \(([^)]*)\)/i.exec(text);
          if (uid && flags) out.set(Number(uid[1]), flags[1]!.split(' ').filter(Boolean));
        }
      }
      return out;
    },
    // Independent of each other, so sent at once: on Dovecot's Maildir every command that follows a
    // flag change re-reads the folder's cur/ directory (100,000 entries: a second), pipelined ones once.
    async setFlags(groups) {
      const answers = await conn.pipeline(groups.flatMap((g) => uidChunks(g.uids, 2000).map((set) => `UID STORE ${set} FLAGS.SILENT (${g.flags.join(' ')})`)));
      const refused = answers.find((r) => r.status !== 'OK');
      if (refused) throw Object.assign(new Error(`the target refused a change: ${refused.text}`), { responseStatus: refused.status, responseText: refused.text });
    },
    async expunge(uids) {
      try {
        await all(uidChunks(uids, 2000).flatMap((set) => [`UID STORE ${set} +FLAGS.SILENT (\\Deleted)`, `UID EXPUNGE ${set}`]));
        return true;
      } catch (error) {
        if (!(error as { responseStatus?: string }).responseStatus) throw error;
        // No UIDPLUS: leave nothing marked \Deleted for another client's EXPUNGE or CLOSE to take.
        await all(uidChunks(uids, 2000).map((set) => `UID STORE ${set} -FLAGS.SILENT (\\Deleted)`)).catch(() => undefined);
        return false;
      }
    },
  };
}
