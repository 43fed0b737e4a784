import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files that take minutes where the others take seconds (measured in full runs). A fresh checkout has no
// durations in vitest's cache, so its default order is by file size, and one of these started last would
// leave the other worker idle for its whole length.
const LONG_FILES = [
  'fleet/fleet-kill.test.ts',
  'migration/batches.test.ts',
  'postfixadmin/real-pfa-mariadb.test.ts',
  'migration/large-messages.test.ts',
  'migration/cyrus-munge8bit.test.ts',
  'reports/mailbox-reports.test.ts',
  'fleet/fleet-redis-restart.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const at = LONG_FILES.findIndex((file) => spec.moduleId.endsWith(`/test/integration/${file}`));
  return at === -1 ? LONG_FILES.length : at;
};

/** vitest's own order (failed first, then longest last time, else largest), with the known long files ahead of it. */
export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
