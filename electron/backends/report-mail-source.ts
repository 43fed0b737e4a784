import type { Result } from '../../shared/errors/result.ts';
import type { HttpLayerOptions } from './http/http-client.ts';

/** One message waiting in a reports folder at an API platform (Gmail, Microsoft Graph). */
export interface ReportMessageRef {
  /** The platform's message id (Gmail message id, Graph message id). */
  readonly id: string;
}

/** Where a reports run reads and what it does with a message once read. */
export interface ReportMailPlan {
  /** The mailbox holding the reports (a Workspace user or a Microsoft 365 mailbox). */
  readonly mailbox: string;
  /** Gmail label name or Graph folder (display name, a/b path or well-known name such as "inbox"). */
  readonly folder: string;
  /** Label or folder stored messages go to; null marks them with the "stored" label/category instead. */
  readonly processedFolder: string | null;
}

/** Label (Gmail) or category (Graph) on a message whose reports were stored, when not moved. */
export const STORED_MARK = 'Mailroom report stored';
/** Label (Gmail) or category (Graph) on a message that could not be read; later runs skip it. */
export const ERROR_MARK = 'Mailroom report error';

/** A reports folder at an API platform: lists new messages, hands out their MIME bytes, marks them once read. */
export interface ReportMailSource {
  /** Messages in the folder not yet handled: neither moved out, nor marked stored, nor marked unreadable. */
  pending(signal?: AbortSignal): AsyncIterable<Result<ReportMessageRef>>;
  /** The whole message as the platform stores it (RFC 5322 bytes, attachments included). */
  raw(id: string, signal?: AbortSignal): Promise<Result<Buffer>>;
  /** Moves the messages to the processed folder, or marks them stored. */
  markStored(ids: readonly string[]): Promise<Result<void>>;
  /** Marks the messages unreadable, leaving them where they are. */
  markUnreadable(ids: readonly string[]): Promise<Result<void>>;
}

/** Opens the reports folder of a Google Workspace or Microsoft 365 connection from its stored settings and keychain secret. */
export async function openReportMailSource(
  kind: 'google' | 'microsoft',
  settings: Readonly<Record<string, unknown>>,
  secret: string,
  plan: ReportMailPlan,
  options: HttpLayerOptions = {},
): Promise<Result<ReportMailSource>> {
  // The vendor SDKs load only when such a source is read.
  const { googleSettings, microsoftSettings } = await import('./adapter-factory.ts');
  if (kind === 'google') {
    const s = googleSettings(settings);
    if (!s.ok) return s;
    const { createGoogleContext } = await import('./google/google-context.ts');
    const { GmailReportSource } = await import('./google/google-report-mail.ts');
    return GmailReportSource.open(createGoogleContext(s.value, secret, options), plan);
  }
  const s = microsoftSettings(settings);
  if (!s.ok) return s;
  const { createMicrosoftContext } = await import('./microsoft/microsoft-context.ts');
  const { GraphReportSource } = await import('./microsoft/microsoft-report-mail.ts');
  return GraphReportSource.open(createMicrosoftContext(s.value, secret, options), plan);
}
