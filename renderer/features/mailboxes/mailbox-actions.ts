import type { Outcome } from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { useConnections } from '../../state/connections-store.ts';
import { useInventory } from '../../state/inventory-store.ts';
import { notify, notifyError } from '../../state/toast-store.ts';
import { useMailboxRows } from './mailbox-rows-store.ts';

const PENDING_TEXT: Record<string, string> = {
  dns: 'It completes once DNS is in place.',
  licence: 'The platform finishes it once a licence is assigned.',
  confirmation: 'The target must confirm before forwarding starts.',
  job: 'The platform finishes it in the background.',
};

/** What a change concerns: the connection it runs on and the object (an address). */
export interface ChangeTarget {
  readonly connectionId: string;
  readonly object: string;
}

/** The connection's name as the list knows it; its id while the list has not loaded. */
export function connectionName(connectionId: string): string {
  return useConnections.getState().items.find((c) => c.id === connectionId)?.name ?? connectionId;
}

/** Runs one change, toasts its outcome (a failure with the platform's reason, connection and object) and reloads the views over the cache; returns true on success. */
export async function runChange<T>(what: string, call: () => Promise<Result<T>>, target?: ChangeTarget, success?: { readonly title?: string; readonly undo?: () => void }): Promise<boolean> {
  const result = await call();
  const on = target ? ` on ${connectionName(target.connectionId)}` : '';
  if (!result.ok) {
    notifyError(`Could not ${what}${on}`, result.error, target ? { connection: connectionName(target.connectionId), object: target.object } : {});
    return false;
  }
  const outcome = result.value as Partial<Outcome<unknown>> | undefined;
  if (outcome && outcome.state === 'pending') {
    notify({ tone: 'info', title: `Started: ${what}`, body: PENDING_TEXT[outcome.reason ?? 'job'] });
  } else {
    notify({ tone: 'success', title: success?.title ?? `Done: ${what}`, ...(success?.undo ? { action: { label: 'Undo', run: success.undo } } : {}) });
  }
  useInventory.getState().changed();
  useMailboxRows.getState().reload();
  return true;
}
