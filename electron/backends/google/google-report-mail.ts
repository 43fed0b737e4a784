import type { gmail_v1 } from '@googleapis/gmail';
import { err, ok, type Result } from '../../../shared/errors/result.ts';
import { ERROR_MARK, STORED_MARK, type ReportMailPlan, type ReportMailSource, type ReportMessageRef } from '../report-mail-source.ts';
import { call, gmailMessagesAs, type GoogleContext } from './google-context.ts';

// messages.list allows up to 500 per page; batchModify up to 1,000 ids per call (Gmail API reference).
const PAGE = 500;
const MODIFY_MAX = 1000;

/** The label ids a run works with. */
interface Labels {
  readonly source: string;
  readonly processed: string | null;
  readonly stored: string;
  readonly error: string;
}

/** A Gmail label as the reports folder: new messages are those carrying it and neither marker label; stored ones are relabelled. */
export class GmailReportSource implements ReportMailSource {
  readonly #api: gmail_v1.Gmail;
  readonly #labels: Labels;

  private constructor(api: gmail_v1.Gmail, labels: Labels) {
    this.#api = api;
    this.#labels = labels;
  }

  /** Resolves the label names to ids (system labels such as INBOX by id or name), creating the processed and marker labels if missing. */
  static async open(ctx: GoogleContext, plan: ReportMailPlan): Promise<Result<GmailReportSource>> {
    if (!ctx.auth) return err('input.invalid', 'Google: the stored secret is not a service-account key.');
    const api = gmailMessagesAs(ctx, plan.mailbox);
    const listed = await call('labels.list', () => api.users.labels.list({ userId: 'me' }));
    if (!listed.ok) return listed;
    const labels = listed.value.labels ?? [];
    const find = (name: string): gmail_v1.Schema$Label | undefined => labels.find((l) => l.id === name || l.name?.toLowerCase() === name.toLowerCase());
    const source = find(plan.folder);
    if (!source?.id) return err('notFound', `Gmail: ${plan.mailbox} has no label "${plan.folder}".`);
    const ensure = async (name: string): Promise<Result<string>> => {
      const found = find(name);
      if (found?.id) return ok(found.id);
      const made = await call('labels.create', () => api.users.labels.create({ userId: 'me', requestBody: { name, labelListVisibility: 'labelShow', messageListVisibility: 'show' } }));
      return made.ok ? ok(made.value.id ?? '') : made;
    };
    if (plan.processedFolder !== null && find(plan.processedFolder)?.id === source.id) return err('input.invalid', `The processed label cannot be the label being read ("${plan.folder}").`);
    const processed = plan.processedFolder === null ? ok(null) : await ensure(plan.processedFolder);
    if (!processed.ok) return processed;
    const stored = await ensure(STORED_MARK);
    if (!stored.ok) return stored;
    const error = await ensure(ERROR_MARK);
    if (!error.ok) return error;
    return ok(new GmailReportSource(api, { source: source.id, processed: processed.value, stored: stored.value, error: error.value }));
  }

  async *pending(signal?: AbortSignal): AsyncIterable<Result<ReportMessageRef>> {
    // messages.list returns ids only; subtracting the marker labels' lists saves a get per message.
    const skip = new Set<string>();
    for (const label of [this.#labels.error, ...(this.#labels.processed === null ? [this.#labels.stored] : [])]) {
      for await (const id of this.#ids(label, signal)) {
        if (!id.ok) return yield id;
        skip.add(id.value);
      }
    }
    for await (const id of this.#ids(this.#labels.source, signal)) {
      if (!id.ok) return yield id;
      if (!skip.has(id.value)) yield ok({ id: id.value });
    }
  }

  async raw(id: string, signal?: AbortSignal): Promise<Result<Buffer>> {
    const got = await call('messages.get', () => this.#api.users.messages.get({ userId: 'me', id, format: 'raw' }, signal ? { signal } : {}));
    if (!got.ok) return got;
    return ok(Buffer.from(got.value.raw ?? '', 'base64url'));
  }

  markStored(ids: readonly string[]): Promise<Result<void>> {
    const { processed, source, stored } = this.#labels;
    // Moving, in Gmail, is adding the processed label and taking the source label off.
    return this.#modify(ids, processed === null ? { addLabelIds: [stored] } : { addLabelIds: [processed], removeLabelIds: [source] });
  }

  markUnreadable(ids: readonly string[]): Promise<Result<void>> {
    return this.#modify(ids, { addLabelIds: [this.#labels.error] });
  }

  async #modify(ids: readonly string[], change: { addLabelIds?: string[]; removeLabelIds?: string[] }): Promise<Result<void>> {
    for (let i = 0; i < ids.length; i += MODIFY_MAX) {
      const done = await call('messages.batchModify', () => this.#api.users.messages.batchModify({ userId: 'me', requestBody: { ids: ids.slice(i, i + MODIFY_MAX), ...change } }));
      if (!done.ok) return done;
    }
    return ok(undefined);
  }

  async *#ids(label: string, signal?: AbortSignal): AsyncIterable<Result<string>> {
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await call('messages.list', () => this.#api.users.messages.list({ userId: 'me', labelIds: [label], maxResults: PAGE, ...(token ? { pageToken: token } : {}) }, signal ? { signal } : {}));
      if (!page.ok) return yield page;
      for (const m of page.value.messages ?? []) if (m.id) yield ok(m.id);
      pageToken = page.value.nextPageToken ?? undefined;
    } while (pageToken && !signal?.aborted);
  }
}
