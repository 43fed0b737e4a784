import type { Transporter } from 'nodemailer';
import type { ProvisioningService } from '../provisioning/provisioning-service.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { InviteInput, InviteReport, RelaySettings } from '../../shared/domain/relay.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { oneTimePassword } from './one-time-password.ts';
import type { RelayService } from './relay-service.ts';
import { openRelayTransport, smtpReason as reasonOf } from './relay-transport.ts';

/** What an invite left behind, for the journal, whether it succeeded or not. */
export interface InviteState {
  readonly invitedTo: string;
  /** True when the mailbox now has a password nobody but the recipient of the mail knows. */
  readonly passwordChanged: boolean;
  /** True when a password was set, the mail failed, and the old password hash was put back. */
  readonly restored: boolean;
  readonly sent: boolean;
}

/** An invite's result and, in every case, what it changed. */
export interface InviteOutcome {
  readonly result: Result<Change<InviteReport>>;
  readonly state: InviteState;
}

/** Sends one-time passwords through the configured SMTP relay; the password exists only in the mail. */
export class InviteService {
  private readonly relay: RelayService;
  private readonly provisioning: ProvisioningService;

  constructor(deps: { relay: RelayService; provisioning: ProvisioningService }) {
    this.relay = deps.relay;
    this.provisioning = deps.provisioning;
  }

  /**
   * Checks the relay (connect, EHLO, TLS, login) before touching the mailbox; then sets a one-time password
   * (with a forced change where the platform supports it) and mails it to `sendTo`. When the relay takes the
   * login but not the message, the old password hash is put back where the platform lets Mailroom read it;
   * otherwise the error says that the password was changed. The password is never returned, logged or journaled.
   */
  async invite(input: InviteInput): Promise<InviteOutcome> {
    const unchanged: InviteState = { invitedTo: input.sendTo, passwordChanged: false, restored: false, sent: false };
    const fail = (result: Result<never>, state: InviteState = unchanged): InviteOutcome => ({ result, state });
    const relay = await this.relay.get();
    if (!relay) return fail(err('notFound', 'No SMTP relay is configured: set one in Settings › Invitations (or with `mailroom relay set`) first.'));
    const caps = await this.provisioning.capabilities(input.connectionId);
    if (!caps.ok) return fail(caps);
    if (caps.value.mailbox.setPassword.level === 'unsupported' || caps.value.mailbox.setPassword.level === 'needs-sidecar') {
      return fail(err('backend.unsupported', `This platform cannot set passwords through Mailroom. ${caps.value.mailbox.setPassword.manual ?? ''}`.trim()));
    }
    const forceChange = caps.value.mailbox.forcePasswordChange.level === 'native' || caps.value.mailbox.forcePasswordChange.level === 'emulated';
    const transport = await this.transport(relay);
    try {
      try {
        await transport.verify();
      } catch (error) {
        return fail(err('smtp.failed', `The SMTP relay ${relay.host}:${relay.port} cannot be used (${reasonOf(error)}); the password of ${input.address} was not changed.`, { retryable: true }));
      }
      const saved = await this.savedHash(input);
      const password = oneTimePassword();
      const set = await this.provisioning.setPassword(input.connectionId, input.address, password, { forceChange });
      if (!set.ok) return fail(set);
      try {
        const info = await transport.sendMail({ from: relay.from, to: input.sendTo, subject: `Your new mailbox ${input.address}`, text: message(input.address, password, forceChange) });
        const state: InviteState = { invitedTo: input.sendTo, passwordChanged: true, restored: false, sent: true };
        return { result: ok({ value: { address: input.address, sentTo: input.sendTo, forceChange, messageId: info.messageId ?? null }, before: null, after: { ...state, forceChange, password: 'one-time' } }), state };
      } catch (error) {
        return this.undo(input, relay, reasonOf(error), saved);
      }
    } finally {
      transport.close();
    }
  }

  // The hash is read only where the adapter can put it back; it stays in memory for this call.
  private async savedHash(input: InviteInput): Promise<{ restore: () => Promise<Result<void>> } | null> {
    const opened = await this.provisioning.adapter(input.connectionId);
    if (!opened.ok) return null;
    const { adapter } = opened.value;
    if (!adapter.readPasswordHash || !adapter.restorePasswordHash) return null;
    const hash = await adapter.readPasswordHash(input.address);
    if (!hash.ok || hash.value === null) return null;
    const value = hash.value;
    return { restore: () => adapter.restorePasswordHash!(input.address, value) };
  }

  private async undo(input: InviteInput, relay: RelaySettings, reason: string, saved: { restore: () => Promise<Result<void>> } | null): Promise<InviteOutcome> {
    const where = `${relay.host}:${relay.port}`;
    const changed: InviteState = { invitedTo: input.sendTo, passwordChanged: true, restored: false, sent: false };
    if (saved) {
      const restored = await saved.restore();
      if (restored.ok) {
        return { result: err('smtp.failed', `The invitation could not be sent through ${where} (${reason}); the old password of ${input.address} was put back.`, { retryable: true }), state: { ...changed, passwordChanged: false, restored: true } };
      }
      return { result: err('smtp.failed', `The password of ${input.address} was reset, but the invitation could not be sent through ${where} (${reason}) and the old password could not be put back (${restored.error.message}). Send a new invite or set a password.`, { retryable: true }), state: changed };
    }
    return { result: err('smtp.failed', `The password of ${input.address} was reset, but the invitation could not be sent through ${where} (${reason}); this platform does not let Mailroom put the old one back. Send a new invite or set a password.`, { retryable: true }), state: changed };
  }

  private async transport(relay: RelaySettings): Promise<Transporter> {
    return openRelayTransport(relay, relay.user ? await this.relay.password() : null);
  }
}

function message(address: string, password: string, forceChange: boolean): string {
  return [
    `Hello,`,
    ``,
    `A mailbox has been set up for you: ${address}`,
    ``,
    `One-time password: ${password}`,
    ``,
    forceChange ? 'You will be asked to choose your own password when you first sign in.' : 'Please sign in and change this password right away.',
    '',
    'If you did not expect this message, tell your IT administrator.',
  ].join('\n');
}
