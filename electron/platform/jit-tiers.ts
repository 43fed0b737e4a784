import { setFlagsFromString } from 'node:v8';

// A migration waits on the servers: the CLI's own CPU for the corpus is ~1.4 s with or without V8's optimising
// compilers, but Maglev and TurboFan cost about 10 MB of its peak (their code pages in the node binary, their
// compile zones in malloc; bench/migrate/RESULTS.md, 2026-12-07). The flags are the process's own, so only
// the command that gains sets them: CPU-bound commands (standards, reports) keep the full pipeline.

/** Turns V8's optimising compilers off for the rest of this process (the interpreter and Sparkplug remain); regular expressions compile once, to machine code. */
export function useBaselineTiersOnly(): void {
  setFlagsFromString('--no-turbofan');
  setFlagsFromString('--no-maglev');
  // By default a pattern is compiled to bytecode for its first run and again to machine code for its second; a no-change
  // re-run runs most patterns once or twice (Node's IPv6 pattern for each host name among them): ~5 ms of CPU (RESULTS.md, session 17).
  setFlagsFromString('--no-regexp-tier-up');
}

/** True for a CLI invocation that only moves mail (`migrate`, `--json` anywhere), where compiler memory is not worth its speed. */
export function wantsBaselineTiers(argv: readonly string[]): boolean {
  return argv.find((a) => a !== '--json') === 'migrate';
}
