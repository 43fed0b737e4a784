import type { AppError, Result } from '../../../shared/errors/result.ts';
import { splitAddress } from '../../../shared/lib/mail-address.ts';
import type { PlannedWrite } from '../adapter.ts';
import { guard, logAction, reject, Rejection, storedMailboxQuota, values, type PfaContext } from './pfa-context.ts';
import { checkedQuota } from './pfa-limits.ts';
import { readNumber } from './sql-driver.ts';

/**
 * Runs the quota checks a batch of writes would meet, reading only: the very function the writes call,
 * with the quota that earlier accepted writes of the batch will add to each domain. Domains the batch
 * creates start without limits, as createDomain makes them.
 */
export async function checkWrites(ctx: PfaContext, writes: readonly PlannedWrite[]): Promise<Result<(AppError | null)[]>> {
  return guard('Checking the planned changes against the domain limits', async () => {
    const created = new Set<string>();
    const pending = new Map<string, number>();
    const out: (AppError | null)[] = [];
    for (const w of writes) {
      if (w.kind === 'domain.create') created.add(w.name);
      if (w.kind !== 'mailbox.create' && w.kind !== 'mailbox.update') {
        out.push(null);
        continue;
      }
      if (w.kind === 'mailbox.update' && w.quotaBytes === undefined) {
        out.push(null);
        continue;
      }
      const { domain } = splitAddress(w.address);
      try {
        const before = w.kind === 'mailbox.update' ? await storedQuota(ctx, w.address) : 0;
        const stored = created.has(domain) ? storedMailboxQuota(w.quotaBytes, ctx.rules.multiplier) : await checkedQuota(ctx.driver, ctx, domain, w.quotaBytes, w.address, pending.get(domain) ?? 0);
        pending.set(domain, (pending.get(domain) ?? 0) + stored - before);
        out.push(null);
      } catch (error) {
        if (!(error instanceof Rejection) || error.result.ok) throw error;
        out.push(error.result.error);
      }
    }
    return out;
  });
}

async function storedQuota(ctx: PfaContext, address: string): Promise<number> {
  const rows = await ctx.driver.query('SELECT quota FROM mailbox WHERE username = ?', [address]);
  if (!rows[0]) reject('backend.notFound', `No mailbox ${address}.`);
  return readNumber(rows[0]['quota']);
}

/** The stored hash of a mailbox's password; null when there is no such mailbox. */
export async function readPasswordHash(ctx: PfaContext, address: string): Promise<Result<string | null>> {
  return guard(`Reading the password of ${address}`, async () => {
    const rows = await ctx.driver.query('SELECT password FROM mailbox WHERE username = ?', [address]);
    return rows[0] ? String(rows[0]['password']) : null;
  });
}

/** Puts back a hash read with readPasswordHash (after an invitation that could not be sent). */
export async function restorePasswordHash(ctx: PfaContext, address: string, hash: string): Promise<Result<void>> {
  return guard(`Restoring the password of ${address}`, () =>
    ctx.driver.transaction(async (tx) => {
      const changed = await tx.run('UPDATE mailbox SET password = ?, modified = ? WHERE username = ?', [hash, values(ctx).now, address]);
      if (changed === 0) reject('backend.notFound', `No mailbox ${address}.`);
      await logAction(tx, ctx, splitAddress(address).domain, 'edit_password', `${address} (restored after a failed invitation)`);
    }),
  );
}
