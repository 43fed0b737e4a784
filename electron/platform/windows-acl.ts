import { err, ok, type Result } from '../../shared/errors/result.ts';

/** Parses the SID from `whoami /user /fo csv /nh` ("DOMAIN\\user","S-1-5-21-…"). */
export function parseWhoamiSid(output: string): string | null {
  const match = /"(S-1-\d+(?:-\d+)+)"\s*$/m.exec(output.trim());
  return match?.[1] ?? null;
}

/**
 * The icacls arguments that leave `sid` alone with full control of the folder: inherited entries
 * removed, one grant replacing any other for the user, inherited by every file and folder created
 * inside it (icacls propagates the new inheritable entry to what is already there).
 */
export function icaclsArgs(dir: string, sid: string): string[] {
  return [dir, '/inheritance:r', '/grant:r', `*${sid}:(OI)(CI)F`, '/q'];
}

let cachedSid: string | null = null;

// Full paths: a bare name would also be looked up in the current folder first.
const system32 = (): string => `${process.env['SystemRoot'] ?? 'C:\\Windows'}\\System32`;

/** Windows only: an ACL for the current user only on `dir`, through whoami and icacls (both part of Windows). */
export function restrictToCurrentUser(dir: string): Result<void> {
  // Loaded here, not at the top: every command loads this module, and child_process costs ~5 ms of start-up elsewhere.
  const { execFileSync } = process.getBuiltinModule('node:child_process');
  try {
    cachedSid ??= parseWhoamiSid(execFileSync(`${system32()}\\whoami.exe`, ['/user', '/fo', 'csv', '/nh'], { encoding: 'utf8', windowsHide: true }));
    if (cachedSid === null) return err('io.failed', 'Could not read the current user\'s SID from `whoami /user`.');
    execFileSync(`${system32()}\\icacls.exe`, icaclsArgs(dir, cachedSid), { windowsHide: true, stdio: 'ignore' });
    return ok(undefined);
  } catch (error) {
    return err('io.failed', `Could not restrict ${dir} to the current user: ${(error as Error).message}`);
  }
}
