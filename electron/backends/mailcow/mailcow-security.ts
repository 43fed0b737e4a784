import type { SpamThreshold } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { num, write, type MailcowContext } from './mailcow-context.ts';
import { listMailboxes } from './mailcow-mailboxes.ts';

const LOGIN_FIELDS = ['last_imap_login', 'last_pop3_login', 'last_smtp_login', 'last_sso_login'] as const;

/**
 * A mailbox row's last login: the latest of its per-service sasl_log times (Unix seconds, 0 for never).
 * Undefined when the row has none of the fields (a mailcow before they were added).
 */
export function lastLoginOf(raw: Record<string, unknown>): string | null | undefined {
  const times = LOGIN_FIELDS.filter((f) => f in raw).map((f) => num(raw[f]) ?? 0);
  if (times.length === 0) return undefined;
  const latest = Math.max(...times);
  return latest > 0 ? new Date(latest * 1000).toISOString() : null;
}

/** Parses get/spam-score's "low,high" (json_api.php answers `score`; openapi.yaml's example names it `spam_score`). */
export function parseSpamScore(body: unknown): SpamThreshold | null {
  const raw = body && typeof body === 'object' ? ((body as Record<string, unknown>)['score'] ?? (body as Record<string, unknown>)['spam_score']) : undefined;
  if (typeof raw !== 'string') return null;
  const [low, high] = raw.split(',').map((v) => Number(v.trim()));
  return low !== undefined && high !== undefined && Number.isFinite(low) && Number.isFinite(high) ? { low, high } : null;
}

/** Reads the spam thresholds in force for one mailbox (its own, or the server default). */
export async function readSpamThreshold(ctx: MailcowContext, address: string, signal?: AbortSignal): Promise<Result<SpamThreshold>> {
  const res = await ctx.http.json<unknown>({ path: `get/spam-score/${encodeURIComponent(address)}`, signal });
  if (!res.ok) return res;
  const threshold = parseSpamScore(res.value.body);
  // A mailbox the key cannot see answers {} with HTTP 200.
  return threshold ? ok(threshold) : err('backend.notFound', `mailcow: no spam score for ${address}`);
}

/** Iterates the spam thresholds of every mailbox of a domain (or of the server): one get/spam-score per mailbox. */
export async function* listSpamThresholds(ctx: MailcowContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string } & SpamThreshold>> {
  for await (const mailbox of listMailboxes(ctx, domain, signal)) {
    if (!mailbox.ok) {
      yield mailbox;
      return;
    }
    const threshold = await readSpamThreshold(ctx, mailbox.value.address, signal);
    if (!threshold.ok) {
      yield threshold;
      return;
    }
    yield ok({ address: mailbox.value.address, ...threshold.value });
  }
}

/** Sets a mailbox's spam thresholds (edit/spam-score) and reads back what mailcow now holds. */
export async function setSpamThreshold(ctx: MailcowContext, address: string, threshold: SpamThreshold): Promise<Result<SpamThreshold>> {
  if (!(threshold.low < threshold.high)) return err('input.invalid', `The low spam score (${threshold.low}) must be below the high one (${threshold.high}).`);
  const done = await write(ctx, 'edit/spam-score', { items: [address], attr: { spam_score: `${threshold.low},${threshold.high}` } });
  if (!done.ok) return done;
  return readSpamThreshold(ctx, address);
}
