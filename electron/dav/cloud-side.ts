import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import type { HttpLayerOptions } from '../backends/http/http-client.ts';
import type { DavAccount } from './dav-client.ts';

/** The saved connections a cloud side is looked up in (the connections service). */
export interface SavedConnections {
  find(idOrName: string): ConnectionSummary | null;
  secretOf(id: string): Promise<string | null>;
}

/** A copy side held by a saved Google Workspace or Microsoft 365 connection, acting for one of its users. */
export interface CloudSide {
  readonly platform: 'google' | 'microsoft';
  readonly connection: string;
  readonly user: string;
}

const PREFIX: Record<string, CloudSide['platform']> = { google: 'google', m365: 'microsoft' };

/** Parses "google:CONNECTION/user@domain" or "m365:CONNECTION/user@domain"; null for anything else (a DAV URL), a message when malformed. */
export function parseCloudSide(text: string): CloudSide | string | null {
  const m = /^(google|m365):(.*)$/.exec(text);
  if (!m) return null;
  const [, prefix = '', rest = ''] = m;
  const slash = rest.lastIndexOf('/');
  const connection = rest.slice(0, slash);
  const user = rest.slice(slash + 1);
  if (slash < 1 || !/^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/.test(user)) return `"${text}" names no user: give ${prefix}:CONNECTION/user@domain.`;
  return { platform: PREFIX[prefix]!, connection, user };
}

/** Opens a cloud side from its saved connection's settings and keychain secret; a mismatch or bad settings is a message. */
export async function openCloudSide(side: CloudSide, connection: ConnectionSummary, secret: string, options: HttpLayerOptions = {}): Promise<DavAccount | string> {
  if (connection.kind !== side.platform) return mismatch(connection, side);
  // The backend factory loads every mail backend: only a run with a cloud side pays for it.
  const { googleSettings, microsoftSettings } = await import('../backends/adapter-factory.ts');
  if (side.platform === 'google') {
    const settings = googleSettings(connection.settings);
    if (!settings.ok) return settings.error.message;
    const { createGoogleContext } = await import('../backends/google/google-context.ts');
    const ctx = createGoogleContext(settings.value, secret, options);
    if (!ctx.auth) return `"${connection.name}": the stored secret is not a service-account key.`;
    const { GoogleDavAccount } = await import('./google-dav-account.ts');
    // A connection pointed at a private or test endpoint (rootUrl) reaches Calendar and People there too.
    const root = settings.value.rootUrl;
    return new GoogleDavAccount({ auth: ctx.auth, user: side.user, ...(root ? { calendarRootUrl: root, peopleRootUrl: root } : {}) });
  }
  const settings = microsoftSettings(connection.settings);
  if (!settings.ok) return settings.error.message;
  const { createMicrosoftContext } = await import('../backends/microsoft/microsoft-context.ts');
  const { GraphDavAccount } = await import('./graph-dav-account.ts');
  return new GraphDavAccount(createMicrosoftContext(settings.value, secret, options), side.user);
}

/** Why a google:/m365: side cannot be used with these saved connections (malformed, unknown, wrong kind), or null; the secret is not read. */
export function cloudSideProblem(connections: Pick<SavedConnections, 'find'>, side: CloudSide | string): string | null {
  if (typeof side === 'string') return side;
  const saved = connections.find(side.connection);
  if (!saved) return `no saved connection "${side.connection}" (see \`mailroom connections list\`).`;
  return saved.kind === side.platform ? null : mismatch(saved, side);
}

/** Opens a google:/m365: side through its saved connection and that connection's secret (keychain or vault file); a message when it cannot. */
export async function openSavedCloudSide(connections: SavedConnections, side: CloudSide, secretStore = 'the keychain', options: HttpLayerOptions = {}): Promise<DavAccount | string> {
  const problem = cloudSideProblem(connections, side);
  if (problem) return problem;
  const saved = connections.find(side.connection)!;
  const secret = await connections.secretOf(saved.id);
  if (secret === null) return `${secretStore} holds no secret for "${saved.name}"; add the connection again.`;
  return openCloudSide(side, saved, secret, options);
}

function mismatch(connection: ConnectionSummary, side: CloudSide): string {
  return `"${connection.name}" is a ${connection.kind} connection, not ${side.platform === 'google' ? 'Google Workspace' : 'Microsoft 365'}.`;
}
