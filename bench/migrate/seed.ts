// Seeds a mailbox with the SpamAssassin corpus: node bench/migrate/seed.ts imaps://USER@HOST:PORT [LIMIT] [COPIES]
// Password in MAILROOM_SEED_PASSWORD; CA certificate file in MAILROOM_SEED_CA (optional).
import { readFileSync } from 'node:fs';
import { parseEndpointUrl } from '../../electron/migration/endpoint.ts';
import { loadCorpus, seedMailbox } from '../../test/support/migration-corpus.ts';

const [url, limit, copies] = process.argv.slice(2);
const address = parseEndpointUrl(url ?? '');
if (typeof address === 'string') throw new Error(address);
const ca = process.env['MAILROOM_SEED_CA'];
const corpus = loadCorpus(limit ? Number(limit) : Infinity);
// COPIES > 1 appends the corpus that many times (each copy a distinct message to the server): a bigger mailbox of the same shape.
const messages = Array.from({ length: Math.max(1, Number(copies) || 1) }, () => corpus).flat();
const started = performance.now();
await seedMailbox({ ...address, auth: { password: process.env['MAILROOM_SEED_PASSWORD'] ?? '' }, ...(ca ? { ca: readFileSync(ca, 'utf8') } : {}) }, messages);
const bytes = messages.reduce((n, m) => n + m.content.length, 0);
process.stdout.write(JSON.stringify({ seeded: messages.length, bytes, folders: new Set(messages.map((m) => m.folder)).size, seconds: (performance.now() - started) / 1000 }) + '\n');
