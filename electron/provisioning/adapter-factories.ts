import type { ConnectionKind, ConnectionSummary } from '../../shared/domain/connection.ts';
import { err, type Result } from '../../shared/errors/result.ts';
import type { BackendAdapter } from '../backends/adapter.ts';
import { openPostfixAdminAdapter, type PostfixAdminSettings } from '../backends/postfixadmin/postfixadmin-adapter.ts';

/** Builds the adapter of one connection from its settings and its vault secret. */
export type AdapterFactory = (connection: ConnectionSummary, secret: string | null, operator: string) => Promise<Result<BackendAdapter>>;

/** Adapter factories by connection kind; other backends register theirs in compose.ts. */
export type AdapterFactories = Partial<Record<ConnectionKind, AdapterFactory>>;

/** The PostfixAdmin SQL factory. */
export const postfixAdminFactory: AdapterFactory = async (connection, secret, operator) => {
  const settings = connection.settings as unknown as PostfixAdminSettings;
  if (!settings.dialect) return err('backend.validation', `Connection "${connection.name}" has no SQL dialect.`);
  return openPostfixAdminAdapter(settings, secret, { actor: operator });
};

/** The factories this build knows. */
export const defaultAdapterFactories: AdapterFactories = { postfixadmin: postfixAdminFactory };
