import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../../support/run-cli.ts';
import { aggregateXml, arfMessage, gz, reportMessage, tlsJson, zip } from '../../support/dmarc-reports.ts';

interface Summary {
  aggregate: { reports: number; messages: number };
  tls: { reports: number; sessions: number };
  failure: { reports: number };
  domains: { domain: string; messages: number; dmarcPass: number }[];
  errors: { source: string; reason: string }[];
}

const home = mkdtempSync(join(tmpdir(), 'mailroom-reports-'));
const env = { MAILROOM_HOME: home };
const cli = (...args: string[]) => runCli(args, { env, timeoutMs: 120_000 });

// A backlog folder as an admin would export it: every form a receiver uses, and the broken ones.
const drop = mkdtempSync(join(tmpdir(), 'mailroom-report-files-'));
const expected = { messages: 0, pass: 0 };

beforeAll(async () => {
  mkdirSync(join(drop, 'google'));
  const specs = [
    { id: 'g-1', domain: 'example.test', records: [{ ip: '209.85.220.41', count: 500, dkimDomain: 'example.test' }, { ip: '203.0.113.66', count: 40, dkim: 'fail', spf: 'fail' }] },
    { id: 'g-2', domain: 'example.test', records: [{ ip: '209.85.220.41', count: 250 }, { ip: '198.51.100.20', count: 30, dkim: 'fail', spf: 'fail', dkimDomain: 'sendgrid.net', spfDomain: 'sendgrid.net' }] },
    { id: 'o-1', org: 'outlook.example', domain: 'other.test', records: [{ ip: '192.0.2.5', count: 12, dkim: 'fail', spf: 'pass' }] },
  ];
  for (const s of specs) for (const r of s.records) {
    expected.messages += r.count;
    if ((r as { dkim?: string }).dkim !== 'fail' || (r as { spf?: string }).spf !== 'fail') expected.pass += r.count;
  }
  writeFileSync(join(drop, 'google', 'google.com!example.test!1!2.xml.gz'), gz(aggregateXml(specs[0]!)));
  writeFileSync(join(drop, 'google', 'google.com!example.test!3!4.zip'), await zip({ 'google.com!example.test!3!4.xml': aggregateXml(specs[1]!) }));
  writeFileSync(join(drop, 'outlook.eml'), await reportMessage({ subject: 'Report Domain: other.test', attachment: { filename: 'o.xml', content: Buffer.from(aggregateXml({ ...specs[2]!, schema: 'dmarcbis' })), contentType: 'text/xml' } }));
  writeFileSync(join(drop, 'tls.json.gz'), gz(tlsJson({ id: 'tls-1', domain: 'example.test', ok: 990, failed: [{ type: 'sts-policy-invalid', mx: 'mx.example.test', count: 10 }] })));
  writeFileSync(join(drop, 'failure.eml'), await arfMessage({ domain: 'example.test', ip: '203.0.113.66', messageId: '<fail-1@receiver.example>' }));
  writeFileSync(join(drop, 'broken.xml'), '<feedback><report_metadata><org_name>x</org_name>');
  writeFileSync(join(drop, 'bomb.xml.gz'), gz(Buffer.alloc(300_000_000, 0x20)));
});

describe('mailroom reports (CLI, own data folder)', () => {
  it('ingests a folder of every form, lists what it could not read, exits 1 for those, and sums what it stored', async () => {
    const run = await cli('reports', 'ingest', '--file', drop, '--json');
    expect(run.code, run.stderr).toBe(1);
    const result = lastJson<{ stored: Record<string, number>; duplicates: number; errors: { source: string; reason: string }[]; sources: number }>(run);
    expect(result.stored).toEqual({ aggregate: 3, tls: 1, failure: 1 });
    expect(result.sources).toBe(7);
    expect(result.errors.map((e) => [e.source.split('/').pop(), e.reason.replace(/^.*? (is|expands)/, '$1')])).toEqual([
      ['bomb.xml.gz', 'expands past 200000000 bytes (a compression bomb?)'],
      ['broken.xml', expect.stringMatching(/^is not well-formed XML/)],
    ]);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);

    const summary = lastJson<Summary>(await cli('reports', 'summary', '--json'));
    expect(summary.aggregate).toEqual({ reports: 3, messages: expected.messages });
    expect(summary.tls).toEqual({ reports: 1, sessions: 1000 });
    expect(summary.failure).toEqual({ reports: 1 });
    expect(summary.domains).toEqual([
      { domain: 'example.test', messages: 820, dmarcPass: 750 },
      { domain: 'other.test', messages: 12, dmarcPass: 12 },
    ]);
    expect(summary.domains.reduce((n, d) => n + d.dmarcPass, 0)).toBe(expected.pass);
    expect(summary.errors.length).toBe(2);
  });

  it('stores nothing twice on a second run, and exits 0 when every report was already there', async () => {
    const good = join(drop, 'google');
    const again = await cli('reports', 'ingest', '--file', good, join(drop, 'tls.json.gz'), '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(lastJson(again)).toMatchObject({ stored: { aggregate: 0, tls: 0, failure: 0 }, duplicates: 3, errors: [] });
    expect(lastJson<Summary>(await cli('reports', 'summary', '--domain', 'example.test', '--json')).aggregate).toEqual({ reports: 2, messages: 820 });
  });

  it('classifies sending sources: aligned, a known service failing alignment, unknown', async () => {
    const sources = lastJson<{ sourceIp: string; messages: number; classification: string; knownSender: string | null }[]>(await cli('reports', 'sources', '--domain', 'example.test', '--json'));
    expect(sources.map((s) => [s.sourceIp, s.messages, s.classification, s.knownSender])).toEqual([
      ['209.85.220.41', 750, 'aligned', null],
      ['203.0.113.66', 40, 'unknown', null],
      ['198.51.100.20', 30, 'authorised-unaligned', 'SendGrid'],
    ]);
  });

  it('gives usage errors one line and exit 2', async () => {
    const missing = await cli('reports', 'ingest', '--file', join(drop, 'nope'));
    expect([missing.code, missing.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(missing.stderr).toMatch(/nope: no such file or folder/);
    const badDate = await cli('reports', 'summary', '--since', 'yesterday-ish');
    expect(badDate.code).toBe(2);
    expect((await cli('reports', 'ingest')).code).toBe(2);
    expect((await cli('reports', 'verdict')).code).toBe(2);
  });

  it('gives a p=reject verdict only from the last 30 days: these reports are older, so not ready, and says why', async () => {
    const run = await cli('reports', 'verdict', '--domain', 'example.test', '--json');
    expect(run.code, run.stderr).toBe(0);
    const verdict = lastJson<{ ready: boolean; messages: number; reasons: string[]; record: { name: string; value: string } }>(run);
    expect(verdict).toMatchObject({ ready: false, messages: 0, record: { name: '_dmarc.example.test', value: 'v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.test' } });
    expect(verdict.reasons).toEqual([expect.stringMatching(/^No aggregate report for example\.test in the last 30 days/)]);
  });

  it('loses and doubles nothing when killed mid-ingest and run again', async () => {
    const backlog = mkdtempSync(join(tmpdir(), 'mailroom-report-backlog-'));
    let messages = 0;
    for (let i = 0; i < 600; i += 1) {
      const records = Array.from({ length: 1 + (i % 5) }, (_, j) => ({ ip: `10.0.${i % 250}.${j + 1}`, count: 1 + j }));
      messages += records.reduce((n, r) => n + r.count, 0);
      writeFileSync(join(backlog, `r${i}.xml.gz`), gz(aggregateXml({ org: 'bulk.example', id: `bulk-${i}`, domain: 'bulk.test', records })));
    }
    const entry = fileURLToPath(new URL('../../../electron/cli/main.ts', import.meta.url));
    const child = spawn(process.execPath, [entry, 'reports', 'ingest', '--file', backlog], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    // Killed once the first batches are in: the progress line says how many files were read.
    await new Promise<void>((resolve) => child.stderr.on('data', (c: Buffer) => /\b(2|4)00 of 600 read/.test(String(c)) && resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const partial = lastJson<Summary>(await cli('reports', 'summary', '--domain', 'bulk.test', '--json'));
    expect(partial.aggregate.reports).toBeGreaterThan(0);
    expect(partial.aggregate.reports).toBeLessThan(600);
    const rerun = await cli('reports', 'ingest', '--file', backlog, '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(lastJson(rerun)).toMatchObject({ duplicates: partial.aggregate.reports });
    expect(lastJson<Summary>(await cli('reports', 'summary', '--domain', 'bulk.test', '--json')).aggregate).toEqual({ reports: 600, messages });
  });
});
