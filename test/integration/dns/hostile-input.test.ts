import { createSocket, type Socket } from 'node:dgram';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, lastJson } from '../../support/run-cli.ts';
import type { DomainReport } from '../../../shared/domain/dns.ts';
import { check, withId } from './dns-fixtures.ts';

describe('hostile input gives findings or unknown, never a crash', () => {
  it('garbage TXT, a 600-byte SPF, include loops, 20 nested lookups, two DMARC records, bad names', async () => {
    const longLabel = `${'a'.repeat(70)}.dlv.test`;
    const { run, reports } = await check(
      ['garbage-txt.dlv.test', 'spf-too-long.dlv.test', 'spf-include-loop.dlv.test', 'spf-nested-20.dlv.test', 'dmarc-multiple-records.dlv.test', 'bücher.dlv.test', longLabel, 'x-.dlv.test'],
      ['--test-nets', '--no-smtp'],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const garbage = reports.get('garbage-txt.dlv.test')!;
    expect(withId(garbage, 'spf.syntax')[0]!.severity).toBe('critical');
    expect(withId(garbage, 'dmarc.unrelated-txt')[0]!.severity).toBe('error');
    expect(withId(garbage, 'tlsrpt.invalid')[0]!.severity).toBe('error');
    expect(withId(reports.get('spf-too-long.dlv.test'), 'spf.record-size')[0]!.message).toMatch(/\d{3} bytes/);
    expect(withId(reports.get('spf-include-loop.dlv.test'), 'spf.include-loop')[0]!.message).toMatch(/loop-a\.vendor\.dlv\.test → loop-b\.vendor\.dlv\.test → loop-a/);
    expect(withId(reports.get('spf-nested-20.dlv.test'), 'spf.lookup-limit')[0]!.message).toMatch(/20 DNS lookups/);
    expect(withId(reports.get('dmarc-multiple-records.dlv.test'), 'dmarc.multiple-records')[0]!.severity).toBe('critical');
    // IDNs are checked as A-labels; the name has no zone, so the parent answers NXDOMAIN
    expect(withId(reports.get('xn--bcher-kva.dlv.test'), 'dns.domain-missing')[0]!.severity).toBe('critical');
    expect(withId(reports.get(longLabel), 'dns.domain-missing')[0]!.message).toMatch(/not a valid domain name/);
    expect(withId(reports.get('x-.dlv.test'), 'dns.domain-missing')[0]!.message).toMatch(/not a valid domain name/);
  });

  it('a zone the server does not serve (REFUSED) is unknown everywhere, never missing', async () => {
    const { run, reports } = await check(['not-served.invalid'], ['--no-smtp']);
    const report = reports.get('not-served.invalid')!;
    expect(report.findings.length).toBeGreaterThan(3);
    expect(report.findings.every((f) => f.severity === 'unknown')).toBe(true);
    expect(run.code).toBe(0);
  });

  describe('a DNS server that never answers', () => {
    let silent: Socket;
    let port = 0;
    beforeAll(async () => {
      silent = createSocket('udp4');
      silent.on('message', () => undefined); // read and drop: the resolver must time out
      await new Promise<void>((done) => silent.bind(0, '127.0.0.1', done));
      port = silent.address().port;
    });
    afterAll(() => silent.close());

    it('turns every check into unknown within the timeout', async () => {
      const started = Date.now();
      const run = await runCli(['check', 'clean.dlv.test', '--dns', `127.0.0.1:${port}`, '--timeout', '300', '--no-smtp', '--json', '--data-dir', mkdtempSync(join(tmpdir(), 'dlv-'))]);
      const report = lastJson<{ domains: DomainReport[] }>(run).domains[0]!;
      expect(report.findings.length).toBeGreaterThan(3);
      expect(report.findings.every((f) => f.severity === 'unknown')).toBe(true);
      expect(report.findings.map((f) => f.id)).toContain('spf.missing');
      expect(report.findings.find((f) => f.id === 'dns.lookup-unknown')!.message).toMatch(/did not answer in time/);
      expect(run.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });

  it('exits 2 on usage and I/O errors, and reads domains from a CSV file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dlv-'));
    expect((await runCli(['check', '--data-dir', home])).code).toBe(2);
    expect((await runCli(['check', 'a.test', '--profile', 'nope', '--data-dir', home])).code).toBe(2);
    expect((await runCli(['check', '--from-file', join(home, 'missing.csv'), '--data-dir', home])).code).toBe(2);
    const csv = join(home, 'domains.csv');
    writeFileSync(csv, 'domain,owner\n# comment\nnonexistent.dlv.test,ops\n\nmx-missing.dlv.test,ops\n');
    const { reports } = await check([], ['--from-file', csv, '--no-smtp']);
    expect([...reports.keys()]).toEqual(['nonexistent.dlv.test', 'mx-missing.dlv.test']);
  });
});
