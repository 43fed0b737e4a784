import { expect } from 'vitest';
import type { CliJson, runCliInProcess } from '../../support/cli-in-process.ts';

type Run = (...argv: string[]) => ReturnType<typeof runCliInProcess>;

/** CLI helpers of the standards tests: a command that must succeed, an evaluation, and its deviations as lines. */
export function standardsCli(cli: Run) {
  return {
    /** Runs a command with --json; it must exit 0. */
    async ok(...argv: string[]): Promise<CliJson> {
      const run = await cli(...argv, '--json');
      expect(run.code, run.out + run.err).toBe(0);
      return run.json();
    },
    /** Evaluates a standard (exit 1 only means deviations). */
    async evaluate(standard: string): Promise<CliJson> {
      const run = await cli('standards', 'evaluate', '--standard', standard, '--json');
      expect([0, 1], run.out + run.err).toContain(run.code);
      return run.json();
    },
    /** An evaluation's deviations as "rule target (unsupported): current", sorted. */
    rows(e: CliJson): string[] {
      return (e['deviations'] as CliJson[]).map((d) => `${d['rule']} ${d['target']}${d['supported'] ? '' : ' (unsupported)'}: ${d['current']}`).sort();
    },
  };
}
