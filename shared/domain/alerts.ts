/**
 * A deviation an evaluator found; it becomes an alert only once it holds on two consecutive
 * evaluations of the same source (and, for DNS rules, once two resolvers agree).
 */
export interface AlertCandidate {
  /** The rule broken; for DNS rules the check catalogue's finding id (e.g. `dmarc.missing`). */
  readonly rule: string;
  /** What broke it: a domain, a mailbox, a connection. */
  readonly target: string;
  readonly expected: string;
  readonly current: string;
  readonly customer?: string;
  /** How many resolvers saw the same answer; set for DNS rules only, which need at least two to raise. */
  readonly dnsConfirmedByResolvers?: number;
}

/** One evaluation of a source (e.g. `standard:email-baseline`, `dns:monitored`) and every candidate it found. */
export interface AlertEvaluation {
  readonly source: string;
  readonly at: Date;
  readonly candidates: readonly AlertCandidate[];
}

/** Whether an alert is open or over. */
export type AlertState = 'raised' | 'resolved';

/** A change of an alert's state caused by one evaluation. */
export interface AlertTransition {
  readonly rule: string;
  readonly target: string;
  readonly state: AlertState;
}

/** An alert as stored: raised once, resolved once the deviation is gone. */
export interface Alert {
  readonly id: number;
  readonly source: string;
  readonly rule: string;
  readonly target: string;
  readonly customer: string | null;
  readonly expected: string;
  readonly current: string;
  readonly state: AlertState;
  readonly raisedAt: string;
  readonly resolvedAt: string | null;
}

/** Filter of alerts.list. */
export interface AlertFilter {
  readonly state?: AlertState;
  readonly customer?: string;
}

/** Where alerts go: the desktop's notifications, a mail through the relay, or a webhook in one of three formats. */
export type AlertDestinationKind = 'os' | 'email' | 'webhook' | 'slack' | 'teams';

/** A destination as the console sees it; a webhook URL stays in the keychain, only its origin is shown. */
export interface AlertDestination {
  readonly id: string;
  readonly name: string;
  readonly kind: AlertDestinationKind;
  /** The mail recipient (email destinations). */
  readonly to: string | null;
  /** The webhook's scheme and host, without path or token (webhook, slack and teams destinations). */
  readonly urlOrigin: string | null;
  /** Deliveries are skipped until this time (ISO); null when not snoozed. */
  readonly snoozedUntil: string | null;
  readonly createdAt: string;
}

/** Input of alerts.addDestination; `url` goes to the keychain only. */
export interface NewAlertDestination {
  readonly name: string;
  readonly kind: AlertDestinationKind;
  readonly to?: string;
  readonly url?: string;
}

/** Input of alerts.updateDestination: a new name, recipient or URL (the URL replaces the one in the keychain). */
export interface AlertDestinationPatch {
  readonly name?: string;
  readonly to?: string;
  readonly url?: string;
}

/** What one delivery did. */
export interface AlertDelivery {
  readonly destination: string;
  readonly kind: AlertDestinationKind;
  /** 'sent', 'skipped' (snoozed) or 'failed'; 'logged' for an OS notification where no desktop runs. */
  readonly outcome: 'sent' | 'skipped' | 'failed' | 'logged';
  readonly detail: string;
  /** The Message-ID of an alert mail the relay accepted. */
  readonly messageId?: string;
}
