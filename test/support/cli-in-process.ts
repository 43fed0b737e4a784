import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../electron/cli/main.ts';
import type { CredentialVault } from '../../electron/platform/credential-vault.ts';

// CLI output is checked structurally; a loose type keeps the assertions readable.
/** One object of `--json` output. */
export type CliJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an in-process CLI run printed and how it exited. */
export interface InProcessRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Parses the last line of stdout. */
  json(): CliJson;
}

/** Runs `mailroom <argv> --data-dir <dataDir>` in this process, with extra env, empty stdin and an optional vault. */
export async function runCliInProcess(argv: readonly string[], options: { readonly dataDir: string; readonly env?: Readonly<Record<string, string>>; readonly vault?: CredentialVault }): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const env = { ...process.env, ...options.env };
  const code = await runCli([...argv, '--data-dir', options.dataDir], { stdout, stderr, stdin: Readable.from([]), env }, options.vault ? { vault: options.vault } : {});
  return { code, out, err, json: () => JSON.parse(out.trim().split('\n').at(-1)!) };
}
