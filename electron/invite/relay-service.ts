import type { SettingsRepo } from '../db/settings-repo.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { NewRelaySettings, RelaySettings, RelayTestInput, RelayTestReport } from '../../shared/domain/relay.ts';
import type { Change } from '../audit/audit-recorder.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { openRelayTransport, smtpReason } from './relay-transport.ts';

const RELAY_KEY = 'relay.smtp';
const RELAY_SECRET = 'relay:smtp';

type StoredRelay = Omit<RelaySettings, 'hasPassword'>;

/** The SMTP relay invitations go through: settings in the cache, its password in the keychain. */
export class RelayService {
  private readonly settings: SettingsRepo;
  private readonly vault: CredentialVault;

  /** The journal's name for the relay settings. */
  static readonly object = RELAY_KEY;

  constructor(deps: { settings: SettingsRepo; vault: CredentialVault }) {
    this.settings = deps.settings;
    this.vault = deps.vault;
  }

  /** The relay settings, or null when none is configured. */
  async get(): Promise<RelaySettings | null> {
    const stored = this.settings.get<StoredRelay>(RELAY_KEY);
    return stored ? { ...stored, hasPassword: (await this.vault.get(RELAY_SECRET)) !== null } : null;
  }

  /** Stores the relay; the password goes to the keychain (kept when omitted, dropped when there is no user). */
  async set(input: NewRelaySettings): Promise<Change<RelaySettings>> {
    const before = await this.get();
    const { password, user, ...rest } = input;
    this.settings.put(RELAY_KEY, { ...rest, user: user ?? null } satisfies StoredRelay);
    if (password !== undefined && user !== undefined) await this.vault.set(RELAY_SECRET, password);
    if (user === undefined) await this.vault.delete(RELAY_SECRET);
    const saved = (await this.get())!;
    return { value: saved, before, after: saved };
  }

  /** The relay's password from the keychain, or null. */
  password(): Promise<string | null> {
    return this.vault.get(RELAY_SECRET);
  }

  /** Sends a short test message through the stored relay (login included); the report carries the server's answer. */
  async sendTest(input: RelayTestInput): Promise<Result<RelayTestReport>> {
    const relay = await this.get();
    if (!relay) return err('notFound', 'No SMTP relay is configured: save one in Settings › Invitations first.');
    const where = `${relay.host}:${relay.port}`;
    const transport = await openRelayTransport(relay, relay.user ? await this.password() : null);
    try {
      const info = await transport.sendMail({
        from: relay.from,
        to: input.to,
        subject: 'Mailroom relay test',
        text: `This is a test message from Mailroom, sent through the SMTP relay ${where} that invitations use.\nNo action is needed.\n`,
      });
      const list = (xs: readonly unknown[] | undefined): string[] => (xs ?? []).map((x) => (typeof x === 'string' ? x : (x as { address?: string }).address ?? String(x)));
      return ok({ host: relay.host, port: relay.port, to: input.to, accepted: list(info.accepted), rejected: list(info.rejected), response: (info.response ?? '').trim(), messageId: info.messageId ?? null });
    } catch (error) {
      return err('smtp.failed', `The relay ${where} did not take the test message: ${smtpReason(error)}`, { retryable: true });
    } finally {
      transport.close();
    }
  }
}
