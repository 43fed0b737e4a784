/** Facts about the running Mailroom process, shown in Settings. */
export interface AppInfo {
  readonly version: string;
  readonly transport: 'electron' | 'loopback';
  readonly dataDir: string;
  readonly operator: string;
  readonly node: string;
  /** The command the user ran to start this console (`npm start`, `mailroom serve`); absent in the desktop app. */
  readonly command?: string;
}
