/** Facts about the running Mailroom process, shown in Settings. */
export interface AppInfo {
  readonly version: string;
  readonly transport: 'electron' | 'loopback';
  readonly dataDir: string;
  readonly operator: string;
  readonly node: string;
}
