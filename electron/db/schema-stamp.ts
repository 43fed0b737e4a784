/**
 * This build's schema: the number of steps in migrations/index.ts, the highest version and their
 * stamp (database-core.ts's schemaStamp). Kept here so a current --state database opens without
 * loading the steps; test/unit/electron/db/database.test.ts fails, naming the new values, when a
 * step is added or edited without updating them.
 */
export const CURRENT_SCHEMA = { steps: 23, version: 31, stamp: 0x7985ad3e } as const;
