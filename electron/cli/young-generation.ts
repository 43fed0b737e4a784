// main.ts's `#!` line caps V8's young generation at a 1 MB semi-space, which keeps `migrate`'s memory flat. A command
// that allocates short-lived objects fast (an evaluation of 1,000 domains: ~50,000 DNS answers, the checks' findings,
// the reports) then spends a large share of its CPU scavenging. The installed `mailroom` (bin/mailroom) picks the flags
// by command before node starts, so this relaunch (a second Node start) is left for main.js started by its own `#!`.
const SEMI_SPACE = '--max-semi-space-size';

/** node's own arguments without the launcher's young-generation cap; null when there is no cap to drop. */
export function withDefaultYoungGeneration(execArgv: readonly string[]): string[] | null {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!.replaceAll('_', '-');
    if (flag === SEMI_SPACE) i++; // the value follows as its own argument
    else if (!flag.startsWith(`${SEMI_SPACE}=`)) kept.push(execArgv[i]!);
  }
  return kept.length === execArgv.length ? null : kept;
}

/** The parts of a process that a relaunch reads (the real `process` in the CLI, a fake in tests). */
export type Relaunchable = Pick<NodeJS.Process, 'execArgv' | 'execPath' | 'argv' | 'env'> & { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never };

/**
 * Replaces this process (same pid, open descriptors and environment) by node running the same script and arguments
 * with V8's default young generation. Returns, doing nothing, when there is no cap to drop or no `execve` (Windows),
 * and when the replacement fails: the command then runs as it is, only slower.
 */
export function relaunchWithDefaultYoungGeneration(proc: Relaunchable): void {
  const execArgv = withDefaultYoungGeneration(proc.execArgv);
  const script = proc.argv[1];
  if (execArgv === null || typeof proc.execve !== 'function' || !script) return;
  try {
    proc.execve(proc.execPath, [proc.execPath, ...execArgv, ...proc.argv.slice(1)], proc.env);
  } catch {
    // Runs on under the launcher's flags.
  }
}
