import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateStandard, type EvaluationInput } from '../../../electron/standards/evaluate.ts';
import { dnsShardThread, type DnsShard } from '../../../electron/standards/dns-shard.ts';
import { EMAIL_BASELINE } from '../../../electron/standards/email-baseline.ts';
import { UNASSIGNED_CUSTOMER } from '../../../shared/domain/standards.ts';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { dnsServer } from '../dns/dns-fixtures.ts';

// The fixture zones Knot serves (each a planted finding), split over both ends of the list so each thread judges some,
// with names that do not exist between them: 260 domains, enough for the CLI's evaluation to use a second thread.
const zones = readdirSync(join(import.meta.dirname, '../../fixtures/zones')).filter((f) => f.endsWith('.dlv.test.zone')).map((f) => f.slice(0, -'.zone'.length));
const half = Math.ceil(zones.length / 2);
const names = [...zones.slice(0, half), ...Array.from({ length: 260 - zones.length }, (_, i) => `absent-${i}.dlv.test`), ...zones.slice(half)];

/** One evaluation of the email baseline over `names` (DNS rules only: no inventory), with the shard when given. */
async function evaluate(shard?: DnsShard, progress: string[] = []): Promise<{ json: string; progress: string[] }> {
  const input: EvaluationInput = {
    standard: EMAIL_BASELINE,
    targets: names.map((name) => ({ name, customer: UNASSIGNED_CUSTOMER, connectionId: null, connectionKind: null })),
    at: new Date('2026-12-07T12:00:00Z'),
    request: { profile: 'hosted', dkimSelectors: [], sendingIps: [] },
    run: { servers: [dnsServer()], dnsTimeoutMs: 2000, options: { smtp: { enabled: false, port: 25, timeoutMs: 2000, relayTest: false }, httpsTimeoutMs: 2000, testNets: true }, onProgress: (_d, _t, r: DomainReport) => progress.push(r.domain) },
    facts: () => {
      throw new Error('no inventory in this test');
    },
    capabilities: () => null,
    heldSince: new Map(),
    acceptances: [],
    ...(shard ? { shard } : {}),
  };
  return { json: JSON.stringify(await evaluateStandard(input)), progress };
}

// Issue 14: `mailroom standards evaluate` checks a large evaluation's domains on two threads. What it answers must not
// depend on that: the same evaluation, byte for byte, as one thread's, and every domain's report handed on once.
describe('an evaluation spread over two threads', () => {
  it('checks the second half of the domains in the shard and answers exactly what one thread answers', async () => {
    const asked: string[][] = [];
    const thread = dnsShardThread();
    const spread = await evaluate((shardNames, rules, request, run) => {
      asked.push([...shardNames]);
      return thread(shardNames, rules, request, run);
    });
    const alone = await evaluate();
    expect(asked).toEqual([names.slice(130)]);
    expect(spread.json).toBe(alone.json);
    expect(JSON.parse(spread.json)).toMatchObject({ evaluated: 260 });
    // The findings are there to compare: fixture zones deviate on every DNS rule of the baseline.
    expect(new Set((JSON.parse(spread.json) as { deviations: { rule: string }[] }).deviations.map((d) => d.rule)).size).toBeGreaterThanOrEqual(4);
    expect([...spread.progress].sort()).toEqual([...names].sort());
  }, 120_000);

  it("stops starting this thread's domains when the shard's thread fails", async () => {
    const progress: string[] = [];
    await expect(evaluate(() => Promise.reject(new Error('the DNS check thread exited (code 1) before its checks')), progress)).rejects.toThrow('exited');
    // The domains already under way finish (at most 16 at a time); without the stop all 130 of this half would follow.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(progress.length).toBeLessThan(64);
  }, 30_000);

  it("ends the shard's thread when the run is cancelled: rejected at once, no query after it", async () => {
    // A DNS server that reads every query and never answers: without the cancel the shard would wait out its timeouts.
    const silent = createSocket('udp4');
    let heard = 0;
    silent.on('message', () => heard++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const stop = new AbortController();
      const run = { servers: [`127.0.0.1:${silent.address().port}`], dnsTimeoutMs: 2000, options: { smtp: { enabled: false, port: 25, timeoutMs: 2000, relayTest: false } }, signal: stop.signal };
      const checking = dnsShardThread()(['a.cancel.test', 'b.cancel.test'], EMAIL_BASELINE.rules, {}, run);
      await expect.poll(() => heard, { timeout: 10_000 }).toBeGreaterThan(0);
      const at = Date.now();
      stop.abort(new Error('cancelled'));
      await expect(checking).rejects.toThrow('cancelled');
      expect(Date.now() - at).toBeLessThan(1000);
      // terminate() ends the thread a moment after the rejection: what it sent until then (and what still waits in this
      // socket's queue) is counted in first. A retry from a thread still alive would come 2 s after its first query.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = heard;
      // c-ares would retry after its timeout (2 s); a thread still alive would ask again by then.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(heard).toBe(after);
    } finally {
      silent.close();
    }
  });
});
