import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parsePlanCsv, planCsv } from '../../../../electron/migration/plan-csv.ts';
import { reestimatedPlan } from '../../../../electron/migration/plan-reestimate.ts';
import { estimateMailbox, type FolderInventory } from '../../../../electron/migration/planner.ts';
import { PRESETS } from '../../../../electron/migration/presets.ts';
import type { MigrationPlan, MigrationPlanRow } from '../../../../shared/domain/migration.ts';

const MB = 1024 * 1024;
const folder = (path: string, messages: number, bytes: number, namespace: FolderInventory['namespace']): FolderInventory => ({
  path, messages, bytes, largest: 0, oversize: [], keywords: [], labelCopies: 0, labelCopyBytes: 0, namespace,
});
// Exchange on-premises: 4 messages a second, so the estimate's seconds follow the messages counted.
const exchange = PRESETS['exchange']!;
const withShared = [folder('INBOX', 40, 4 * MB, 'personal'), folder('shared/Team', 20, 2 * MB, 'shared'), folder('Other Users/bob/Sent', 4, MB, 'other')];

function row(seq: number, inventory: FolderInventory[] | null, includeShared: boolean): MigrationPlanRow {
  const estimate = inventory ? estimateMailbox(inventory, exchange, null, includeShared) : null;
  return {
    seq, source: `imaps://u${seq}@old.example`, target: `imaps://u${seq}@new.example`, sourceConnectionId: null, targetConnectionId: null,
    hasSourceSecret: false, hasTargetSecret: false, inventory, estimate, warnings: estimate?.warnings ?? ['inventory: refused'],
  };
}

function plan(includeShared: boolean): MigrationPlan {
  const rows = [row(0, withShared, includeShared), row(1, [folder('INBOX', 8, MB, 'personal')], includeShared), row(2, null, includeShared)];
  return {
    id: 'p1', name: 'shared', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', targetPreset: 'exchange', sourcePreset: null,
    mailboxes: 3, messages: 0, bytes: 0, batchSeconds: 0, parallel: 2, warnings: 0, gmailLabels: 'once', includeShared,
    timeline: [{ at: '2026-12-09T00:00:00.000Z', step: 'lower' }, { at: '2026-12-10T00:00:00.000Z', step: 'start' }], rows,
  };
}

describe("the plan CSV's shared-folder columns", () => {
  it('says per row whether shared folders are copied and what they hold: zeros where there are none, blanks without an inventory', () => {
    for (const included of [false, true]) {
      const lines = parse(planCsv(plan(included)), { columns: true }) as Record<string, string>[];
      const shared = lines.map((l) => [l['messages'], l['include_shared'], l['shared_folders'], l['shared_messages'], l['shared_bytes']]);
      const yes = included ? 'yes' : 'no';
      expect(shared).toEqual([
        [included ? '64' : '40', yes, '2', '24', String(3 * MB)],
        ['8', yes, '0', '0', '0'],
        ['', yes, '', '', ''],
      ]);
      // The warnings stay the last column.
      expect(Object.keys(lines[0]!).at(-1)).toBe('warnings');
    }
  });
});

describe('the pairs CSV of a new plan and its include_shared column', () => {
  it('reads older files without the column as before, the choice left to the plan', () => {
    const old = parsePlanCsv('source,target,source_password,target_password,source_dav,target_dav\nimaps://a@o.example,imaps://a@n.example,pw,pw2,https://dav.o.example/,\n');
    expect(old).toEqual({ ok: true, value: { includeShared: undefined, pairs: [{ source: 'imaps://a@o.example', target: 'imaps://a@n.example', sourcePassword: 'pw', targetPassword: 'pw2', sourceDav: 'https://dav.o.example/', targetDav: undefined }] } });
    const bare = parsePlanCsv('imaps://a@o.example,imaps://a@n.example\n');
    expect(bare.ok && bare.value.includeShared).toBeUndefined();
  });

  it('takes yes or no, blanks meaning the same as the other rows, and refuses rows that disagree or a word it does not know', () => {
    const csv = (...flags: string[]) => ['source,target,source_password,target_password,source_dav,target_dav,include_shared', ...flags.map((f, i) => `imaps://u${i}@o.example,imaps://u${i}@n.example,,,,,${f}`)].join('\n');
    expect(parsePlanCsv(csv('yes', '', 'YES'))).toMatchObject({ ok: true, value: { includeShared: true } });
    expect(parsePlanCsv(csv('no', 'false'))).toMatchObject({ ok: true, value: { includeShared: false } });
    expect(parsePlanCsv(csv('', ''))).toMatchObject({ ok: true, value: { includeShared: undefined } });
    expect(parsePlanCsv(csv('yes', 'no'))).toMatchObject({ ok: false, error: { code: 'input.invalid', message: expect.stringMatching(/^include_shared says yes on some rows and no on others/) } });
    expect(parsePlanCsv(csv('no', 'perhaps'))).toMatchObject({ ok: false, error: { code: 'input.invalid', message: 'Row 2, include_shared: "perhaps" is not yes or no.' } });
  });
});

describe('a plan edited to include shared folders', () => {
  it('recomputes every estimate from its inventory, the totals and the batch, and back again', () => {
    const before = plan(false);
    const now = new Date('2026-12-02T00:00:00.000Z');
    const after = reestimatedPlan(before, { includeShared: true }, before.rows, now);
    expect(after.includeShared).toBe(true);
    expect(after.rows.map((r) => r.estimate?.messages ?? null)).toEqual([64, 8, null]);
    expect(after.rows[0]!.estimate?.shared).toEqual({ folders: 2, messages: 24, bytes: 3 * MB, counted: true });
    expect([after.messages, after.bytes, after.batchSeconds, after.updatedAt]).toEqual([72, 8 * MB, 16, now.toISOString()]);
    // The row without an inventory keeps its warning; the start of the cut-over stays.
    expect(after.rows[2]!.warnings).toEqual(['inventory: refused']);
    expect(after.timeline[1]!.at).toBe(before.timeline[1]!.at);
    const back = reestimatedPlan(after, { includeShared: false }, after.rows, now);
    expect([back.messages, back.batchSeconds, back.rows[0]!.estimate?.shared?.counted]).toEqual([48, 10, false]);
  });
});
