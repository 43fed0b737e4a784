import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wantsBaselineTiers } from '../../../../electron/platform/jit-tiers.ts';

const MODULE = fileURLToPath(new URL('../../../../electron/platform/jit-tiers.ts', import.meta.url));

// V8's optimisation status bits (src/runtime/runtime.h, OptimizationStatus): what tier a hot function reached.
const OPTIMIZED = 1 << 4;
const BASELINE = 1 << 15;

// What `lines` print in a fresh process (natives syntax on), with or without useBaselineTiersOnly() called first.
function printedAfter(baselineOnly: boolean, lines: readonly string[]): string {
  const script = [`import { useBaselineTiersOnly } from ${JSON.stringify(MODULE)};`, baselineOnly ? 'useBaselineTiersOnly();' : '', ...lines].join('\n');
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trim();
}

// A hot function's status in a fresh process, with or without useBaselineTiersOnly() called first.
function hotFunctionStatus(baselineOnly: boolean): number {
  return Number(printedAfter(baselineOnly, [
    'function hot(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 2; return s; }',
    'const arr = Array.from({ length: 100 }, (_, i) => i);',
    'for (let i = 0; i < 200000; i++) hot(arr);',
    'console.log(%GetOptimizationStatus(hot));',
  ]));
}

describe('useBaselineTiersOnly', () => {
  it('keeps a hot function out of the optimising compilers, which optimise it otherwise', () => {
    expect(hotFunctionStatus(false) & OPTIMIZED).toBe(OPTIMIZED);
    const status = hotFunctionStatus(true);
    expect(status & OPTIMIZED).toBe(0);
    expect(status & BASELINE).toBe(BASELINE);
  });
});

// Whether a pattern run once in a fresh process was compiled to bytecode (V8's first tier), with or without useBaselineTiersOnly().
function patternHasBytecode(baselineOnly: boolean): boolean {
  const [bytecode, native] = printedAfter(baselineOnly, [
    "const re = /^[a-z]+(?:\\.[a-z]+)*$/; re.exec('imap.example');",
    'console.log(%RegexpHasBytecode(re, true), %RegexpHasNativeCode(re, true));',
  ]).split(' ');
  expect(native).toBe('true');
  return bytecode === 'true';
}

describe('useBaselineTiersOnly and regular expressions', () => {
  it('compiles a pattern straight to machine code, where V8 otherwise compiles it to bytecode first', () => {
    expect(patternHasBytecode(false)).toBe(true);
    expect(patternHasBytecode(true)).toBe(false);
  });
});

describe('wantsBaselineTiers', () => {
  it('is true for migrate only, wherever --json stands', () => {
    expect(wantsBaselineTiers(['migrate', '--source', 'x'])).toBe(true);
    expect(wantsBaselineTiers(['--json', 'migrate'])).toBe(true);
    expect(wantsBaselineTiers(['migrate', 'dav', '--json'])).toBe(true);
    expect(wantsBaselineTiers(['standards', 'evaluate'])).toBe(false);
    expect(wantsBaselineTiers(['serve'])).toBe(false);
    expect(wantsBaselineTiers(['--json'])).toBe(false);
    expect(wantsBaselineTiers([])).toBe(false);
  });
});
