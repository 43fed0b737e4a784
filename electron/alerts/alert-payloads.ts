import type { Alert } from '../../shared/domain/alerts.ts';

/** What a destination is told: an alert raised or resolved, or a test from the console. */
export interface AlertMessage {
  readonly event: 'raised' | 'resolved' | 'test';
  readonly alert: Alert;
  readonly sentAt: string;
}

const VERB = { raised: 'Alert raised', resolved: 'Alert resolved', test: 'Test alert' } as const;

/** One-line title, e.g. `Alert raised: dmarc.missing on example.com`. */
export function alertTitle(m: AlertMessage): string {
  return `${VERB[m.event]}: ${m.alert.rule} on ${m.alert.target}`;
}

/** The facts every format shows, in order. */
export function alertFacts(m: AlertMessage): [string, string][] {
  const a = m.alert;
  return [
    ['Rule', a.rule],
    ['Target', a.target],
    ...(a.customer ? ([['Customer', a.customer]] as [string, string][]) : []),
    ['Expected', a.expected],
    ['Current', a.current],
    ['Source', a.source],
    [m.event === 'resolved' ? 'Resolved at' : 'Raised at', (m.event === 'resolved' ? a.resolvedAt : a.raisedAt) ?? m.sentAt],
  ];
}

/** The generic webhook body: one JSON object with the event and the whole alert. */
export function genericBody(m: AlertMessage): object {
  return { app: 'Mailroom', event: `alert.${m.event}`, title: alertTitle(m), sentAt: m.sentAt, alert: m.alert };
}

// Slack: a header's plain_text is limited to 150 characters and a mrkdwn text object to 3,000.
const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const slackEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook body: `text` (the notification's fallback) and Block Kit `blocks`. */
export function slackBody(m: AlertMessage): object {
  const facts = alertFacts(m);
  return {
    text: slackEscape(alertTitle(m)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(alertTitle(m), 150), emoji: false } },
      { type: 'section', fields: facts.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: cut(`*${k}*\n${slackEscape(v)}`, 2000) })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Sent by Mailroom at ${m.sentAt}` }] },
    ],
  };
}

/** A Microsoft Teams Workflows webhook body: a message with one Adaptive Card (schema 1.4) attachment. */
export function teamsBody(m: AlertMessage): object {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: alertTitle(m), size: 'Medium', weight: 'Bolder', wrap: true, color: m.event === 'raised' ? 'Attention' : 'Good' },
            { type: 'FactSet', facts: alertFacts(m).map(([title, value]) => ({ title, value })) },
            { type: 'TextBlock', text: `Sent by Mailroom at ${m.sentAt}`, isSubtle: true, size: 'Small', wrap: true },
          ],
        },
      },
    ],
  };
}

/** Subject and plain-text body of an alert mail. */
export function mailBody(m: AlertMessage): { subject: string; text: string } {
  const facts = alertFacts(m).map(([k, v]) => `${`${k}:`.padEnd(13)}${v}`);
  return { subject: `[Mailroom] ${alertTitle(m)}`, text: `${alertTitle(m)}\n\n${facts.join('\n')}\n\nSent by Mailroom at ${m.sentAt}.\n` };
}
