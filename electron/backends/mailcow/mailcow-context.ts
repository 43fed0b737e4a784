import { type AppError, type Result, appError, ok } from '../../../shared/errors/result.ts';
import type { HttpClient } from '../http/http-client.ts';

/** What every mailcow operation needs: the API client (base URL and `X-API-Key` already set). */
export interface MailcowContext {
  readonly http: HttpClient;
}

interface McItem {
  readonly type?: string;
  readonly msg?: unknown;
}

/** Bytes in the MiB that mailcow's write API counts quotas in. */
export const MIB = 1_048_576;

/** Classifies mailcow's write answers: HTTP 200 with `[{type, msg, log}]`, where any `danger`/`error` item is a failure. */
export function classifyMailcowItems(body: unknown, where: string): AppError | null {
  const items: readonly McItem[] = Array.isArray(body) ? body : body && typeof body === 'object' ? [body as McItem] : [];
  const bad = items.filter((item) => item.type === 'danger' || item.type === 'error');
  if (bad.length === 0) return null;
  const keys = bad.map((item) => (Array.isArray(item.msg) ? String(item.msg[0]) : String(item.msg ?? '')));
  const text = bad.map((item) => (Array.isArray(item.msg) ? item.msg.map(String).join(' ') : String(item.msg ?? ''))).join('; ');
  const detail = { vendorCode: keys[0], backendMessage: text };
  // Message keys come from mailcow's data/web/lang/lang.en-gb.json (object_exists, domain_exists, aliasd_exists,
  // is_alias_or_mailbox for an address a mailbox or alias holds, …).
  if (keys.some((k) => /exists|not_empty|^is_alias/.test(k))) return appError('backend.conflict', `${where}: ${text}`, { detail });
  if (keys.some((k) => /access_denied/.test(k))) return appError('backend.forbidden', `${where}: ${text}`, { detail });
  if (keys.some((k) => /not_found|no_such/.test(k))) return appError('backend.notFound', `${where}: ${text}`, { detail });
  return appError('backend.validation', `${where}: ${text}`, { detail });
}

/** Mailbox quota for mailcow's write API, which takes MiB (reads answer bytes); 0 means unlimited. */
export function bytesToMiB(bytes: number | null | undefined): number {
  return bytes ? Math.ceil(bytes / MIB) : 0;
}

/** A numeric field of a mailcow answer (they arrive as numbers or strings), or null when empty. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Splits an alias `goto` into its targets. */
export function splitTargets(goto: unknown): string[] {
  return typeof goto === 'string' ? goto.split(',').map((t) => t.trim()).filter(Boolean) : [];
}

/** The rows of a mailcow read answer, whether it came as an array or a single object. */
export function arrayOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) return body.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  // A single object answers get/…/{id}; an empty {} means none.
  return body && typeof body === 'object' && Object.keys(body).length > 0 ? [body as Record<string, unknown>] : [];
}

/** POSTs one write call and checks each answer item, since mailcow reports failures inside HTTP 200. */
export async function write(ctx: MailcowContext, path: string, body: unknown): Promise<Result<void>> {
  const res = await ctx.http.json<unknown>({ method: 'POST', path, body });
  if (!res.ok) return res;
  // mailcow answers HTTP 200 for validation errors; check each item's type.
  const failure = classifyMailcowItems(res.value.body, `mailcow ${path}`);
  return failure ? { ok: false, error: failure } : ok(undefined);
}
