import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { splitTxt, mtaStsPolicy } from '../../../../electron/dns/generator.ts';
import { generateDkimKey } from '../../../../electron/dns/dkim-keys.ts';
import { diffFindings } from '../../../../electron/dns/dns-service.ts';
import { scoreFindings, sortFindings } from '../../../../electron/dns/engine.ts';
import { parseDkimKey } from '../../../../electron/dns/checks/dkim.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';
import type { Finding } from '../../../../shared/domain/dns.ts';

const f = (id: string, severity: Finding['severity']): Finding => ({ id, severity, message: id, records: [], fix: '' });

describe('record generator helpers', () => {
  it('splits long TXT values into quoted strings of at most 255 octets', () => {
    const value = `v=DKIM1; k=rsa; p=${'A'.repeat(600)}`;
    const strings = splitTxt(value).match(/"([^"]*)"/g)!.map((q) => q.slice(1, -1));
    expect(strings.map((s) => s.length)).toEqual([255, 255, 108]);
    expect(strings.join('')).toBe(value);
    expect(splitTxt('say "hi"')).toBe('"say \\"hi\\""');
  });
  it('writes an RFC 8461 policy', () => {
    expect(mtaStsPolicy({ domain: 'a.test', mailHost: 'mx.a.test', mtaStsMode: 'enforce' })).toBe('version: STSv1\r\nmode: enforce\r\nmx: mx.a.test\r\nmax_age: 604800\r\n');
  });
});

describe('DKIM key generation', () => {
  it('keeps the private key in the vault only and publishes a valid record', async () => {
    const vault = new MemoryVault();
    const rsa = await generateDkimKey(vault, 'a.test', 's1', 'rsa-2048');
    const ed = await generateDkimKey(vault, 'a.test', 's2', 'ed25519');
    expect(parseDkimKey(rsa.record)).toMatchObject({ keyType: 'rsa', bits: 2048, errors: [] });
    expect(parseDkimKey(ed.record)).toMatchObject({ keyType: 'ed25519', errors: [] });
    expect(JSON.stringify([rsa, ed])).not.toMatch(/PRIVATE/);
    const pem = (await vault.get('dkim:a.test:s2'))!;
    expect(createPublicKey(pem).export({ type: 'spki', format: 'der' }).subarray(12).toString('base64')).toBe(ed.record.split('p=')[1]);
  });
});

describe('findings bookkeeping', () => {
  it('reports new and worsened findings at warning and above', () => {
    const before = [f('spf.all-neutral', 'warning'), f('dmarc.policy-none', 'warning'), f('mx.missing', 'unknown')];
    const after = [f('spf.all-neutral', 'warning'), f('dmarc.policy-none', 'error'), f('mx.missing', 'error'), f('dns.dnssec-unsigned', 'info')];
    expect(diffFindings('a.test', before, after).map((c) => `${c.id}:${c.previous}->${c.severity}`)).toEqual(['dmarc.policy-none:warning->error', 'mx.missing:null->error']);
  });
  it('scores and sorts', () => {
    expect(scoreFindings([])).toBe(100);
    expect(scoreFindings([f('a', 'critical'), f('b', 'error'), f('c', 'warning'), f('d', 'info'), f('e', 'unknown')])).toBe(44);
    expect(scoreFindings(Array.from({ length: 5 }, () => f('a', 'critical')))).toBe(0);
    // a domain that does not exist scores nothing, however few other findings it has
    expect(scoreFindings([f('dns.domain-missing', 'critical')])).toBe(0);
    expect(scoreFindings([f('dns.domain-missing', 'critical'), f('b', 'info')])).toBe(0);
    expect(sortFindings([f('b', 'info'), f('a', 'critical'), f('c', 'unknown')]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});
