import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import type { FetchedBody } from '../../../../electron/imap/fetch-parse.ts';
import type { AppendItem } from '../../../../electron/migration/append-connection.ts';
import { BodyBudget, type BodyGate } from '../../../../electron/migration/body-budget.ts';
import type { CopyContext } from '../../../../electron/migration/copy-context.ts';
import { copyGmailAllMail, type GmailPass } from '../../../../electron/migration/gmail-source.ts';
import { GmailState } from '../../../../electron/migration/gmail-state.ts';
import { gatedStream } from '../../../support/gated-stream.ts';
import { memoryBudget } from '../../../../electron/migration/memory-budget.ts';
import { StateStore } from '../../../../electron/migration/state-store.ts';

const BODY = 1024 * 1024;
const MESSAGES = 64;
// Odd UIDs carry two labels (two uploads of one body to a non-Gmail target), even ones none (one upload).
const placesOf = (uid: number): number => (uid % 2 === 1 ? 2 : 1);

// Bodies read off the source, and bodies every upload of which the target has answered.
interface Tally {
  read: number;
  done: number;
  peak: number;
  left: Map<number, number>;
}

function metaLine(uid: number): { text: string; literals: Buffer[] } {
  const labels = uid % 2 === 1 ? '\\Inbox Work' : '';
  return { text: `* ${uid} FETCH (UID ${uid} X-GM-MSGID ${9000 + uid} X-GM-LABELS (${labels}) FLAGS () INTERNALDATE "01-Jun-2026 10:00:00 +0000" RFC822.SIZE ${BODY})`, literals: [] };
}

// All Mail as the Gmail pass reads it: one metadata FETCH, then a body stream that counts each body in the run's gate
// and, while the gate is blocked, yields null once and waits for it to change (as FetchConnection's does).
function fakeAllMail(tally: Tally): object {
  const make = (uid: number): FetchedBody => {
    tally.read += BODY;
    tally.left.set(uid, placesOf(uid));
    tally.peak = Math.max(tally.peak, tally.read - tally.done);
    const content = Buffer.alloc(BODY, 97);
    content.write(`Message-ID: <m${uid}@gmail.test>\r\n\r\n`);
    return { uid, content, flags: [], internalDate: new Date(0) };
  };
  const uids = Array.from({ length: MESSAGES }, (_, i) => i + 1);
  return {
    alive: true,
    examine: async () => undefined,
    collect: async () => ({ status: 'OK', text: 'done', responses: uids.map(metaLine) }),
    async *bodies(): AsyncGenerator<FetchedBody> {
      for (const uid of uids) yield make(uid);
    },
    gatedBodies: (_set: string, _readAhead: number, gate: BodyGate) => gatedStream(uids, gate, make),
  };
}

function gmailPass(tally: Tally, answerMs: number, signal?: AbortSignal): GmailPass {
  const budget = memoryBudget(96);
  const source = fakeAllMail(tally);
  const ctx = {
    pool: {
      submit: async (_mailbox: string, items: readonly AppendItem[]) => {
        await new Promise((r) => setTimeout(r, answerMs));
        const uid = Number(/<m(\d+)@/.exec(items[0]!.content.subarray(0, 64).toString())![1]);
        const left = tally.left.get(uid)! - 1;
        tally.left.set(uid, left);
        if (left === 0) tally.done += BODY;
        return [{ count: items.length, outcome: { ok: true, uidValidity: 1, uids: [uid] } }];
      },
    },
    counters: { copied: 0, skipped: 0, failed: 0, bytes: 0, total: 0 },
    warnings: [],
    signal,
    dryRun: false,
    appendLimit: null,
    budget,
    bodies: new BodyBudget(budget.inFlightBytes),
    borrowFetcher: async () => source,
    returnFetcher: () => undefined,
    durable: async () => undefined,
    report: () => undefined,
  } as unknown as CopyContext;
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'mailroom-gmail-budget-')), 'state.db'));
  new StateStore(db, 'job').ensureJob('gm@gmail.test', 'gm@target.test', '2026-12-08T00:00:00Z');
  return {
    ctx,
    state: new GmailState(db, 'job'),
    mapping: { sourcePath: '[Gmail]/All Mail', targetPath: 'Archive' } as never,
    rule: 'folders',
    layout: { delimiter: '/', prefix: '', specialUse: new Map() },
    rules: [],
    targetGmail: false,
    targetRaw: async () => null,
  };
}

describe('a Gmail source copied from All Mail', () => {
  it('holds its bodies within the run body budget while each is uploaded to every place', async () => {
    const tally: Tally = { read: 0, done: 0, peak: 0, left: new Map() };
    const pass = gmailPass(tally, 20);
    const outcome = await copyGmailAllMail(pass);
    const uploads = Array.from({ length: MESSAGES }, (_, i) => placesOf(i + 1)).reduce((a, b) => a + b, 0);
    expect(pass.ctx.counters.copied).toBe(uploads);
    expect(outcome.verification.missing).toBe(0);
    expect(pass.state.rows().every((r) => r.state === 'done')).toBe(true);
    // Over the bound by at most the one body parsed when it was reached (32 uploads of 1 MB held before).
    expect(tally.peak).toBeLessThanOrEqual(pass.ctx.budget.inFlightBytes + BODY);
    expect(pass.ctx.bodies.bytes).toBe(0);
    expect(pass.ctx.bodies.uploading).toBe(0);
  });

  it('gives every byte back when cancelled while the stream waits on the budget', async () => {
    const tally: Tally = { read: 0, done: 0, peak: 0, left: new Map() };
    const abort = new AbortController();
    const pass = gmailPass(tally, 100, abort.signal);
    setTimeout(() => abort.abort(), 150);
    const t0 = performance.now();
    await copyGmailAllMail(pass);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(tally.read).toBeLessThan(MESSAGES * BODY);
    expect(pass.ctx.bodies.bytes).toBe(0);
    expect(pass.ctx.bodies.uploading).toBe(0);
  });
});
