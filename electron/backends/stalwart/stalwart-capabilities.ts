import type { Capabilities } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import type { StalwartContext } from './stalwart-context.ts';

/** Fetches the JMAP session (which also checks the credentials) and returns what the connection can do. */
export async function probe(ctx: StalwartContext, signal?: AbortSignal): Promise<Result<Capabilities>> {
  const session = await ctx.jmap.session(signal);
  if (!session.ok) return session;
  return ok(stalwartCapabilities(session.value.version ?? '0.16'));
}

/** What Stalwart 0.16's management API allows. */
export function stalwartCapabilities(version: string): Capabilities {
  const native = { level: 'native' } as const;
  return {
    kind: 'stalwart',
    version,
    domain: { list: native, create: native, remove: native, alias: native },
    mailbox: {
      list: native, create: native, update: native, remove: native,
      suspend: { level: 'emulated', how: 'remove the authenticate permission (no enabled flag)' },
      setPassword: native,
      forcePasswordChange: { level: 'unsupported', manual: 'Stalwart has no "change at next login" flag; send the user a one-time password instead.' },
    },
    alias: { manage: { level: 'native', how: 'account alias (one target); several targets are a mailing list' }, catchAll: { level: 'native', how: 'Domain.catchAllAddress' } },
    group: { manage: native, model: 'list' },
    forward: { set: { level: 'emulated', how: 'Sieve redirect in a per-user script' }, keepCopy: true, needsConfirmation: false },
    quota: { set: native },
    usage: { read: native, freshness: 'live' },
    dkim: { generate: native },
  };
}
