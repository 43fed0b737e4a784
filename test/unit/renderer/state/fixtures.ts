import type { ConnectionKind, ConnectionSummary } from '../../../../shared/domain/connection.ts';
import type { CachedDomain } from '../../../../shared/domain/inventory.ts';
import type { Capabilities, Support } from '../../../../shared/domain/provisioning.ts';

const native: Support = { level: 'native' };

/** A connection as connections.list returns it. */
export function connection(id: string, kind: ConnectionKind, name = id): ConnectionSummary {
  return { id, name, kind, settings: {}, hasSecret: true, createdAt: '2025-01-01T00:00:00Z', lastTest: null };
}

/** A cached domain of `c`. */
export function domain(c: ConnectionSummary, name: string): CachedDomain {
  return { name, description: null, active: true, mailboxCount: 2, quotaBytes: null, usedBytes: null, connectionId: c.id, connectionName: c.name, connectionKind: c.kind, refreshedAt: null, stale: false };
}

/** Capabilities with every operation native, for tests to override the ones they are about. */
export function allNative(kind: Capabilities['kind']): Capabilities {
  return {
    kind,
    version: null,
    domain: { list: native, create: native, remove: native, alias: native },
    mailbox: { list: native, create: native, update: native, remove: native, suspend: native, setPassword: native, forcePasswordChange: native },
    alias: { manage: native, catchAll: native },
    group: { manage: native, model: 'object' },
    forward: { set: native, read: native, keepCopy: true, needsConfirmation: false },
    quota: { set: native },
    usage: { read: native, freshness: 'live' },
    dkim: { generate: native, install: native },
    security: { lastLogin: native, twoStepEnforcement: native, securityDefaults: native, spamThreshold: native },
  };
}
