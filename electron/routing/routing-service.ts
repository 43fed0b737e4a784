import type { ReportsForwardsRepo } from '../db/reports-forwards-repo.ts';
import type { RoutingRepo } from '../db/routing-repo.ts';
import type { Support } from '../../shared/domain/provisioning.ts';
import type { RoutingAnalysis } from '../../shared/domain/routing.ts';
import { markFailingForwards } from './forward-failures.ts';
import { analyzeRouting } from './routing-analyzer.ts';

/** The routing view over the cache, its forwards marked where DMARC reports show them failing at receivers. */
export class RoutingService {
  private readonly repo: RoutingRepo;
  private readonly fixedSupport: (kind: string) => Support | null;
  private readonly reports: ReportsForwardsRepo | null;

  /** `fixedSupport` gives forward.read for kinds whose matrix is fixed rather than probed and cached (IMAP-only). */
  constructor(repo: RoutingRepo, fixedSupport: (kind: string) => Support | null = () => null, reports: ReportsForwardsRepo | null = null) {
    this.repo = repo;
    this.fixedSupport = fixedSupport;
    this.reports = reports;
  }

  /** The routing graph and its findings, for one domain or all. */
  analyze(domain?: string): RoutingAnalysis {
    const data = this.repo.load();
    const connections = data.connections?.map((c) => ({ ...c, forwardsRead: c.forwardsRead ?? this.fixedSupport(c.kind) }));
    const analysis = analyzeRouting({ ...data, ...(connections ? { connections } : {}) }, (d) => this.repo.dmarcPolicy(d), domain);
    const reports = this.reports;
    return reports ? { ...analysis, edges: markFailingForwards(analysis.edges, (d) => reports.failingForwarded(d)) } : analysis;
  }
}
