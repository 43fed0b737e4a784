import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../../electron/alerts/monitor.ts';
import { MemoryVault } from '../../fakes/memory-vault.ts';
import { runCliInProcess } from '../../support/cli-in-process.ts';
import { aggregateXml, gz, tlsJson } from '../../support/dmarc-reports.ts';

const DOMAIN = 'rep-alerts.test';
const vault = new MemoryVault();
let dataDir: string;

// `mailroom monitor --once`: the reports:stored evaluation of this run.
async function evaluate(): Promise<EvaluationReport> {
  const run = await runCliInProcess(['monitor', '--once', '--json', '--no-smtp'], { dataDir, vault });
  expect(run.code, run.err).toBe(0);
  return run.out.trim().split('\n').map((l) => JSON.parse(l) as EvaluationReport).find((r) => r.source === 'reports:stored')!;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mr-monitor-reports-'));
  const drop = mkdtempSync(join(dataDir, 'drop-'));
  // Two days ago: a stranger sends 400 failing messages as the domain beside 100 aligned ones; a receiver's MX refuses TLS.
  const begin = Math.floor(Date.now() / 1000) - 2 * 86_400;
  writeFileSync(join(drop, 'a.xml'), aggregateXml({ org: 'google.com', id: 'alert-1', domain: DOMAIN, begin, records: [{ ip: '203.0.113.77', count: 400, dkim: 'fail', spf: 'fail' }, { ip: '198.51.100.20', count: 100, dkimDomain: DOMAIN, spfDomain: DOMAIN }] }));
  writeFileSync(join(drop, 'tls.json.gz'), gz(tlsJson({ id: 'alert-tls', domain: DOMAIN, ok: 50, failed: [{ type: 'certificate-expired', mx: `mx.${DOMAIN}`, count: 7 }], day: new Date((begin + 86_400) * 1000).toISOString().slice(0, 10) })));
  const ingest = await runCliInProcess(['reports', 'ingest', '--file', drop, '--json'], { dataDir, vault });
  expect(ingest.code, ingest.out + ingest.err).toBe(0);
}, 60_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the monitor reads stored DMARC and TLS reports', () => {
  it('raises a new unknown sender, the falling pass rate and the TLS failures on their second evaluation, each once', async () => {
    const first = await evaluate();
    expect(first.candidates).toBe(3);
    expect(first.alerts).toEqual([]);
    const second = await evaluate();
    expect(second.alerts.map((a) => `${a.state} ${a.rule} ${a.target}`).sort()).toEqual([
      `raised reports.pass-rate ${DOMAIN}`,
      `raised reports.tls-failures ${DOMAIN} mx.${DOMAIN}`,
      `raised reports.unknown-source ${DOMAIN} 203.0.113.77`,
    ]);
    expect((await evaluate()).alerts).toEqual([]);
    const listed = (await runCliInProcess(['alerts', 'list', '--json'], { dataDir, vault })).out;
    expect(listed).toContain('203.0.113.77 sent 400 messages');
  });
});
