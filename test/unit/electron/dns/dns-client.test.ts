import { describe, expect, it } from 'vitest';
import { DnsClient } from '../../../../electron/dns/resolver.ts';

// A resolver with node:dns's contract over a table: an answer, or a rejection with the error code given.
function tableClient(answers: Record<string, unknown[] | string>): { client: DnsClient; asked: string[] } {
  const asked: string[] = [];
  const client = new DnsClient(async (name, rrtype) => {
    asked.push(`${rrtype} ${name}`);
    const answer = answers[`${rrtype} ${name.toLowerCase()}`] ?? 'ENOTFOUND';
    if (typeof answer === 'string') throw Object.assign(new Error(answer), answer === 'NOCODE' ? {} : { code: answer });
    return answer;
  });
  return { client, asked };
}

describe('DnsClient', () => {
  it('classifies answers: records, NXDOMAIN, NODATA (an error or an empty answer), and failures by their code', async () => {
    const { client } = tableClient({ 'TXT a.test': [['v=spf1 ', '-all']], 'MX a.test': [], 'A a.test': 'ENODATA', 'NS a.test': 'ESERVFAIL', 'SOA a.test': 'NOCODE', 'CAA a.test': 'constructor' });
    expect(await client.lookup('a.test', 'TXT')).toEqual({ status: 'ok', records: [['v=spf1 ', '-all']] });
    expect(await client.lookup('b.test', 'TXT')).toEqual({ status: 'absent', reason: 'nxdomain' });
    expect(await client.lookup('a.test', 'MX')).toEqual({ status: 'absent', reason: 'nodata' });
    expect(await client.lookup('a.test', 'A')).toEqual({ status: 'absent', reason: 'nodata' });
    expect(await client.lookup('a.test', 'NS')).toEqual({ status: 'failed', code: 'ESERVFAIL' });
    expect(await client.lookup('a.test', 'SOA')).toEqual({ status: 'failed', code: 'EUNKNOWN' });
    expect(await client.lookup('a.test', 'CAA')).toEqual({ status: 'failed', code: 'constructor' });
    expect(await client.txt('a.test')).toEqual({ status: 'ok', records: ['v=spf1 -all'] });
  });

  it('asks once per type and name, whatever the case or a trailing dot; another type is another query', async () => {
    const { client, asked } = tableClient({ 'TXT a.test': [['x']] });
    await Promise.all([client.lookup('a.test', 'TXT'), client.lookup('A.Test.', 'TXT'), client.txt('a.TEST'), client.lookup('a.test', 'AAAA'), client.lookup('a.test.', 'AAAA')]);
    expect(asked).toEqual(['TXT a.test', 'AAAA a.test']);
    expect(client.queries).toBe(2);
  });

  it('hands mailauth the error codes of node:dns for negative answers', async () => {
    const { client } = tableClient({ 'TXT a.test': 'ENODATA' });
    await expect(client.mailauth('a.test', 'TXT')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(client.mailauth('b.test', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
