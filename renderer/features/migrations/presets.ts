import type { MigrationPresetName } from '../../../shared/domain/migration.ts';

/** Display names of the provider presets (the figures behind them live in the planner). */
export const PRESET_LABELS: Readonly<Record<MigrationPresetName, string>> = {
  gmail: 'Gmail / Google Workspace',
  microsoft: 'Microsoft 365 / Exchange Online',
  exchange: 'Exchange on-premises',
  dovecot: 'Dovecot / generic IMAP',
};

/** The presets as select options. */
export const PRESET_OPTIONS: readonly { readonly value: MigrationPresetName; readonly label: string }[] = (Object.keys(PRESET_LABELS) as MigrationPresetName[]).map((value) => ({
  value,
  label: PRESET_LABELS[value],
}));
