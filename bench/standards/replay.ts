// The bare side of the standards bench as a process of its own: replays recorded DNS queries and prints {ms, timeouts}.
// Usage: node bench/standards/replay.ts QUERIES.jsonl PORT CONCURRENCY raw|node
import { readFileSync } from 'node:fs';
import { replayQueries, type RecordedQuery } from './dns-proxy.ts';

const [file, port, concurrency, via] = process.argv.slice(2);
const queries: RecordedQuery[] = readFileSync(file!, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => {
    const { p, t } = JSON.parse(l) as { p: string; t: boolean };
    return { packet: Buffer.from(p, 'base64'), tcp: t };
  });
const result = await replayQueries(queries, Number(port), Number(concurrency), via === 'node' ? 'node' : 'raw');
process.stdout.write(JSON.stringify({ queries: queries.length, ...result }) + '\n');
