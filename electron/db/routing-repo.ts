import type { Db } from './database.ts';
import type { Capabilities } from '../../shared/domain/provisioning.ts';
import type { DmarcPolicy, RoutingConnection } from '../../shared/domain/routing.ts';

/** The routing-relevant part of the cache, read in bulk. */
export interface RoutingData {
  readonly domains: readonly { connectionId: string; name: string; aliasDomains: readonly string[] }[];
  readonly mailboxes: readonly { connectionId: string; address: string; domain: string; forwardTargets: readonly string[]; keepCopy: boolean; forwardConditions?: Readonly<Record<string, string>> }[];
  readonly aliases: readonly { connectionId: string; address: string; domain: string; targets: readonly string[]; active: boolean }[];
  readonly groups: readonly { connectionId: string; address: string; domain: string; members: readonly string[] }[];
  readonly connections?: readonly RoutingConnection[];
}

const list = (json: string | null): string[] => (json ? (JSON.parse(json) as string[]) : []);

/** Reads the cache for the routing view and the latest DMARC policy from the deliverability history. */
export class RoutingRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Every domain, mailbox, alias and group across connections. */
  load(): RoutingData {
    const d = this.db.prepare('SELECT connection_id, name, alias_domains_json FROM domains').all() as { connection_id: string; name: string; alias_domains_json: string | null }[];
    const m = this.db.prepare('SELECT connection_id, address, domain, forward_json, keep_copy, forward_conditions_json FROM mailboxes').all() as {
      connection_id: string;
      address: string;
      domain: string;
      forward_json: string | null;
      keep_copy: number;
      forward_conditions_json: string | null;
    }[];
    const a = this.db.prepare('SELECT connection_id, address, domain, targets_json, active FROM aliases').all() as { connection_id: string; address: string; domain: string; targets_json: string; active: number }[];
    const g = this.db.prepare('SELECT connection_id, address, domain, members_json FROM groups').all() as { connection_id: string; address: string; domain: string; members_json: string }[];
    const c = this.db
      .prepare("SELECT c.id, c.name, c.kind, cc.capabilities_json FROM connections c LEFT JOIN connection_capabilities cc ON cc.connection_id = c.id ORDER BY c.name")
      .all() as { id: string; name: string; kind: string; capabilities_json: string | null }[];
    return {
      connections: c.map((r) => ({ id: r.id, name: r.name, kind: r.kind, forwardsRead: r.capabilities_json ? ((JSON.parse(r.capabilities_json) as Capabilities).forward?.read ?? null) : null })),
      domains: d.map((r) => ({ connectionId: r.connection_id, name: r.name, aliasDomains: list(r.alias_domains_json) })),
      mailboxes: m.map((r) => ({
        connectionId: r.connection_id,
        address: r.address,
        domain: r.domain,
        forwardTargets: list(r.forward_json),
        keepCopy: r.keep_copy === 1,
        ...(r.forward_conditions_json ? { forwardConditions: JSON.parse(r.forward_conditions_json) as Record<string, string> } : {}),
      })),
      aliases: a.map((r) => ({ connectionId: r.connection_id, address: r.address, domain: r.domain, targets: list(r.targets_json), active: r.active === 1 })),
      groups: g.map((r) => ({ connectionId: r.connection_id, address: r.address, domain: r.domain, members: list(r.members_json) })),
    };
  }

  /** The DMARC policy the latest stored check of `domain` found; 'not-checked' when none is stored, 'unknown' when it could not tell. */
  dmarcPolicy(domain: string): DmarcPolicy {
    const row = this.db.prepare('SELECT findings_json, dmarc_policy FROM dns_check_runs WHERE domain = ? ORDER BY at DESC, id DESC LIMIT 1').get(domain) as
      | { findings_json: string; dmarc_policy: DmarcPolicy | null }
      | undefined;
    if (!row) return 'not-checked';
    return row.dmarc_policy ?? dmarcPolicyFromFindings(JSON.parse(row.findings_json) as { id: string; severity: string; records?: readonly string[] }[]);
  }
}

/**
 * Derives the policy of a run stored before the policy itself was (migration 011) from its findings. The checks
 * name the DMARC record only when something is wrong with it, so a run with no DMARC finding says nothing
 * about p=: that is 'unknown', never a guess.
 */
export function dmarcPolicyFromFindings(findings: readonly { id: string; severity: string; records?: readonly string[] }[]): DmarcPolicy {
  for (const f of findings) {
    for (const record of f.records ?? []) {
      const p = /v=DMARC1[^"]*?;\s*p\s*=\s*(none|quarantine|reject)/i.exec(record);
      if (p) return p[1]!.toLowerCase() as DmarcPolicy;
    }
  }
  const dmarc = findings.filter((f) => f.id.startsWith('dmarc.'));
  if (dmarc.some((f) => f.severity === 'unknown')) return 'unknown';
  if (dmarc.some((f) => f.id === 'dmarc.missing' || f.id === 'dmarc.policy-none' || f.id === 'dmarc.multiple-records')) return 'none';
  return 'unknown';
}
