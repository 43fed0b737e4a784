/** How the relay connection is secured. */
export type RelayTls = 'implicit' | 'starttls' | 'none';

/** The SMTP relay invites go through (the password is in the keychain). */
export interface RelaySettings {
  readonly host: string;
  readonly port: number;
  readonly tls: RelayTls;
  readonly user: string | null;
  /** Envelope and From address of invite mails. */
  readonly from: string;
  readonly hasPassword: boolean;
}

/** Input of relay.set; `password` goes to the keychain only (omit to keep the stored one). */
export interface NewRelaySettings {
  readonly host: string;
  readonly port: number;
  readonly tls: RelayTls;
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
}

/** Input of relay.sendTest: where the test message goes. */
export interface RelayTestInput {
  readonly to: string;
}

/** What the relay answered to a test message (never the password). */
export interface RelayTestReport {
  readonly host: string;
  readonly port: number;
  readonly to: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's final reply line, e.g. `250 2.0.0 Ok: queued as 4Xy…`. */
  readonly response: string;
  readonly messageId: string | null;
}

/** Input of mailboxes.invite. */
export interface InviteInput {
  readonly connectionId: string;
  /** The mailbox that gets a one-time password. */
  readonly address: string;
  /** Where the invitation goes (the person's current address). */
  readonly sendTo: string;
}

/** What an invite did; never the password. */
export interface InviteReport {
  readonly address: string;
  readonly sentTo: string;
  /** True when the platform forces a change at first login. */
  readonly forceChange: boolean;
  readonly messageId: string | null;
}
