import type { Db } from './database.ts';
import type { CustomerSummary, Standard, StandardEvaluation, StandardSummary } from '../../shared/domain/standards.ts';
import { UNASSIGNED_CUSTOMER } from '../../shared/domain/standards.ts';

/** A cached domain with the customer it inherits from its connection. */
export interface CustomerDomain {
  readonly name: string;
  readonly connectionId: string;
  readonly connectionKind: string;
  readonly customer: string;
}

/** A recorded acceptance of a deviation (target `*`: everywhere). */
export interface Acceptance {
  readonly rule: string;
  readonly target: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** Standards, their evaluations, the deviations that hold and the accepted ones; and customers over the connection cache. */
export class StandardsRepo {
  private readonly db: Db;
  private readonly s;

  constructor(db: Db) {
    this.db = db;
    this.s = {
      list: db.prepare(`SELECT s.name, s.version, s.document_json, s.updated_at, (SELECT max(at) FROM standard_evaluations e WHERE e.standard = s.name) AS last_at
        FROM standards s ORDER BY s.name`),
      get: db.prepare('SELECT document_json FROM standards WHERE name = ?'),
      put: db.prepare(`INSERT INTO standards (name, version, document_json, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET version = excluded.version, document_json = excluded.document_json, updated_at = excluded.updated_at`),
      domains: db.prepare(`SELECT d.name, d.connection_id, c.kind, c.customer FROM domains d JOIN connections c ON c.id = d.connection_id
        ORDER BY d.name, c.name`),
      customers: db.prepare(`SELECT coalesce(c.customer, '') AS customer, c.name, (SELECT count(*) FROM domains d WHERE d.connection_id = c.id) AS domains
        FROM connections c ORDER BY customer, c.name`),
      held: db.prepare('SELECT rule, target, since FROM standard_deviations WHERE standard = ?'),
      hold: db.prepare('INSERT INTO standard_deviations (standard, rule, target, since, last_seen) VALUES (?, ?, ?, ?, ?)'),
      holdSince: db.prepare('UPDATE standard_deviations SET since = ? WHERE standard = ? AND rule = ? AND target = ?'),
      release: db.prepare('DELETE FROM standard_deviations WHERE standard = ? AND rule = ? AND target = ?'),
      seenAt: db.prepare('UPDATE standard_deviations SET last_seen = ? WHERE standard = ?'),
      evaluation: db.prepare('INSERT INTO standard_evaluations (standard, version, at, evaluation_json) VALUES (?, ?, ?, ?)'),
      latest: db.prepare('SELECT evaluation_json FROM standard_evaluations WHERE standard = ? ORDER BY at DESC, id DESC LIMIT 1'),
      between: db.prepare('SELECT evaluation_json FROM standard_evaluations WHERE at >= ? AND at < ? ORDER BY standard, at, id'),
      acceptances: db.prepare('SELECT rule, target, reason, accepted_by, accepted_at FROM standard_acceptances WHERE standard = ?'),
      accept: db.prepare(`INSERT INTO standard_acceptances (standard, rule, target, reason, accepted_by, accepted_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (standard, rule, target) DO UPDATE SET reason = excluded.reason, accepted_by = excluded.accepted_by, accepted_at = excluded.accepted_at`),
    };
  }

  /** Every stored standard. */
  list(): StandardSummary[] {
    return (this.s.list.all() as { name: string; version: number; document_json: string; updated_at: string; last_at: string | null }[]).map((r) => {
      const doc = JSON.parse(r.document_json) as Standard;
      return { name: r.name, version: r.version, description: doc.description ?? null, rules: doc.rules.length, updatedAt: r.updated_at, lastEvaluatedAt: r.last_at };
    });
  }

  /** One standard's document, or null. */
  get(name: string): Standard | null {
    const row = this.s.get.get(name) as { document_json: string } | undefined;
    return row ? (JSON.parse(row.document_json) as Standard) : null;
  }

  /** Stores (or replaces) a standard. */
  put(standard: Standard, at: string): void {
    this.s.put.run(standard.name, standard.version, JSON.stringify(standard), at);
  }

  /** Every cached domain with its connection and inherited customer. */
  domains(): CustomerDomain[] {
    return (this.s.domains.all() as { name: string; connection_id: string; kind: string; customer: string | null }[]).map((r) => ({
      name: r.name,
      connectionId: r.connection_id,
      connectionKind: r.kind,
      customer: r.customer ?? UNASSIGNED_CUSTOMER,
    }));
  }

  /** Customers with their connections and domain counts; connections without one are grouped as "unassigned". */
  customers(): CustomerSummary[] {
    const byName = new Map<string, { connections: string[]; domains: number }>();
    for (const r of this.s.customers.all() as { customer: string; name: string; domains: number }[]) {
      const key = r.customer || UNASSIGNED_CUSTOMER;
      const entry = byName.get(key) ?? { connections: [], domains: 0 };
      entry.connections.push(r.name);
      entry.domains += r.domains;
      byName.set(key, entry);
    }
    return [...byName].map(([name, v]) => ({ name, connections: v.connections, domains: v.domains }));
  }

  /** When each deviation that held at the last evaluation was first seen, by `rule target`. */
  heldSince(standard: string): Map<string, string> {
    return new Map((this.s.held.all(standard) as { rule: string; target: string; since: string }[]).map((r) => [`${r.rule} ${r.target}`, r.since]));
  }

  /** Stores an evaluation and replaces the held deviations of the targets it covered with the ones it found, in one transaction. */
  record(evaluation: StandardEvaluation, held: readonly { rule: string; target: string; since: string }[], covered: (target: string) => boolean): void {
    const standard = evaluation.standard;
    this.db.transaction(() => {
      const previous = new Map((this.s.held.all(standard) as { rule: string; target: string; since: string }[]).map((p) => [`${p.rule} ${p.target}`, p]));
      // Only what changed is written row by row: a re-evaluation mostly finds the deviations it found before (thousands of them).
      for (const h of held) {
        const key = `${h.rule} ${h.target}`;
        const before = previous.get(key);
        previous.delete(key);
        if (!before) this.s.hold.run(standard, h.rule, h.target, h.since, evaluation.at);
        else if (before.since !== h.since) this.s.holdSince.run(h.since, standard, h.rule, h.target);
      }
      // Deviations of targets this evaluation left out (another customer's) still hold as far as anyone knows.
      for (const p of previous.values()) if (covered(p.target)) this.s.release.run(standard, p.rule, p.target);
      this.s.seenAt.run(evaluation.at, standard);
      this.s.evaluation.run(standard, evaluation.version, evaluation.at, JSON.stringify(evaluation));
    })();
  }

  /** The latest stored evaluation of a standard, or null. */
  latest(standard: string): StandardEvaluation | null {
    const row = this.s.latest.get(standard) as { evaluation_json: string } | undefined;
    return row ? (JSON.parse(row.evaluation_json) as StandardEvaluation) : null;
  }

  /** Every stored evaluation of every standard made in [from, to) (ISO times), oldest first per standard. */
  evaluationsBetween(from: string, to: string): StandardEvaluation[] {
    return (this.s.between.all(from, to) as { evaluation_json: string }[]).map((r) => JSON.parse(r.evaluation_json) as StandardEvaluation);
  }

  /** Every acceptance recorded for a standard. */
  acceptances(standard: string): Acceptance[] {
    return (this.s.acceptances.all(standard) as { rule: string; target: string; reason: string; accepted_by: string; accepted_at: string }[]).map((r) => ({
      rule: r.rule,
      target: r.target,
      reason: r.reason,
      by: r.accepted_by,
      at: r.accepted_at,
    }));
  }

  /** Records (or restates) an acceptance. */
  accept(standard: string, acceptance: Acceptance): void {
    this.s.accept.run(standard, acceptance.rule, acceptance.target, acceptance.reason, acceptance.by, acceptance.at);
  }
}
