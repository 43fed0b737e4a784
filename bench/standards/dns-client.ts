// DnsClient's own CPU (cache, queue, classifying), without the network: the recorded questions through a resolver that
// answers at once (DKIM selectors but `selector1`/`selector2` NXDOMAIN, as in the bench zones), each looked up twice (the
// second in upper case, a cache hit) and TXT joined once; 12 rounds, the last 8 averaged.
// Usage: node bench/standards/dns-client.ts QUERIES.jsonl [CHECKOUT]   (QUERIES.jsonl: a BENCH_KEEP_WORK=1 run's recording)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { questionName, questionType } from './dns-proxy.ts';

const [file, checkout = join(import.meta.dirname, '../..')] = process.argv.slice(2);
const { DnsClient } = (await import(join(resolve(checkout), 'electron/dns/resolver.ts'))) as typeof import('../../electron/dns/resolver.ts');
const TYPES: Readonly<Record<number, string>> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 257: 'CAA' };
const questions = readFileSync(file!, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => Buffer.from((JSON.parse(l) as { p: string }).p, 'base64'))
  .map((p) => ({ name: questionName(p), type: TYPES[questionType(p)] }))
  .filter((q): q is { name: string; type: string } => q.type !== undefined);
const nxdomain = Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
const answer = (name: string, type: string): Promise<unknown> =>
  type === 'TXT' && name.includes('._domainkey.') && !name.startsWith('selector') ? Promise.reject(nxdomain) : Promise.resolve([['v=x']]);
let measured = 0;
for (let round = 0; round < 12; round++) {
  const client = new DnsClient(answer, { concurrency: 32 });
  const before = process.cpuUsage();
  let next = 0;
  // 800 lookups waiting at once, as 16 domains of ~50 lookups each do in an evaluation
  await Promise.all(
    Array.from({ length: 800 }, async () => {
      while (next < questions.length) {
        const q = questions[next++]!;
        await client.lookup(q.name, q.type);
        await client.lookup(q.name.toUpperCase(), q.type);
        if (q.type === 'TXT') await client.txt(q.name);
      }
    }),
  );
  const used = process.cpuUsage(before);
  if (round >= 4) measured += used.user + used.system;
}
process.stdout.write(JSON.stringify({ checkout: resolve(checkout), questions: questions.length, cpuMsPerRound: Math.round(measured / 8 / 1000) }) + '\n');
