import type { Db } from '../db/database.ts';
import { foundation } from '../db/migrations/001-foundation.ts';
import { auditKeyedSchema } from '../db/migrations/009-audit-keyed.ts';

const normalize = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/;$/, '').trim();

// The migrations are the one source of what the guards look like.
const expected = new Map(
  [...`${foundation}\n${auditKeyedSchema}`.matchAll(/CREATE TRIGGER (audit_journal_\w+)[\s\S]*?END;/g)].map((m) => [m[1]!, normalize(m[0])]),
);

/** What became of the journal's guard triggers: names missing, and names whose SQL was changed. */
export interface TriggerCheck {
  readonly missing: readonly string[];
  readonly altered: readonly string[];
}

/** Compares the audit_journal triggers in the file with the ones the migrations created. */
export function checkTriggers(db: Db): TriggerCheck {
  const present = new Map(
    (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_journal'").all() as { name: string; sql: string }[]).map(
      (t) => [t.name, normalize(t.sql)],
    ),
  );
  const missing: string[] = [];
  const altered: string[] = [];
  for (const [name, sql] of expected) {
    const found = present.get(name);
    if (found === undefined) missing.push(name);
    else if (found !== sql) altered.push(name);
  }
  return { missing, altered };
}

/** The guard triggers every journal must have. */
export const guardTriggers: readonly string[] = [...expected.keys()];
