import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../fakes/tcp-proxy.ts';
import { loadCorpus, seedMailbox } from '../../support/migration-corpus.ts';
import { compareMailboxes } from './compare.ts';
import { endpointFor, finalLine, freshUser, runMigrateCli, servers, urlFor } from './support.ts';

describe('mailroom migrate through a proxy that drops connections', () => {
  it('ends with every message exactly once', async () => {
    const src = freshUser('dsrc');
    const dst = freshUser('ddst');
    await seedMailbox(endpointFor(src), loadCorpus(600));
    const s = servers();
    const proxy = (seed: number) =>
      startTcpProxy({ targetHost: s.imap.host, targetPort: s.imap.imapsPort, dropAfterBytes: { min: 150_000, max: 1_500_000 }, seed });
    const sp = await proxy(7);
    const tp = await proxy(11);
    const state = join(mkdtempSync(join(tmpdir(), 'mailroom-drop-')), 'state.db');
    try {
      let run = await runMigrateCli(['--source', urlFor(src, sp.port), '--target', urlFor(dst, tp.port), '--state', state], { source: src.password, target: dst.password });
      // A run may give up after too many drops; re-running resumes from the state file (what a user would do).
      let runs = 1;
      for (; runs < 4 && run.code !== 0; runs++) {
        run = await runMigrateCli(['--source', urlFor(src, sp.port), '--target', urlFor(dst, tp.port), '--state', state], { source: src.password, target: dst.password });
      }
      expect(run.code, run.stderr + JSON.stringify(run.lines.slice(-2))).toBe(0);
      expect(sp.drops() + tp.drops()).toBeGreaterThan(0);
      process.stderr.write(`proxy drops: source ${sp.drops()}, target ${tp.drops()}; CLI runs: ${runs}\n`);
      expect(finalLine(run).failed).toBe(0);
    } finally {
      await sp.close();
      await tp.close();
    }
    const cmp = await compareMailboxes(endpointFor(src), endpointFor(dst));
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.targetMessages).toBe(600);
  });
});
