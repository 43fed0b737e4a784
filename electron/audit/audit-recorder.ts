import type { Result } from '../../shared/errors/result.ts';
import type { EventBus } from '../platform/event-bus.ts';
import type { Logger } from '../platform/logger.ts';
import type { AuditJournal } from './audit-journal.ts';

/** What a mutating operation tells the journal about the change it made. */
export interface AuditNote {
  connectionId?: string | null;
  object?: string | null;
  before?: unknown;
  after?: unknown;
  /** What stands after a failed operation that changed something anyway (or says that it did not). */
  afterFailure?: unknown;
}

/** A change made by a service, with the before and after states the journal records. */
export interface Change<T> {
  readonly value: T;
  readonly before: unknown;
  readonly after: unknown;
}

/** Writes one journal entry per finished mutating operation and announces it; shared by the router and the CSV import. */
export class AuditRecorder {
  private readonly journal: AuditJournal;
  private readonly events: EventBus;
  private readonly logger: Logger;

  constructor(deps: { journal: AuditJournal; events: EventBus; logger: Logger }) {
    this.journal = deps.journal;
    this.events = deps.events;
    this.logger = deps.logger;
  }

  /** Appends `action` with its note and outcome (on failure the "after" is what the note says still changed); a failed write is logged, never thrown. */
  async record(operator: string, action: string, note: AuditNote, result: Result<unknown>): Promise<void> {
    try {
      const entry = await this.journal.append({
        operator,
        action,
        connectionId: note.connectionId ?? null,
        object: note.object ?? null,
        before: note.before ?? null,
        after: result.ok ? (note.after ?? null) : (note.afterFailure ?? null),
        result: result.ok ? 'ok' : 'error',
        errorCode: result.ok ? null : result.error.code,
      });
      this.events.emit('audit.appended', entry);
    } catch (error) {
      this.logger.error('audit journal write failed', { channel: action, error });
    }
  }
}

/** Copies a change's before/after into a note (with its subject) and returns the bare value. */
export function noteChange<T>(note: AuditNote, connectionId: string | null, object: string, result: Result<Change<T>>): Result<T> {
  note.connectionId = connectionId;
  note.object = object;
  if (!result.ok) return result;
  note.before = result.value.before;
  note.after = result.value.after;
  return { ok: true, value: result.value.value };
}
