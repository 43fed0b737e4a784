import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { restrictToCurrentUser } from './windows-acl.ts';

/** Mode of every folder Mailroom creates for its data. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file Mailroom writes: the cache, its WAL, logs, state files, exports. */
export const PRIVATE_FILE_MODE = 0o600;
const GROUP_AND_OTHER = 0o077;
const STICKY = 0o1000;

/** Makes every file and folder this process creates from now on private to its user (POSIX; Windows uses ACLs). */
export function setPrivateUmask(platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32') process.umask(GROUP_AND_OTHER);
}

/**
 * Removes group and other permission bits from an existing file or folder (never through a
 * symlink). Returns false when the path exists but could not be tightened (e.g. not ours).
 */
export function tightenPath(path: string): boolean {
  let mode: number;
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink() || !(stat.isFile() || stat.isDirectory())) return true;
    // A sticky folder is a shared one (/tmp); it is never a private data folder, so leave it as it is.
    if (stat.isDirectory() && (stat.mode & STICKY) !== 0) return true;
    mode = stat.mode & 0o7777;
  } catch {
    return true;
  }
  if ((mode & GROUP_AND_OTHER) === 0) return true;
  try {
    chmodSync(path, mode & ~GROUP_AND_OTHER & 0o777);
    return true;
  } catch {
    return false;
  }
}

/** Creates a folder (and missing parents) as 0700; new folders only, existing ones are left as they are. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Creates an empty 0600 file when nothing exists at the path, so a library that creates files
 * with its own mode (SQLite: 0644) finds it there. Best effort: whoever opens it next reports failures.
 */
export function precreatePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch {
    // EEXIST is the common case; anything else (a missing or read-only folder) the opener reports in its own words.
  }
}

/**
 * Prepares Mailroom's data folder: creates it 0700 (an ACL for the user only on Windows) and
 * tightens it and what Mailroom keeps in it when an older version left them readable by others.
 * Only Mailroom's own entries are touched, so a folder pointed at by mistake keeps its contents' modes.
 * Returns the paths that could not be tightened.
 */
export function securePrivateDataDir(dataDir: string, ownEntries: readonly string[], platform: NodeJS.Platform = process.platform): string[] {
  makePrivateDir(dataDir);
  if (platform === 'win32') {
    const acl = restrictToCurrentUser(dataDir);
    return acl.ok ? [] : [dataDir];
  }
  const failed: string[] = [];
  const visit = (path: string): void => {
    if (!tightenPath(path)) failed.push(path);
    for (const name of childrenOf(path)) visit(join(path, name));
  };
  if (!tightenPath(dataDir)) failed.push(dataDir);
  for (const name of ownEntries) visit(join(dataDir, name));
  return failed;
}

function childrenOf(path: string): string[] {
  try {
    return lstatSync(path).isDirectory() ? readdirSync(path) : [];
  } catch {
    return [];
  }
}
