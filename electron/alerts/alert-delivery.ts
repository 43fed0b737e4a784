import type { AlertDelivery, AlertDestination } from '../../shared/domain/alerts.ts';
import type { RelayService } from '../invite/relay-service.ts';
import { openRelayTransport, smtpReason } from '../invite/relay-transport.ts';
import type { OsNotifier } from '../platform/os-notifier.ts';
import { alertTitle, genericBody, mailBody, slackBody, teamsBody, type AlertMessage } from './alert-payloads.ts';

// A webhook that does not answer must not hold up the other destinations or the next evaluation.
const WEBHOOK_TIMEOUT_MS = 10_000;

/** What delivering needs: the relay for mail, the notifier for the desktop, the keychain's webhook URLs. */
export interface DeliveryDeps {
  readonly relay: RelayService;
  readonly notifier: OsNotifier;
  readonly url: (destinationId: string) => Promise<string | null>;
}

const BODIES = { webhook: genericBody, slack: slackBody, teams: teamsBody } as const;

/** Delivers one message to one destination; every failure is an outcome, never a throw. */
export async function deliver(deps: DeliveryDeps, d: AlertDestination, m: AlertMessage): Promise<AlertDelivery> {
  const done = (outcome: AlertDelivery['outcome'], detail: string): AlertDelivery => ({ destination: d.name, kind: d.kind, outcome, detail });
  try {
    switch (d.kind) {
      case 'os': {
        const shown = deps.notifier.show(alertTitle(m), `${m.alert.expected} — now: ${m.alert.current}`);
        if (deps.notifier.kind === 'log-only') return done('logged', 'No desktop session here (mailroom serve or monitor): the notification was written to the log only.');
        return shown ? done('sent', 'Shown as a desktop notification.') : done('failed', 'This desktop does not support notifications.');
      }
      case 'email':
        return await mail(deps, d, m, done);
      default:
        return await post(deps, d, BODIES[d.kind](m), done);
    }
  } catch (error) {
    return done('failed', (error as Error).message.slice(0, 300));
  }
}

async function mail(deps: DeliveryDeps, d: AlertDestination, m: AlertMessage, done: (o: AlertDelivery['outcome'], detail: string) => AlertDelivery): Promise<AlertDelivery> {
  const relay = await deps.relay.get();
  if (!relay) return done('failed', 'No SMTP relay is configured: save one in Settings › Invitations.');
  const transport = await openRelayTransport(relay, relay.user ? await deps.relay.password() : null);
  try {
    const info = await transport.sendMail({ from: relay.from, to: d.to!, ...mailBody(m) });
    return { ...done('sent', `${relay.host}:${relay.port} accepted it: ${(info.response ?? '').trim()}`), ...(info.messageId ? { messageId: info.messageId } : {}) };
  } catch (error) {
    return done('failed', `The relay ${relay.host}:${relay.port} did not take it: ${smtpReason(error)}`);
  } finally {
    transport.close();
  }
}

async function post(deps: DeliveryDeps, d: AlertDestination, body: object, done: (o: AlertDelivery['outcome'], detail: string) => AlertDelivery): Promise<AlertDelivery> {
  const url = await deps.url(d.id);
  if (!url) return done('failed', `The webhook URL of "${d.name}" is not in the keychain any more: edit the destination and paste it again.`);
  // Messages name the origin only: the path of a Slack or Teams URL is its token.
  const where = new URL(url).origin;
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'error', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    const text = (await response.text()).replace(/\s+/g, ' ').slice(0, 200);
    return response.ok ? done('sent', `${where} answered HTTP ${response.status}${text ? `: ${text}` : ''}`) : done('failed', `${where} answered HTTP ${response.status}${text ? `: ${text}` : ''}`);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return done('failed', `${where} could not be reached: ${e.name === 'TimeoutError' ? `no answer in ${WEBHOOK_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message)}`);
  }
}
