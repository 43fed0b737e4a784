import type { Api, Events } from './contract.ts';

/** `read` operations change nothing; `mutate` operations are recorded in the audit journal. */
export type ChannelKind = 'read' | 'mutate';

type ChannelTable = { readonly [A in keyof Api]: { readonly [M in keyof Api[A]]: ChannelKind } };

/** Every invokable operation; the compiler rejects a missing or an extra entry. */
export const invokeChannels = {
  app: { info: 'read' },
  connections: { list: 'read', addImap: 'mutate', addPostfixAdmin: 'mutate', addMailcow: 'mutate', addStalwart: 'mutate', addGoogle: 'mutate', addMicrosoft: 'mutate', edit: 'mutate', test: 'read', capabilities: 'read', dependents: 'read', remove: 'mutate', setTenantSettings: 'mutate' },
  audit: { list: 'read', verify: 'read', exportCsv: 'read', checkpoint: 'read', verifyCheckpoint: 'read' },
  domains: { list: 'read', refresh: 'read', create: 'mutate', update: 'mutate', remove: 'mutate', dkimKeys: 'read', installDkim: 'mutate', generateDkim: 'mutate' },
  mailboxes: { search: 'read', page: 'read', invite: 'mutate', import: 'mutate', create: 'mutate', update: 'mutate', remove: 'mutate', setPassword: 'mutate', setForwarding: 'mutate', setSpamThreshold: 'mutate' },
  aliases: { list: 'read', upsert: 'mutate', remove: 'mutate' },
  groups: { list: 'read', upsert: 'mutate', remove: 'mutate' },
  dns: { check: 'read', history: 'read', latest: 'read', generateRecords: 'read', generateDkimKey: 'mutate', exportDkimKey: 'mutate', monitored: 'read', monitor: 'mutate', unmonitor: 'mutate', cancel: 'read', domains: 'read', changesSince: 'read', markSeen: 'read', resolver: 'read', setResolver: 'mutate' },
  routing: { analyze: 'read' },
  storage: { summary: 'read', prices: 'read', setPrices: 'mutate', exportPrices: 'read', importPrices: 'mutate' },
  // Ingesting fills Mailroom's own cache; it changes nothing on a customer's systems, so it is not journaled.
  reports: { ingest: 'read', summary: 'read', sources: 'read', ingestMailbox: 'read', days: 'read', tlsFailures: 'read', verdict: 'read', cancelIngest: 'read', reverseDns: 'read' },
  relay: { get: 'read', set: 'mutate', sendTest: 'mutate' },
  alerts: { list: 'read', destinations: 'read', addDestination: 'mutate', updateDestination: 'mutate', removeDestination: 'mutate', snooze: 'mutate', test: 'mutate' },
  // Evaluating fills Mailroom's own history and changes nothing on a customer's systems, so it is not journaled.
  standards: { customers: 'read', assignCustomer: 'mutate', list: 'read', show: 'read', import: 'mutate', latest: 'read', evaluate: 'read', accept: 'mutate', remedy: 'read', recheck: 'read', cancel: 'read' },
  customerReports: { monthly: 'read', monthlyCsv: 'read', monthlyPdf: 'read' },
  migration: {
    listPlans: 'read', getPlan: 'read', createPlanFromCsv: 'mutate', createPlanFromConnections: 'mutate', updatePlan: 'mutate', removePlan: 'mutate', exportPlanCsv: 'read',
    startBatch: 'mutate', pauseBatch: 'mutate', resumeBatch: 'mutate', cancelBatch: 'mutate', deltaPass: 'mutate', verifyBatch: 'mutate', retryFailed: 'mutate',
    listBatches: 'read', getBatch: 'read', report: 'read', exportReportCsv: 'read',
    copyMailbox: 'mutate', createPlanFromUrls: 'mutate', fleetStatus: 'read', fleetSettings: 'read', setFleetSettings: 'mutate',
  },
} as const satisfies ChannelTable;

/** Every event the renderer may subscribe to. */
export const eventChannels = {
  'connections.changed': true,
  'audit.appended': true,
  'dns.findingsChanged': true,
  'dns.checkProgress': true,
  'migration.progress': true,
  'migration.batchChanged': true,
  'migration.copyProgress': true,
  'reports.ingestProgress': true,
} as const satisfies { readonly [E in keyof Events]: true };

/** The wire name of an operation: `<area>.<method>`, identical to its `window.api` path. */
export function channelName(area: string, method: string): string {
  return `${area}.${method}`;
}

/** Lists every operation as [area, method, kind]. */
export function listOperations(): ReadonlyArray<readonly [string, string, ChannelKind]> {
  return Object.entries(invokeChannels).flatMap(([area, methods]) =>
    Object.entries(methods as Record<string, ChannelKind>).map(
      ([method, kind]) => [area, method, kind] as const,
    ),
  );
}

/** True when `name` is a known event channel. */
export function isEventChannel(name: string): name is keyof Events {
  return Object.hasOwn(eventChannels, name);
}
