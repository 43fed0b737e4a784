import type { z } from 'zod';
import type { ConnectionEdit, ConnectionKind } from '../../shared/domain/connection.ts';
import {
  newGoogleConnection,
  newImapConnection,
  newMailcowConnection,
  newMicrosoftConnection,
  newPostfixAdminConnection,
  newStalwartConnection,
} from '../../shared/ipc/schemas/connections.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';

/** The field that carries each kind's secret when a connection is added. */
export const SECRET_FIELD: Record<ConnectionKind, string> = {
  imap: 'password',
  postfixadmin: 'password',
  mailcow: 'apiKey',
  stalwart: 'secret',
  google: 'serviceAccountJson',
  microsoft: 'clientSecret',
};

const ADD_SCHEMA: Record<ConnectionKind, z.ZodType<Record<string, unknown>>> = {
  imap: newImapConnection,
  postfixadmin: newPostfixAdminConnection,
  mailcow: newMailcowConnection,
  stalwart: newStalwartConnection,
  google: newGoogleConnection,
  microsoft: newMicrosoftConnection,
};

// Stands in for a secret the keychain lost, so the other fields can still be checked and saved.
const PLACEHOLDER: Record<ConnectionKind, string> = {
  imap: 'missing',
  postfixadmin: 'missing',
  mailcow: 'missing',
  stalwart: 'missing',
  google: JSON.stringify({ type: 'service_account', client_email: 'missing@invalid', private_key: 'missing' }),
  microsoft: 'missing',
};

/**
 * The settings a connection has after an edit: the stored ones with the changed ones over them
 * (null removes one), checked exactly as adding a connection of that kind checks them.
 */
export function editedSettings(
  kind: ConnectionKind,
  stored: { name: string; settings: Readonly<Record<string, unknown>> },
  edit: ConnectionEdit,
  currentSecret: string | null,
): Result<Record<string, unknown>> {
  const merged: Record<string, unknown> = { ...stored.settings };
  for (const [key, value] of Object.entries(edit.settings ?? {})) {
    if (key === SECRET_FIELD[kind] || key === 'name') return err('input.invalid', `"${key}" is not a setting; change it with its own field.`);
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  // Consent to plaintext given when the connection was added still stands; an edit can give it too.
  const allowPlaintext = edit.allowPlaintext === true || merged['allowPlaintext'] === true;
  delete merged['allowPlaintext'];
  const secret = edit.secret ?? currentSecret ?? (kind === 'postfixadmin' ? undefined : PLACEHOLDER[kind]);
  const candidate = { ...merged, name: edit.name ?? stored.name, ...(secret === undefined ? {} : { [SECRET_FIELD[kind]]: secret }), ...(allowPlaintext ? { allowPlaintext } : {}) };
  const parsed = ADD_SCHEMA[kind].safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return err('input.invalid', `${issue?.path.join('.') || 'connection'}: ${issue?.message ?? 'not valid'}`);
  }
  const { name: _name, allowPlaintext: _allow, [SECRET_FIELD[kind]]: _secret, ...settings } = parsed.data;
  if (kind === 'google') {
    const clientEmail = edit.secret ? (JSON.parse(edit.secret) as { client_email?: unknown }).client_email : stored.settings['clientEmail'];
    if (typeof clientEmail === 'string') settings['clientEmail'] = clientEmail;
  }
  return ok(settings);
}
