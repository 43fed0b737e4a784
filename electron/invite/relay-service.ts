import type { SettingsRepo } from '../db/settings-repo.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import type { NewRelaySettings, RelaySettings } from '../../shared/domain/relay.ts';
import type { Change } from '../audit/audit-recorder.ts';

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
}
