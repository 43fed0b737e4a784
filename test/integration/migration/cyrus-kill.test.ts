import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapEndpoint } from '../../../electron/imap/imap-endpoint.ts';
import { addCyrusUser, cyrusEndpoint, cyrusUrl, startCyrus, type CyrusInstance } from '../../support/cyrus.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareLogical, forCyrus } from './cyrus-compare.ts';
import { endpointFor, freshUser, runMigrateCli, urlFor } from './support.ts';

const corpus = loadCorpus(400);
let cyrus: CyrusInstance & { stop(): Promise<void> };

beforeAll(async () => {
  cyrus = await startCyrus({ separator: '/', munge8bit: false });
}, 150_000);
afterAll(async () => {
  await cyrus?.stop();
});

/** Kills the CLI at its first progress line with copies done, resumes it, and reads both sides back. */
async function killAndResume(source: { url: string; endpoint: ImapEndpoint; password: string }, target: { url: string; endpoint: ImapEndpoint; password: string }): Promise<void> {
  const state = join(mkdtempSync(join(tmpdir(), 'mailroom-cyrus-kill-')), 'state.db');
  const args = ['--source', source.url, '--target', target.url, '--state', state];
  const pw = { source: source.password, target: target.password };
  let killedAt = -1;
  const killed = await runMigrateCli([...args, '--concurrency', '2'], pw, (line, kill) => {
    if (killedAt < 0 && line['event'] === 'progress' && Number(line['copied']) > 0) {
      killedAt = Number(line['copied']);
      kill();
    }
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(killedAt).toBeGreaterThan(0);
  expect(killedAt).toBeLessThan(corpus.length);

  const resumed = await runMigrateCli(args, pw);
  expect(resumed.code, resumed.stderr).toBe(0);
  const cmp = await compareLogical(source.endpoint, target.endpoint);
  expect([cmp.missing, cmp.extra, cmp.altered]).toEqual([[], [], []]);
  expect(cmp.targetMessages).toBe(corpus.length);
}

describe('mailroom migrate with Cyrus IMAP 3.6 after kill -9', () => {
  it('resumes Dovecot → Cyrus with nothing lost and nothing duplicated', async () => {
    const src = freshUser('cyk-dsrc');
    const dst = await addCyrusUser(cyrus, 'cyk-dst');
    await seedMailbox(endpointFor(src), corpus);
    await killAndResume(
      { url: urlFor(src), endpoint: endpointFor(src), password: src.password },
      { url: cyrusUrl(cyrus, dst), endpoint: cyrusEndpoint(cyrus, dst), password: dst.password },
    );
  });

  it('resumes Cyrus → Dovecot with nothing lost and nothing duplicated', async () => {
    const src = await addCyrusUser(cyrus, 'cyk-src');
    const dst = freshUser('cyk-ddst');
    await seedMailbox(cyrusEndpoint(cyrus, src), forCyrus(corpus, cyrus.separator));
    await killAndResume(
      { url: cyrusUrl(cyrus, src), endpoint: cyrusEndpoint(cyrus, src), password: src.password },
      { url: urlFor(dst), endpoint: endpointFor(dst), password: dst.password },
    );
  });
});
