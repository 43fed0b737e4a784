import type { Outcome } from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { errorText } from '../../lib/error-text.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { notify } from '../../state/toast-store.ts';
import { useMailboxRows } from './mailbox-rows-store.ts';

const PENDING_TEXT: Record<string, string> = {
  dns: 'It completes once DNS is in place.',
  licence: 'The platform finishes it once a licence is assigned.',
  confirmation: 'The target must confirm before forwarding starts.',
  job: 'The platform finishes it in the background.',
};

/** Runs one change, toasts its outcome and reloads the views over the cache; returns true on success. */
export async function runChange<T>(what: string, call: () => Promise<Result<T>>): Promise<boolean> {
  const result = await call();
  if (!result.ok) {
    notify({ tone: 'danger', title: `Could not ${what}`, body: `${errorText(result.error.code)} (${result.error.code})` });
    return false;
  }
  const outcome = result.value as Partial<Outcome<unknown>> | undefined;
  if (outcome && outcome.state === 'pending') {
    notify({ tone: 'info', title: `Started: ${what}`, body: PENDING_TEXT[outcome.reason ?? 'job'] });
  } else notify({ tone: 'success', title: `Done: ${what}` });
  useInventory.getState().changed();
  useMailboxRows.getState().reload();
  return true;
}
