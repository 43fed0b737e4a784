import type { ConnectionKind } from '../../shared/domain/connection.ts';

/** The platforms' names as their users write them, by connection kind. */
export const PLATFORM_NAME: Readonly<Record<ConnectionKind, string>> = {
  imap: 'IMAP',
  postfixadmin: 'PostfixAdmin',
  mailcow: 'mailcow',
  stalwart: 'Stalwart',
  google: 'Google Workspace',
  microsoft: 'Microsoft 365',
};

/** A connection kind as people name the platform ("postfixadmin" → "PostfixAdmin"); a kind not known here as it is. */
export function platformName(kind: string): string {
  return (PLATFORM_NAME as Readonly<Record<string, string>>)[kind] ?? kind;
}
