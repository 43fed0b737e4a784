import { randomUUID } from 'node:crypto';
import type { AlertDestination, AlertDestinationPatch, NewAlertDestination } from '../../shared/domain/alerts.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { AlertsRepo } from '../db/alerts-repo.ts';
import type { Clock } from '../platform/clock.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';

const WEBHOOK_KINDS = new Set(['webhook', 'slack', 'teams']);

/** The keychain account of a destination's webhook URL (Slack and Teams URLs are bearer tokens). */
export const webhookAccount = (id: string): string => `alerts:webhook:${id}`;

const origin = (url: string): string => new URL(url).origin;

/** Alert destinations: settings in the cache, webhook URLs in the keychain only. */
export class AlertDestinations {
  private readonly deps: { repo: AlertsRepo; vault: CredentialVault; clock: Clock };

  constructor(deps: { repo: AlertsRepo; vault: CredentialVault; clock: Clock }) {
    this.deps = deps;
  }

  /** Every destination. */
  list(): AlertDestination[] {
    return this.deps.repo.destinations();
  }

  /** One destination by id or name, or `notFound`. */
  get(idOrName: string): Result<AlertDestination> {
    const d = this.deps.repo.destination(idOrName);
    return d ? ok(d) : err('notFound', `No alert destination "${idOrName}": \`mailroom alerts destinations\` lists them.`);
  }

  /** The webhook URL from the keychain, or null. */
  url(id: string): Promise<string | null> {
    return this.deps.vault.get(webhookAccount(id));
  }

  /** Adds a destination; a webhook URL goes to the keychain before the row is written. */
  async add(input: NewAlertDestination): Promise<Result<Change<AlertDestination>>> {
    const problem = this.inputProblem(input.kind, input);
    if (problem) return err('input.invalid', problem);
    if (this.deps.repo.destination(input.name)) return err('conflict', `An alert destination named "${input.name}" exists already.`);
    const id = randomUUID();
    if (input.url !== undefined) await this.deps.vault.set(webhookAccount(id), input.url);
    const row = { id, name: input.name, kind: input.kind, to: input.kind === 'email' ? input.to! : null, urlOrigin: input.url ? origin(input.url) : null, createdAt: this.deps.clock.now().toISOString() };
    this.deps.repo.insertDestination(row);
    const saved = this.deps.repo.destination(id)!;
    return ok({ value: saved, before: null, after: saved });
  }

  /** Renames a destination or changes its recipient or URL (a new URL replaces the one in the keychain). */
  async update(idOrName: string, patch: AlertDestinationPatch): Promise<Result<Change<AlertDestination>>> {
    const found = this.get(idOrName);
    if (!found.ok) return found;
    const before = found.value;
    const problem = this.inputProblem(before.kind, patch, true);
    if (problem) return err('input.invalid', problem);
    if (patch.name !== undefined && patch.name !== before.name && this.deps.repo.destination(patch.name)) return err('conflict', `An alert destination named "${patch.name}" exists already.`);
    if (patch.url !== undefined) await this.deps.vault.set(webhookAccount(before.id), patch.url);
    this.deps.repo.updateDestination(before.id, { name: patch.name ?? before.name, to: patch.to ?? before.to, urlOrigin: patch.url ? origin(patch.url) : before.urlOrigin, snoozedUntil: before.snoozedUntil });
    const after = this.deps.repo.destination(before.id)!;
    return ok({ value: after, before, after });
  }

  /** Snoozes a destination until a time (ISO), or wakes it with null. */
  snooze(idOrName: string, until: string | null): Result<Change<AlertDestination>> {
    const found = this.get(idOrName);
    if (!found.ok) return found;
    if (until !== null && Date.parse(until) <= this.deps.clock.now().getTime()) return err('input.invalid', `Snooze until ${until}: that time has passed.`);
    this.deps.repo.updateDestination(found.value.id, { ...found.value, snoozedUntil: until === null ? null : new Date(until).toISOString() });
    const after = this.deps.repo.destination(found.value.id)!;
    return ok({ value: after, before: found.value, after });
  }

  /** Removes a destination and its URL from the keychain. */
  async remove(idOrName: string): Promise<Result<Change<{ id: string; name: string }>>> {
    const found = this.get(idOrName);
    if (!found.ok) return found;
    this.deps.repo.removeDestination(found.value.id);
    if (WEBHOOK_KINDS.has(found.value.kind)) await this.deps.vault.delete(webhookAccount(found.value.id));
    return ok({ value: { id: found.value.id, name: found.value.name }, before: found.value, after: null });
  }

  /** True when the destination is snoozed now. */
  snoozed(d: AlertDestination): boolean {
    return d.snoozedUntil !== null && Date.parse(d.snoozedUntil) > this.deps.clock.now().getTime();
  }

  private inputProblem(kind: AlertDestination['kind'], input: { to?: string; url?: string }, patch = false): string | null {
    if (kind === 'email' && input.url !== undefined) return 'An email destination takes a recipient (to), not a URL.';
    if (kind === 'email' && input.to === undefined && !patch) return 'An email destination needs a recipient (to).';
    if (WEBHOOK_KINDS.has(kind) && input.to !== undefined) return `A ${kind} destination takes a URL, not a recipient.`;
    if (WEBHOOK_KINDS.has(kind) && input.url === undefined && !patch) return `A ${kind} destination needs its webhook URL.`;
    if (kind === 'os' && (input.url !== undefined || input.to !== undefined)) return 'An OS notification destination takes neither a URL nor a recipient.';
    return null;
  }
}
