import type { ConnectionKind } from '../../../shared/domain/connection.ts';
import type { Capabilities, Support } from '../../../shared/domain/provisioning.ts';

const native: Support = { level: 'native' };
const no = (manual: string): Support => ({ level: 'unsupported', manual });

/** Capabilities by platform kind, used until the connection's probed capabilities are known. */
export function assumedCapabilities(kind: ConnectionKind): Capabilities | null {
  if (kind === 'imap') {
    const none = no('An IMAP-only connection reads usage; provision on the server itself.');
    return {
      kind: 'imap',
      version: null,
      domain: { list: none, create: none, remove: none, alias: none },
      mailbox: { list: none, create: none, update: none, remove: none, suspend: none, setPassword: none, forcePasswordChange: none },
      alias: { manage: none, catchAll: none },
      group: { manage: none, model: 'none' },
      forward: { set: none, keepCopy: false, needsConfirmation: false },
      quota: { set: none },
      usage: { read: native, freshness: 'live' },
      dkim: { generate: none },
    };
  }
  if (kind !== 'postfixadmin') return null;
  return {
    kind: 'postfixadmin-sql',
    version: null,
    domain: { list: native, create: native, remove: native, alias: native },
    mailbox: { list: native, create: native, update: native, remove: native, suspend: native, setPassword: native, forcePasswordChange: no('PostfixAdmin has no forced password change; tell the user to change it in webmail.') },
    alias: { manage: native, catchAll: native },
    group: { manage: { level: 'emulated', how: 'alias with several targets' }, model: 'alias-fanout' },
    forward: { set: native, keepCopy: true, needsConfirmation: false },
    quota: { set: native },
    usage: { read: native, freshness: 'live' },
    dkim: { generate: native },
  };
}

/** True when Mailroom can perform an operation of this support level itself. */
export function canDo(support: Support | undefined): boolean {
  return support === undefined || support.level === 'native' || support.level === 'emulated';
}

/** The tooltip for an operation the platform cannot do through Mailroom: where to do it instead. */
export function whyNot(support: Support | undefined, what: string): string | undefined {
  if (canDo(support)) return undefined;
  const prefix = support!.level === 'needs-sidecar' ? `${what} needs a helper outside Mailroom` : `This platform cannot ${what.toLowerCase()} through Mailroom`;
  return support!.manual ? `${prefix}. Do it here instead: ${support!.manual}` : `${prefix}.`;
}
