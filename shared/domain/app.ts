/** Where secrets are kept: the OS keychain, or a passphrase-sealed vault file for machines without one. */
export type VaultKind = 'keychain' | 'file';

/** Whether the secret store answers, and in one line where secrets are kept or what to do to fix it. */
export interface VaultStatus {
  readonly kind: VaultKind;
  readonly available: boolean;
  readonly message: string;
}

/** Facts about the running Mailroom process, shown in Settings. */
export interface AppInfo {
  readonly version: string;
  readonly transport: 'electron' | 'loopback';
  readonly dataDir: string;
  readonly operator: string;
  readonly node: string;
  /** The secret store in use, checked when asked; the console warns while it is unavailable. */
  readonly vault: VaultStatus;
  /** The command the user ran to start this console (`npm start`, `mailroom serve`); absent in the desktop app. */
  readonly command?: string;
}
