import type { AuditEntry } from '../../shared/domain/audit.ts';

/** A journal entry in words: "Suspended ana@example.com", with its objects named rather than given by id. */
export interface AuditWords {
  /** The sentence: what happened (or, for a failure, what was tried). */
  readonly summary: string;
  /** The connection by name (null when the entry has none). */
  readonly connection: string | null;
  /** Everything a search should find the entry by: words, the internal action, names, ids, operator, error code. */
  readonly searchText: string;
}

/** Connection names by id, from the live list and from the journal itself (a removed connection keeps its name there). */
export function connectionNames(entries: readonly AuditEntry[], live: readonly { readonly id: string; readonly name: string }[]): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const e of entries) {
    const named = field(e.after, 'name') ?? field(e.before, 'name');
    if (e.connectionId && e.action.startsWith('connections.') && typeof named === 'string') names.set(e.connectionId, named);
  }
  for (const c of live) names.set(c.id, c.name);
  return names;
}

// [done, tried]: the past tense for the journal, the infinitive for a failure ("Could not …").
type Phrase = readonly [string, string];

const KIND: Record<string, string> = { imap: 'IMAP', postfixadmin: 'PostfixAdmin', mailcow: 'mailcow', stalwart: 'Stalwart', google: 'Google Workspace', microsoft: 'Microsoft 365' };

/** Words for one entry; `names` resolves connection ids (see connectionNames). */
export function describeAudit(entry: AuditEntry, names: ReadonlyMap<string, string>): AuditWords {
  const connection = entry.connectionId ? (names.get(entry.connectionId) ?? null) : null;
  const object = objectName(entry, names);
  const [done, tried] = phrase(entry, object);
  const summary = entry.result === 'ok' ? done : `Could not ${tried}`;
  const searchText = [summary, done, entry.action, object, entry.object, connection, entry.connectionId, entry.operator, entry.errorCode, entry.result === 'ok' ? 'ok' : 'error failed'].filter(Boolean).join(' ');
  return { summary, connection, searchText };
}

/** The object of an entry by name: a plan's name instead of `migration.plan:<id>`, a connection's name instead of its id. */
export function objectName(entry: AuditEntry, names: ReadonlyMap<string, string>): string {
  const raw = entry.object ?? '';
  const plan = /^migration\.(plan|batch):(.+)$/.exec(raw);
  if (plan) {
    const name = field(entry.after, plan[1] === 'plan' ? 'name' : 'plan') ?? field(entry.before, 'name');
    return typeof name === 'string' ? `“${name}”` : `${plan[1]} ${plan[2]!.slice(0, 8)}`;
  }
  if (entry.action.startsWith('connections.')) return names.get(raw) ?? raw;
  const destination = /^alerts\.destination:(.+)$/.exec(raw);
  if (destination) return `“${destination[1]}”`;
  return raw;
}

function phrase(e: AuditEntry, object: string): Phrase {
  const [area, method = ''] = e.action.split('.');
  switch (area) {
    case 'connections':
      if (method.startsWith('add')) {
        const kind = KIND[String(field(e.after, 'kind') ?? method.slice(3).toLowerCase())] ?? method.slice(3);
        return [`Added the ${kind} connection ${object}`, `add the ${kind} connection ${object}`];
      }
      return method === 'remove' ? [`Removed the connection ${object}`, `remove the connection ${object}`] : generic(e, object);
    case 'mailboxes':
      return mailboxPhrase(e, method, object);
    case 'domains':
      return byMethod(method, 'domain', object);
    case 'aliases': {
      const noun = object.startsWith('@') ? 'catch-all' : 'alias';
      return method === 'upsert' ? (e.before ? [`Changed the ${noun} ${object}`, `change the ${noun} ${object}`] : [`Created the ${noun} ${object}`, `create the ${noun} ${object}`]) : byMethod(method, noun, object);
    }
    case 'groups':
      return method === 'upsert' ? (e.before ? [`Changed the members of ${object}`, `change the members of ${object}`] : [`Created the group ${object}`, `create the group ${object}`]) : byMethod(method, 'group', object);
    case 'dns':
      if (method === 'generateDkimKey') return [`Generated the DKIM key ${object}`, `generate the DKIM key ${object}`];
      if (method === 'monitor') return [`Started monitoring ${object}`, `start monitoring ${object}`];
      if (method === 'unmonitor') return [`Stopped monitoring ${object}`, `stop monitoring ${object}`];
      if (method === 'findingsChanged') {
        const score = field(e.after, 'score');
        return [`Deliverability of ${object} changed${typeof score === 'number' ? ` (score ${score} / 100)` : ''}`, `record the deliverability of ${object}`];
      }
      return generic(e, object);
    case 'storage':
      if (method === 'importPrices') return object.includes('dry run') ? ['Checked a price-table CSV (dry run)', 'check a price-table CSV'] : ['Imported the storage price table from CSV', 'import the storage price table from CSV'];
      return method === 'setPrices' ? ['Changed the storage price table', 'change the storage price table'] : generic(e, object);
    case 'relay':
      if (method === 'sendTest') return ['Sent a test message through the SMTP relay', 'send a test message through the SMTP relay'];
      return method === 'set' ? ['Changed the SMTP relay for invitations', 'change the SMTP relay'] : generic(e, object);
    case 'migration':
      return migrationPhrase(method, object);
    case 'alerts':
      return alertsPhrase(e, method, object);
    default:
      return generic(e, object);
  }
}

function mailboxPhrase(e: AuditEntry, method: string, object: string): Phrase {
  switch (method) {
    case 'update': {
      const before = field(e.before, 'active');
      const after = field(e.after, 'active');
      if (before === true && after === false) return [`Suspended ${object}`, `suspend ${object}`];
      if (before === false && after === true) return [`Unsuspended ${object}`, `unsuspend ${object}`];
      const changed = ['displayName', 'quotaBytes'].filter((k) => JSON.stringify(field(e.before, k)) !== JSON.stringify(field(e.after, k)));
      const what = changed.map((k) => (k === 'quotaBytes' ? 'quota' : 'display name')).join(' and ');
      return what && e.after !== null ? [`Changed the ${what} of ${object}`, `change the ${what} of ${object}`] : [`Edited the mailbox ${object}`, `edit the mailbox ${object}`];
    }
    case 'setPassword':
      return [`Reset the password of ${object}`, `reset the password of ${object}`];
    case 'setForwarding': {
      const targets = field(e.after, 'targets');
      if (Array.isArray(targets) && targets.length === 0) return [`Stopped forwarding ${object}`, `stop forwarding ${object}`];
      return Array.isArray(targets) ? [`Forwarded ${object} to ${targets.join(', ')}`, `forward ${object}`] : [`Changed the forwarding of ${object}`, `change the forwarding of ${object}`];
    }
    case 'invite':
      return [`Invited the user of ${object}`, `invite the user of ${object}`];
    case 'import':
      return object.includes('dry run') ? ['Checked a CSV import (dry run, nothing written)', 'check a CSV import'] : ['Imported mailboxes from a CSV file', 'import the CSV file'];
    default:
      return byMethod(method, 'mailbox', object);
  }
}

function alertsPhrase(e: AuditEntry, method: string, object: string): Phrase {
  const rule = field(e.after, 'rule');
  const target = field(e.after, 'target');
  const what = typeof rule === 'string' && typeof target === 'string' ? `${rule} on ${target}` : object;
  const table: Record<string, Phrase> = {
    raised: [`Alert raised: ${what}`, `raise the alert ${what}`],
    resolved: [`Alert resolved: ${what}`, `resolve the alert ${what}`],
    addDestination: [`Added the alert destination ${object}`, `add the alert destination ${object}`],
    updateDestination: [`Changed the alert destination ${object}`, `change the alert destination ${object}`],
    removeDestination: [`Removed the alert destination ${object}`, `remove the alert destination ${object}`],
    snooze: field(e.after, 'snoozedUntil') ? [`Snoozed the alert destination ${object}`, `snooze the alert destination ${object}`] : [`Woke the alert destination ${object}`, `wake the alert destination ${object}`],
    test: [`Sent a test alert to ${object}`, `send a test alert to ${object}`],
  };
  return table[method] ?? generic(e, object);
}

function migrationPhrase(method: string, object: string): Phrase {
  const plan = `the migration plan ${object}`;
  const batch = `a migration batch of ${object}`;
  const table: Record<string, Phrase> = {
    createPlanFromCsv: [`Created ${plan}`, `create ${plan}`],
    createPlanFromConnections: [`Created ${plan}`, `create ${plan}`],
    updatePlan: [`Edited ${plan}`, `edit ${plan}`],
    removePlan: [`Deleted ${plan}`, `delete ${plan}`],
    startBatch: [`Started ${batch}`, `start ${batch}`],
    pauseBatch: [`Paused ${batch}`, `pause ${batch}`],
    resumeBatch: [`Resumed ${batch}`, `resume ${batch}`],
    cancelBatch: [`Cancelled ${batch}`, `cancel ${batch}`],
    deltaPass: [`Ran a delta pass of ${object}`, `run a delta pass of ${object}`],
    retryFailed: [`Retried the failed mailboxes of ${object}`, `retry the failed mailboxes of ${object}`],
    verifyBatch: [`Verified ${object} by content`, `verify ${object} by content`],
  };
  return table[method] ?? [`Migration ${method} ${object}`.trim(), `run migration ${method} ${object}`.trim()];
}

function byMethod(method: string, noun: string, object: string): Phrase {
  if (method === 'create') return [`Created the ${noun} ${object}`, `create the ${noun} ${object}`];
  if (method === 'update') return [`Changed the ${noun} ${object}`, `change the ${noun} ${object}`];
  if (method === 'remove') return [`Deleted the ${noun} ${object}`, `delete the ${noun} ${object}`];
  return [`${capitalise(noun)} ${object}: ${method}`, `${method} the ${noun} ${object}`];
}

function generic(e: AuditEntry, object: string): Phrase {
  const words = e.action.replace(/\./g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return [`${capitalise(words)}${object ? ` ${object}` : ''}`, `${words}${object ? ` ${object}` : ''}`];
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
