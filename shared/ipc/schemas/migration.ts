import { z } from 'zod';

const id = z.string().min(1).max(100);
const preset = z.enum(['gmail', 'microsoft', 'exchange', 'dovecot']);
const endpointText = z.string().trim().min(1).max(1000);
const secret = z.string().min(1).max(4096);
const isoDate = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date');
const parallel = z.number().int().min(1).max(64);

/** Input of migration.createPlanFromCsv (the CSV is at most 2 MB: tens of thousands of pairs). */
export const newPlanFromCsv = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  csv: z.string().min(1).max(2_000_000),
  sourceConnectionId: id.optional(),
  targetConnectionId: id.optional(),
  preset,
  sourcePreset: preset.optional(),
  parallel: parallel.optional(),
  inventory: z.boolean().optional(),
  start: isoDate.optional(),
  includeShared: z.boolean().optional(),
});

/** Input of migration.createPlanFromConnections. */
export const newPlanFromConnections = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  sourceConnectionId: id,
  targetConnectionId: id,
  pairs: z.array(z.object({ source: endpointText, target: endpointText })).min(1).max(50_000).optional(),
  preset,
  sourcePreset: preset.optional(),
  parallel: parallel.optional(),
  inventory: z.boolean().optional(),
  start: isoDate.optional(),
  includeShared: z.boolean().optional(),
});

/** Input of migration.updatePlan. */
export const migrationPlanPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  targetPreset: preset.optional(),
  parallel: parallel.optional(),
  gmailLabels: z.enum(['once', 'keywords', 'per-label']).optional(),
  includeShared: z.boolean().optional(),
  start: isoDate.optional(),
  keepRows: z.array(z.number().int().min(0)).max(50_000).optional(),
  addRows: z
    .array(z.object({ source: endpointText, target: endpointText, sourcePassword: secret.optional(), targetPassword: secret.optional() }))
    .max(50_000)
    .optional(),
});

/** Input of migration.startBatch. */
export const startBatchOptions = z.object({
  concurrency: z.number().int().min(1).max(64).optional(),
  connectionsPerMailbox: z.number().int().min(1).max(16).optional(),
  dryRun: z.boolean().optional(),
  verify: z.boolean().optional(),
  rows: z.array(z.number().int().min(0)).max(50_000).optional(),
  fleet: z.object({ redis: z.string().trim().min(1).max(500), state: z.string().trim().min(1).max(1000), prefix: z.string().regex(/^[\w.-]{1,100}$/).optional() }).strict().optional(),
});

const pin = z.string().trim().min(1).max(200);
const token = z.string().min(1).max(16_384);
const pattern = z
  .string()
  .min(1)
  .max(1000)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'a regular expression');
const copySide = z.union([
  z.object({ url: endpointText, secret: token, auth: z.enum(['password', 'xoauth2']).optional(), pin: pin.optional() }).strict(),
  z.object({ connectionId: id, pin: pin.optional() }).strict(),
]);

/** Input of migration.fleetStatus: a Redis URL (its password never in it; checked by the fleet module) and a key prefix. */
const fleetStatusInput = z.object({ redis: z.string().trim().min(1).max(500), prefix: z.string().regex(/^[\w.-]{1,100}$/).optional() }).strict();

/** Input of migration.setFleetSettings: URLs checked by the fleet module, the recipient an age1… line, the password kept in the keychain. */
const fleetSettingsInput = z
  .object({
    redis: z.string().trim().min(1).max(500),
    state: z.string().trim().min(1).max(1000),
    recipient: z.string().min(1).max(2000),
    prefix: z.string().regex(/^[\w.-]{1,100}$/).optional(),
    redisPassword: z.string().min(1).max(1000).nullable().optional(),
  })
  .strict();

/** Input of migration.copyMailbox. */
export const copyMailboxInput = z.object({
  source: copySide,
  target: copySide,
  ca: z.string().min(1).max(1_000_000).optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
  dryRun: z.boolean().optional(),
  verify: z.boolean().optional(),
  verifyOnly: z.boolean().optional(),
  includeShared: z.boolean().optional(),
  rules: z.array(z.object({ from: z.string().min(1).max(1000), to: z.string().max(1000) })).max(1000).optional(),
  include: pattern.optional(),
  exclude: pattern.optional(),
  targetPreset: preset.optional(),
  maxMessageBytes: z.number().int().min(1).optional(),
  syncDeletions: z.boolean().optional(),
  gmailLabels: z.enum(['folders', 'keywords', 'per-label']).optional(),
});

/** Input of migration.createPlanFromUrls. */
export const newPlanFromUrls = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  pairs: z.array(z.object({ source: endpointText, target: z.string().max(1000), sourcePassword: secret })).max(50_000),
  preset,
  sourcePreset: preset.optional(),
  parallel: parallel.optional(),
  start: isoDate.optional(),
  ca: z.string().min(1).max(1_000_000).optional(),
  includeShared: z.boolean().optional(),
});

/** Argument validators of the `migration` area. */
export const migrationSchemas = {
  migration: {
    listPlans: z.tuple([]),
    getPlan: z.tuple([id]),
    createPlanFromCsv: z.tuple([newPlanFromCsv]),
    createPlanFromConnections: z.tuple([newPlanFromConnections]),
    updatePlan: z.tuple([id, migrationPlanPatch]),
    removePlan: z.tuple([id]),
    exportPlanCsv: z.tuple([id]),
    startBatch: z.tuple([id, startBatchOptions]),
    pauseBatch: z.tuple([id]),
    resumeBatch: z.tuple([id]),
    cancelBatch: z.tuple([id]),
    deltaPass: z.tuple([id]),
    verifyBatch: z.tuple([id]),
    retryFailed: z.tuple([id]),
    listBatches: z.tuple([]),
    getBatch: z.tuple([id]),
    report: z.tuple([id, z.number().int().min(0)]),
    exportReportCsv: z.tuple([id]),
    copyMailbox: z.tuple([copyMailboxInput]),
    createPlanFromUrls: z.tuple([newPlanFromUrls]),
    fleetStatus: z.tuple([fleetStatusInput]),
    fleetSettings: z.tuple([]),
    setFleetSettings: z.tuple([fleetSettingsInput]),
  },
};
