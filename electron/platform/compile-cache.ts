import { lstatSync } from 'node:fs';
import { constants, enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { makePrivateDir, tightenPath } from './private-files.ts';

/** The CLI's compiled-code cache folder: the user's own cache folder on this OS, never the shared temp folder. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Mailroom', 'compile-cache');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Mailroom', 'compile-cache');
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'mailroom', 'compile-cache');
}

/** True when `dir` is a real folder (not a symlink) owned by this user and closed to group and others (POSIX). */
export function isPrivateDir(dir: string, uid: number | undefined = process.getuid?.()): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o077) === 0));
  } catch {
    return false;
  }
}

/**
 * Turns on Node's module compile cache (code compiled once is reused by the next run of any command) in
 * compileCacheDir, created 0700. Returns the folder in use, or null when the cache stays off: turned off by
 * NODE_DISABLE_COMPILE_CACHE, a folder that cannot be created or is not this user's alone, or Node refusing
 * it. Never throws: a run without the cache is only slower. NODE_COMPILE_CACHE, when set, was honoured by
 * Node at start-up and is left as it is.
 */
export function enablePrivateCompileCache(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env['NODE_DISABLE_COMPILE_CACHE'] || env['NODE_COMPILE_CACHE']) return null;
  const dir = compileCacheDir(env);
  try {
    makePrivateDir(dir);
  } catch {
    return null;
  }
  // Cached code is run as is: a folder someone else can write to (or owns) would let them choose what runs.
  if (!isPrivateDir(dir) && !(tightenPath(dir) && isPrivateDir(dir))) return null;
  const { status } = enableCompileCache(dir);
  return status === constants.compileCacheStatus.ENABLED ? dir : null;
}
