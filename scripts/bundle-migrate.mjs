// Build step after `tsc -b`: writes dist/electron/cli/migrate-bundle/, `migrate`'s module graph as ESM chunks (what the command
// imports in one, the copy engine's parts in one, lazily loaded paths such as DAV, Gmail or a fleet in chunks of their own), and
// inputs.json, the size and mtime of each chunk and of the tsconfig.tsbuildinfo of each project whose modules the chunks hold. A standalone `migrate` then reads a few files
// instead of ~60 (bench/migrate/RESULTS.md, session 17); main.js takes the bundle only while every listed file is unchanged
// (migrate-bundle.ts), so a later `tsc -b` alone never runs stale code. Each module is in one chunk or stays a file, never both:
// files stay the modules main.js loads itself and modules that find files beside them by import.meta.url (with all they import).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { rolldown } from 'rolldown';

const cli = resolve(process.argv[2] ?? 'dist/electron/cli');
const out = join(cli, 'migrate-bundle');
// Written beside, then moved in file by file, inputs.json last: chunk names carry their content's hash, so a `migrate` already
// running from an earlier bundle still finds the chunks it imports later; a CLI starting meanwhile sees a stale inputs.json.
const next = `${out}.${process.pid}`;
// Chunks of earlier builds stay this long for runs that started from them; then the next build removes them.
const KEEP_EARLIER_MS = 7 * 24 * 3600 * 1000;

// What engine-load.js imports part by part: the copy engine every run with --state loads.
const engineParts = new Set();

/** Rolldown over own modules from `input`; `external(file, kind)` true leaves an import a file. */
const own = (input, external) => rolldown({
  input,
  platform: 'node',
  plugins: [{
    name: 'own-modules',
    resolveId(id, importer, extra) {
      if (!importer || id.startsWith('node:')) return null;
      if (!id.startsWith('.')) return { id, external: true };
      const file = resolve(dirname(importer), id);
      if (importer.endsWith('/migration/engine-load.js') && extra?.kind === 'dynamic-import') engineParts.add(file);
      return external(file, extra?.kind) ? { id: file, external: true } : null;
    },
  }],
});

async function moduleIds(input, external) {
  const bundle = await own(input, external);
  const { output } = await bundle.generate({ format: 'esm' });
  await bundle.close();
  return new Set(output.flatMap((c) => c.moduleIds ?? []).filter((m) => !m.startsWith('\0')));
}

const mainLoads = await moduleIds(join(cli, 'main.js'), (_file, kind) => kind === 'dynamic-import');
const reached = await moduleIds(join(cli, 'commands', 'migrate.js'), (file) => mainLoads.has(file));
const locatesFiles = [...reached].filter((m) => readFileSync(m, 'utf8').includes('import.meta'));
const files = new Set(mainLoads);
for (const m of locatesFiles) for (const id of await moduleIds(m, () => false)) files.add(id);

// Two chunks hold what every such run loads, so it opens 4 files rather than ~20 (RESULTS.md, session 17): the command's own
// imports, and the engine's parts (then loaded at the first part's import). Everything else splits as rolldown chooses.
const staticOnly = (entry) => moduleIds(entry, (file, kind) => files.has(file) || kind === 'dynamic-import');
const start = await staticOnly(join(cli, 'commands', 'migrate.js'));
const engine = new Set();
for (const part of engineParts) for (const id of await staticOnly(part)) if (!start.has(id)) engine.add(id);
const groups = [{ name: 'migrate-start', test: (id) => start.has(id) }, { name: 'migrate-engine', test: (id) => engine.has(id) }];

rmSync(next, { recursive: true, force: true });
const bundle = await own(join(cli, 'commands', 'migrate.js'), (file) => files.has(file));
const { output } = await bundle.write({ dir: next, format: 'esm', entryFileNames: 'migrate.js', chunkFileNames: '[name]-[hash].js', codeSplitting: { groups } });
await bundle.close();
// tsc -b rewrites a project's tsconfig.tsbuildinfo whenever it emits: one stat per project tells main.js the chunks are current.
const held = output.flatMap((c) => c.moduleIds ?? []).filter((m) => !m.startsWith('\0'));
const buildInfo = (m) => {
  for (let dir = dirname(m); dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'tsconfig.tsbuildinfo'))) return join(dir, 'tsconfig.tsbuildinfo');
  throw new Error(`bundle-migrate: no tsconfig.tsbuildinfo above ${m}: run tsc -b first`);
};
const stamp = (f) => {
  const stat = statSync(f);
  return `${stat.size}:${stat.mtimeMs}`;
};
// The chunks too (stamped where they end up; a move keeps size and mtime): one missing or replaced means the files are used.
const inputs = Object.fromEntries([
  ...[...new Set(held.map(buildInfo))].map((f) => [relative(next, f), stamp(f)]),
  ...output.map((c) => [c.fileName, stamp(join(next, c.fileName))]),
]);
mkdirSync(out, { recursive: true });
const written = new Set([...output.map((c) => c.fileName), 'inputs.json']);
for (const name of readdirSync(out)) {
  if (!written.has(name) && Date.now() - statSync(join(out, name)).mtimeMs > KEEP_EARLIER_MS) rmSync(join(out, name), { force: true });
}
for (const c of output) if (c.fileName !== 'migrate.js') renameSync(join(next, c.fileName), join(out, c.fileName));
renameSync(join(next, 'migrate.js'), join(out, 'migrate.js'));
writeFileSync(join(next, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
renameSync(join(next, 'inputs.json'), join(out, 'inputs.json'));
rmSync(next, { recursive: true, force: true });
process.stdout.write(`migrate-bundle: ${held.length} modules in ${output.length} chunks; ${files.size} left as files\n`);
