import type { TargetLayout } from './folder-map.ts';

/** What a provider allows; drives the planner's estimates and the executor's limits. See reference/migration.md §3. */
export interface ProviderPreset {
  readonly name: string;
  readonly label: string;
  readonly flavor: NonNullable<TargetLayout['flavor']>;
  /** Largest message accepted on upload. */
  readonly maxMessageBytes: number | null;
  /** Simultaneous IMAP connections per account. */
  readonly maxConnections: number;
  /** Daily IMAP upload cap (into this provider) and download cap (out of it), bytes. */
  readonly uploadBytesPerDay: number | null;
  readonly downloadBytesPerDay: number | null;
  /** Sustained ingest rate the provider tolerates per mailbox. */
  readonly messagesPerSecond: number | null;
  readonly bytesPerSecond: number | null;
  /** Distinct keywords a folder can keep (Dovecot Maildir stores 26 in file names). */
  readonly keywordLimit: number | null;
}

const MB = 1024 * 1024;

/** Presets by name. Figures cite migration.md §3/§4: Google support pages, imapsync presets, Microsoft docs. */
export const PRESETS: Readonly<Record<string, ProviderPreset>> = {
  gmail: {
    name: 'gmail',
    label: 'Gmail / Google Workspace',
    flavor: 'gmail',
    maxMessageBytes: 25 * MB,
    maxConnections: 15,
    uploadBytesPerDay: 500 * MB,
    downloadBytesPerDay: 2500 * MB,
    messagesPerSecond: null,
    bytesPerSecond: null,
    keywordLimit: null,
  },
  microsoft: {
    name: 'microsoft',
    label: 'Microsoft 365 / Exchange Online',
    flavor: 'microsoft',
    maxMessageBytes: 35 * MB,
    maxConnections: 16,
    uploadBytesPerDay: null,
    downloadBytesPerDay: null,
    // imapsync --office2: 4 msgs/s; ~300 MB per user per hour before "Suggested Backoff Time".
    messagesPerSecond: 4,
    bytesPerSecond: Math.round((300 * MB) / 3600),
    keywordLimit: null,
  },
  exchange: {
    name: 'exchange',
    label: 'Exchange on-premises',
    flavor: 'generic',
    maxMessageBytes: 10 * MB,
    maxConnections: 16,
    uploadBytesPerDay: null,
    downloadBytesPerDay: null,
    messagesPerSecond: 4,
    bytesPerSecond: null,
    keywordLimit: null,
  },
  dovecot: {
    name: 'dovecot',
    label: 'Dovecot / generic IMAP',
    flavor: 'generic',
    maxMessageBytes: null,
    maxConnections: 10,
    uploadBytesPerDay: null,
    downloadBytesPerDay: null,
    // Measured: ≈2,000–4,400 msg/s into a loopback Dovecot; over a WAN the link dominates.
    messagesPerSecond: 1500,
    bytesPerSecond: 10 * MB,
    keywordLimit: 26,
  },
};

/** Preset names accepted by the CLI. */
export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

/** The preset by name, or null. */
export function presetFor(name: string): ProviderPreset | null {
  return PRESETS[name.toLowerCase()] ?? null;
}
