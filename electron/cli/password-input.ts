import { readFileSync } from 'node:fs';
import { UsageError, type CliIo } from './cli-context.ts';

/** Where a secret comes from: never argv. */
export interface SecretSource {
  /** Name of an environment variable that holds the secret. */
  readonly env?: string;
  /** Path of a file whose first line is the secret. */
  readonly file?: string;
  /** Label for the interactive prompt. */
  readonly prompt: string;
}

/** The source named by a pair of `--…-env` / `--…-file` options; either may be absent (then the prompt or stdin). */
export function secretSource(env: string | undefined, file: string | undefined, prompt: string): SecretSource {
  return { ...(env ? { env } : {}), ...(file ? { file } : {}), prompt };
}

/** Reads a secret from the named environment variable, a file, a TTY prompt (echo off) or piped stdin. */
export async function readSecret(io: CliIo, source: SecretSource): Promise<string> {
  if (source.env !== undefined) {
    const value = io.env[source.env];
    if (!value) throw new UsageError(`Environment variable ${source.env} is empty or not set.`);
    return value;
  }
  if (source.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the password file ${source.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const value = text.split(/\r?\n/)[0] ?? '';
    if (!value) throw new UsageError(`The password file ${source.file} is empty.`);
    return value;
  }
  return io.stdin.isTTY ? promptHidden(io, source.prompt) : readFirstLine(io);
}

async function readFirstLine(io: CliIo): Promise<string> {
  // Loaded only here: a secret from the environment or a file needs no readline (~2.5 ms of start-up).
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: io.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    if (line) return line;
    break;
  }
  throw new UsageError('No password given: use --password-env NAME, --password-file FILE, or pipe it on stdin.');
}

async function promptHidden(io: CliIo, label: string): Promise<string> {
  io.stderr.write(`${label}: `);
  const stdin = io.stdin as NodeJS.ReadStream;
  stdin.setRawMode?.(true);
  let value = '';
  try {
    // Leaving the loop must not destroy stdin: a run may prompt twice (the vault passphrase, then a password).
    for await (const chunk of stdin.iterator({ destroyOnReturn: false })) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return value;
        if (ch === '\u0003') throw new UsageError('Cancelled.');
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    }
    return value;
  } finally {
    stdin.setRawMode?.(false);
    io.stderr.write('\n');
  }
}
