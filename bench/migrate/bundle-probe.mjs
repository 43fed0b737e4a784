// Session 15's start-up probes for the no-change re-run, rebuilt from a copy of a build's `dist` (never the repo's own):
// `esm` bundles the own modules a re-run loads into one ESM file (npm packages and other commands stay separate files);
// `snapshot` bundles them as CommonJS and evaluates them into a Node start-up snapshot (node:tls and better-sqlite3 are
// loaded at run time: tls refuses snapshotting, "Unknown external reference"). The modules are those a timeline.mjs
// log of one re-run lists. Run: node bench/migrate/bundle-probe.mjs esm|snapshot /tmp/copy/dist /tmp/timeline.log
// Then run /tmp/copy/dist/electron/cli/probe-entry.js (esm) or /tmp/copy/snap.sh (snapshot) as the CLI.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { rolldown } from 'rolldown';

const [kind, distArg, log] = process.argv.slice(2);
if (!['esm', 'snapshot'].includes(kind) || !distArg || !log) throw new Error('usage: bundle-probe.mjs esm|snapshot DIST TIMELINE_LOG');
const dist = resolve(distArg);
const cli = join(dist, 'electron/cli');
const own = new Set(readFileSync(log, 'utf8').split('\n').map((l) => /load (dist\/\S+)/.exec(l)?.[1]).filter(Boolean).map((m) => join(dist, m.slice('dist/'.length))));
const require = `process.getBuiltinModule('node:module').createRequire(${JSON.stringify(join(dist, '..', 'package.json'))})`;
const lazy = {
  '\0sqlite': `let real; export default function Database(...a) { return new (real ??= ${require}('better-sqlite3'))(...a); }`,
  '\0tls': "export function connect(...a) { return process.getBuiltinModule('node:tls').connect(...a); }",
};

// Modules loaded by import() outside the re-run's set stay files of their own (a snapshot never reaches them: it runs migrate only).
const plugin = {
  name: 'rerun-modules',
  resolveId(id, importer, extra) {
    if (kind === 'snapshot' && id === 'better-sqlite3') return '\0sqlite';
    if (kind === 'snapshot' && id === 'node:tls') return '\0tls';
    if (id.startsWith('node:') || !importer || importer.endsWith('snapshot-entry.mjs')) return null;
    if (!id.startsWith('.')) return { id, external: true };
    const full = resolve(dirname(importer), id);
    return own.has(full) || extra?.kind === 'import-statement' ? null : { id: full, external: true };
  },
  load: (id) => lazy[id] ?? null,
};

if (kind === 'esm') {
  const bundle = await rolldown({ input: join(cli, 'main.js'), platform: 'node', external: [/^node:/], plugins: [plugin] });
  await bundle.write({ file: join(cli, 'bundle.js'), format: 'esm', codeSplitting: false });
  // The compile cache must be on before the bundle is compiled; main.js's own check then sees the bundle started directly.
  writeFileSync(join(cli, 'probe-entry.js'), [
    '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 node --max-semi-space-size=1 --max-old-space-size=256',
    "import { enablePrivateCompileCache } from '../platform/compile-cache.js';",
    'enablePrivateCompileCache();',
    "process.argv[1] = new URL('./bundle.js', import.meta.url).pathname;",
    "await import('./bundle.js');",
    '',
  ].join('\n'));
  chmodSync(join(cli, 'probe-entry.js'), 0o755);
} else {
  const entry = join(dist, '..', 'snapshot-entry.mjs');
  writeFileSync(entry, [
    "import v8 from 'node:v8';",
    ...[...own].map((m, i) => `import * as m${i} from ${JSON.stringify(m)};`),
    `globalThis.__mailroomModules = [${[...own].map((_, i) => `m${i}`).join(', ')}];`,
    `import { runCli } from ${JSON.stringify(join(cli, 'main.js'))};`,
    `import { setPrivateUmask } from ${JSON.stringify(join(dist, 'electron/platform/private-files.js'))};`,
    'v8.startupSnapshot.setDeserializeMainFunction(() => {',
    '  setPrivateUmask();',
    '  runCli(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env })',
    '    .then((code) => { process.exitCode = code; }, (error) => { process.stderr.write(`internal error: ${error?.stack ?? error}\\n`); process.exitCode = 2; });',
    '});',
    '',
  ].join('\n'));
  const bundle = await rolldown({ input: entry, platform: 'node', external: [/^node:(?!tls$)/], plugins: [plugin] });
  const out = join(dist, '..', 'snapshot-bundle.cjs');
  await bundle.write({ file: out, format: 'cjs', codeSplitting: false });
  const blob = join(dist, '..', 'snap.blob');
  // Named relatively, so main.js (whose bundled import.meta.url is the bundle's) does not take itself for started
  // directly and run the CLI while the snapshot is built: the deserialised main function runs it.
  execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', 'snapshot-bundle.cjs'], { stdio: 'inherit', cwd: dirname(out) });
  const sh = join(dist, '..', 'snap.sh');
  writeFileSync(sh, `#!/bin/sh\nexport MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072\nexec node --max-semi-space-size=1 --max-old-space-size=256 --snapshot-blob ${blob} "$@"\n`);
  chmodSync(sh, 0o755);
}
