import { appError, type AppError } from '../errors/result.ts';

/** The error for a connection whose secret is gone from the keychain, with both ways to re-enter it. */
export function secretMissing(connectionName: string): AppError {
  return appError(
    'connection.secretMissing',
    `The password of connection "${connectionName}" is missing from the keychain. Re-enter it: Connections › Edit, or mailroom connections edit "${connectionName}" --password-env VAR; a failed batch then resumes with Retry.`,
    { detail: { connection: connectionName } },
  );
}
