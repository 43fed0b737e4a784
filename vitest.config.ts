import { defineConfig } from 'vitest/config';
import { LongFilesFirst } from './test/support/long-files-first.ts';

// test/servers/with-servers.sh starts this many independent sets of test servers (test/run.sh asks for two):
// the unit and integration files then run that many at a time, each integration worker against a set of its
// own (test/support/server-set.ts). Without it (a single file run by hand), everything runs one at a time.
const serverSets = Math.max(1, Number(process.env['MAILROOM_SERVER_SETS'] ?? 1) || 1);

// Three projects: unit (no I/O), integration (real servers on loopback, started by
// test/servers/with-servers.sh) and e2e (the built renderer in Debian's Chromium).
export default defineConfig({
  test: {
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          // Projects run side by side only with equal maxWorkers (vitest's groups).
          maxWorkers: serverSets,
          // No I/O, but some build 15,000-row caches or run property suites, beside the integration
          // project on two cores: vitest's 5 s default has failed them there.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          maxWorkers: serverSets,
          setupFiles: ['test/support/server-set.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Two files at a time, each worker against a server set of its own, as the integration project.
          maxWorkers: serverSets,
          setupFiles: ['test/support/server-set.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // Pages poll for what they draw; vitest's 1 s default fails on a loaded two-core machine.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
