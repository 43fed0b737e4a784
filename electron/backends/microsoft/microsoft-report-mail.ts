import { ResponseType } from '@microsoft/microsoft-graph-client';
import { err, ok, type Result } from '../../../shared/errors/result.ts';
import { ERROR_MARK, STORED_MARK, type ReportMailPlan, type ReportMailSource, type ReportMessageRef } from '../report-mail-source.ts';
import { call, odataString, pages, type MicrosoftContext } from './microsoft-context.ts';

// Folders Graph addresses by well-known name instead of id (mailFolder resource, "well-known folder names").
const WELL_KNOWN = new Set(['inbox', 'archive', 'junkemail', 'deleteditems', 'drafts', 'sentitems', 'outbox', 'clutter', 'conversationhistory', 'recoverableitemsdeletions', 'scheduled', 'searchfolders']);
const PAGE = 100;

interface GraphFolder { id: string; displayName?: string }
interface GraphMessage { id: string; categories?: string[] }

/** A Microsoft 365 mail folder as the reports folder: stored messages are moved to the processed folder or given a category. */
export class GraphReportSource implements ReportMailSource {
  readonly #ctx: MicrosoftContext;
  readonly #user: string;
  readonly #folder: string;
  readonly #processed: string | null;
  // Categories each listed message already had: a PATCH replaces the whole list.
  readonly #categories = new Map<string, string[]>();

  private constructor(ctx: MicrosoftContext, user: string, folder: string, processed: string | null) {
    this.#ctx = ctx;
    this.#user = user;
    this.#folder = folder;
    this.#processed = processed;
  }

  /** Finds the folder (a/b path of display names, or a well-known name) and the processed folder, creating the latter if missing. */
  static async open(ctx: MicrosoftContext, plan: ReportMailPlan): Promise<Result<GraphReportSource>> {
    const user = `/users/${encodeURIComponent(plan.mailbox)}`;
    const folder = await findFolder(ctx, user, plan.folder);
    if (!folder.ok) return folder;
    if (folder.value === null) return err('notFound', `Microsoft 365: ${plan.mailbox} has no folder "${plan.folder}".`);
    let processed: string | null = null;
    if (plan.processedFolder !== null) {
      const found = await findFolder(ctx, user, plan.processedFolder);
      if (!found.ok) return found;
      if (found.value === folder.value) return err('input.invalid', `The processed folder cannot be the folder being read ("${plan.folder}").`);
      if (found.value !== null) processed = found.value;
      else {
        const made = await call<GraphFolder>(ctx, 'mailFolders.create', (g) => g.api(`${user}/mailFolders`).post({ displayName: plan.processedFolder }));
        if (!made.ok) return made;
        processed = made.value.id;
      }
    }
    return ok(new GraphReportSource(ctx, user, folder.value, processed));
  }

  async *pending(signal?: AbortSignal): AsyncIterable<Result<ReportMessageRef>> {
    const skip = this.#processed === null ? [ERROR_MARK, STORED_MARK] : [ERROR_MARK];
    const path = `${this.#user}/mailFolders/${encodeURIComponent(this.#folder)}/messages`;
    for await (const m of pages<GraphMessage>(this.#ctx, 'messages.list', (g) => g.api(path).select('id,categories').top(PAGE).get(), signal)) {
      if (!m.ok) return yield m;
      const categories = m.value.categories ?? [];
      if (categories.some((c) => skip.includes(c))) continue;
      this.#categories.set(m.value.id, categories);
      yield ok({ id: m.value.id });
    }
  }

  async raw(id: string, signal?: AbortSignal): Promise<Result<Buffer>> {
    const got = await call<ArrayBuffer>(this.#ctx, 'messages.$value', (g) =>
      g.api(`${this.#user}/messages/${encodeURIComponent(id)}/$value`).responseType(ResponseType.ARRAYBUFFER).options(signal ? { signal } : {}).get(),
    );
    return got.ok ? ok(Buffer.from(got.value)) : got;
  }

  async markStored(ids: readonly string[]): Promise<Result<void>> {
    const processed = this.#processed;
    if (processed === null) return this.#categorise(ids, STORED_MARK);
    for (const id of ids) {
      const moved = await call(this.#ctx, 'messages.move', (g) => g.api(`${this.#user}/messages/${encodeURIComponent(id)}/move`).post({ destinationId: processed }));
      if (!moved.ok) return moved;
    }
    return ok(undefined);
  }

  markUnreadable(ids: readonly string[]): Promise<Result<void>> {
    return this.#categorise(ids, ERROR_MARK);
  }

  async #categorise(ids: readonly string[], mark: string): Promise<Result<void>> {
    for (const id of ids) {
      const categories = [...(this.#categories.get(id) ?? []), mark];
      const done = await call(this.#ctx, 'messages.update', (g) => g.api(`${this.#user}/messages/${encodeURIComponent(id)}`).patch({ categories }));
      if (!done.ok) return done;
    }
    return ok(undefined);
  }
}

/** The id of a folder given as a/b display names (the first may be a well-known name), or null when absent. */
async function findFolder(ctx: MicrosoftContext, user: string, path: string): Promise<Result<string | null>> {
  const [first = '', ...rest] = path.split('/').filter(Boolean);
  let id: string;
  if (WELL_KNOWN.has(first.toLowerCase())) {
    const got = await call<GraphFolder>(ctx, 'mailFolders.get', (g) => g.api(`${user}/mailFolders/${first.toLowerCase()}`).select('id,displayName').get());
    if (!got.ok) return got;
    id = got.value.id;
  } else {
    const top = await child(ctx, `${user}/mailFolders`, first);
    if (!top.ok || top.value === null) return top;
    id = top.value;
  }
  for (const name of rest) {
    const next = await child(ctx, `${user}/mailFolders/${encodeURIComponent(id)}/childFolders`, name);
    if (!next.ok || next.value === null) return next;
    id = next.value;
  }
  return ok(id);
}

async function child(ctx: MicrosoftContext, collection: string, name: string): Promise<Result<string | null>> {
  const found = await call<{ value?: GraphFolder[] }>(ctx, 'mailFolders.list', (g) => g.api(collection).filter(`displayName eq ${odataString(name)}`).select('id,displayName').get());
  if (!found.ok) return found;
  return ok(found.value.value?.[0]?.id ?? null);
}
