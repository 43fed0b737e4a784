import type { ConnectionKind, ConnectionSummary, ImapSettings } from '../../shared/domain/connection.ts';
import { err, type Result } from '../../shared/errors/result.ts';
import { secretMissing } from '../../shared/lib/secret-missing.ts';
import type { BackendAdapter } from '../backends/adapter.ts';
import type { PostfixAdminSettings } from '../backends/postfixadmin/postfixadmin-adapter.ts';
import type { AdapterOptions, ApiBackendKind } from '../backends/adapter-factory.ts';

// Adapters pull in database drivers and vendor SDKs (seconds of start-up together); they are
// loaded when a connection of their kind is first used, so the CLI and the window start fast.

/** Builds the adapter of one connection from its settings and its vault secret. */
export type AdapterFactory = (connection: ConnectionSummary, secret: string | null, operator: string) => Promise<Result<BackendAdapter>>;

/** Adapter factories by connection kind; other backends register theirs in compose.ts. */
export type AdapterFactories = Partial<Record<ConnectionKind, AdapterFactory>>;

/** The PostfixAdmin SQL factory. */
export const postfixAdminFactory: AdapterFactory = async (connection, secret, operator) => {
  const settings = connection.settings as unknown as PostfixAdminSettings;
  if (!settings.dialect) return err('backend.validation', `Connection "${connection.name}" has no SQL dialect.`);
  const { openPostfixAdminAdapter } = await import('../backends/postfixadmin/postfixadmin-adapter.ts');
  return openPostfixAdminAdapter(settings, secret, { actor: operator });
};

/** The IMAP-only factory: the account itself and its Sieve forwards (ManageSieve). */
export const imapOnlyFactory: AdapterFactory = async (connection, secret) => {
  if (secret === null) return { ok: false, error: secretMissing(connection.name) };
  const { ImapOnlyAdapter } = await import('../backends/imap/imap-only-adapter.ts');
  return { ok: true, value: new ImapOnlyAdapter(connection.settings as unknown as ImapSettings, secret) };
};

const API_KINDS = { mailcow: 'mailcow', stalwart: 'stalwart', google: 'google-workspace', microsoft: 'microsoft-365' } as const satisfies Partial<Record<ConnectionKind, ApiBackendKind>>;

/** Factories for the HTTP API platforms (mailcow, Stalwart, Google Workspace, Microsoft 365); `options` tunes retries and TLS trust. */
export function apiAdapterFactories(options: AdapterOptions = {}): AdapterFactories {
  const factory =
    (kind: ApiBackendKind): AdapterFactory =>
    async (connection, secret) =>
      secret === null
        ? { ok: false, error: secretMissing(connection.name) }
        : (await import('../backends/adapter-factory.ts')).createAdapter(kind, connection.settings, secret, options);
  return Object.fromEntries(Object.entries(API_KINDS).map(([kind, api]) => [kind, factory(api)])) as AdapterFactories;
}

/** The factories this build knows. */
export const defaultAdapterFactories: AdapterFactories = { imap: imapOnlyFactory, postfixadmin: postfixAdminFactory, ...apiAdapterFactories() };
