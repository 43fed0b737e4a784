import type { ConnectionSummary } from '../../shared/domain/connection.ts';
import { googleSettings, microsoftSettings } from '../backends/adapter-factory.ts';
import type { HttpLayerOptions } from '../backends/http/http-client.ts';
import type { DavAccount } from './dav-client.ts';

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
  if (connection.kind !== side.platform) return `"${connection.name}" is a ${connection.kind} connection, not ${side.platform === 'google' ? 'Google Workspace' : 'Microsoft 365'}.`;
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
