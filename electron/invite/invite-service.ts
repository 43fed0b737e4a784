import nodemailer from 'nodemailer';
import type { ProvisioningService } from '../provisioning/provisioning-service.ts';
import type { Change } from '../audit/audit-recorder.ts';
import type { InviteInput, InviteReport, RelaySettings } from '../../shared/domain/relay.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import { oneTimePassword } from './one-time-password.ts';
import type { RelayService } from './relay-service.ts';

/** Sends one-time passwords through the configured SMTP relay; the password exists only in the mail. */
export class InviteService {
  private readonly relay: RelayService;
  private readonly provisioning: ProvisioningService;

  constructor(deps: { relay: RelayService; provisioning: ProvisioningService }) {
    this.relay = deps.relay;
    this.provisioning = deps.provisioning;
  }

  /**
   * Sets a one-time password (with a forced change where the platform supports it), then mails it to
   * `sendTo`. The password is never returned, logged or journaled; if the mail fails after the password
   * was set, the error says so and a new invite replaces it.
   */
  async invite(input: InviteInput): Promise<Result<Change<InviteReport>>> {
    const relay = await this.relay.get();
    if (!relay) return err('notFound', 'No SMTP relay is configured: set one in Settings › Invitations first.');
    const caps = await this.provisioning.capabilities(input.connectionId);
    if (!caps.ok) return caps;
    if (caps.value.mailbox.setPassword.level === 'unsupported' || caps.value.mailbox.setPassword.level === 'needs-sidecar') {
      return err('backend.unsupported', `This platform cannot set passwords through Mailroom. ${caps.value.mailbox.setPassword.manual ?? ''}`.trim());
    }
    const forceChange = caps.value.mailbox.forcePasswordChange.level === 'native' || caps.value.mailbox.forcePasswordChange.level === 'emulated';
    const password = oneTimePassword();
    const set = await this.provisioning.setPassword(input.connectionId, input.address, password, { forceChange });
    if (!set.ok) return set;
    const sent = await this.send(relay, input, password, forceChange);
    if (!sent.ok) return sent;
    return ok({ value: { address: input.address, sentTo: input.sendTo, forceChange, messageId: sent.value }, before: null, after: { invitedTo: input.sendTo, forceChange, password: 'one-time' } });
  }

  private async send(relay: RelaySettings, input: InviteInput, password: string, forceChange: boolean): Promise<Result<string | null>> {
    const pass = relay.user ? await this.relay.password() : null;
    const transport = nodemailer.createTransport({
      host: relay.host,
      port: relay.port,
      secure: relay.tls === 'implicit',
      requireTLS: relay.tls === 'starttls',
      ignoreTLS: relay.tls === 'none',
      ...(relay.user && pass !== null ? { auth: { user: relay.user, pass } } : {}),
      // nodemailer's own logger would print the message (and the password) at debug level.
      logger: false,
      debug: false,
    });
    const text = [
      `Hello,`,
      ``,
      `A mailbox has been set up for you: ${input.address}`,
      ``,
      `One-time password: ${password}`,
      ``,
      forceChange ? 'You will be asked to choose your own password when you first sign in.' : 'Please sign in and change this password right away.',
      '',
      'If you did not expect this message, tell your IT administrator.',
    ].join('\n');
    try {
      const info = await transport.sendMail({ from: relay.from, to: input.sendTo, subject: `Your new mailbox ${input.address}`, text });
      return ok(info.messageId ?? null);
    } catch (error) {
      // The SMTP error text can quote the envelope but never the body, so it is safe to pass on.
      const reason = (error as { response?: string; message?: string }).response ?? (error as Error).message;
      return err('smtp.failed', `The password of ${input.address} was reset, but the invitation could not be sent through ${relay.host}:${relay.port} (${reason}). Send a new invite.`, { retryable: true });
    } finally {
      transport.close();
    }
  }
}
