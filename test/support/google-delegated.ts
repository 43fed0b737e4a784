import { generateKeyPairSync } from 'node:crypto';
import { SCOPES } from '../../electron/backends/google/google-auth.ts';
import { GoogleFake } from '../fakes/google/google-fake.ts';

/** A started Google fake whose service account is delegated Directory, Calendar and People, with admin@example.org and these users. */
export async function startDelegatedGoogle(serviceAccount: string, users: readonly string[]): Promise<{ google: GoogleFake; base: string; serviceAccountJson: string }> {
  const google = new GoogleFake(['example.org']);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  google.registerServiceAccount(serviceAccount, keys.publicKey);
  [...SCOPES.directory, ...SCOPES.calendar, ...SCOPES.contacts].forEach((s) => google.dwdScopes.add(s));
  for (const user of ['admin@example.org', ...users]) google.directory.seedUser(user);
  const base = await google.server.start();
  const serviceAccountJson = JSON.stringify({ type: 'service_account', client_email: serviceAccount, private_key: keys.privateKey, token_uri: `${base}/token` });
  return { google, base, serviceAccountJson };
}
