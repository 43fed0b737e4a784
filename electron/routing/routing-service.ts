import type { ReportsForwardsRepo } from '../db/reports-forwards-repo.ts';
import type { RoutingRepo } from '../db/routing-repo.ts';
import type { RoutingAnalysis } from '../../shared/domain/routing.ts';
import { markFailingForwards } from './forward-failures.ts';
import { analyzeRouting } from './routing-analyzer.ts';

/** The routing view over the cache, its forwards marked where DMARC reports show them failing at receivers. */
export class RoutingService {
  private readonly repo: RoutingRepo;
  private readonly reports: ReportsForwardsRepo | null;

  constructor(repo: RoutingRepo, reports: ReportsForwardsRepo | null = null) {
    this.repo = repo;
    this.reports = reports;
  }

  /** The routing graph and its findings, for one domain or all. */
  analyze(domain?: string): RoutingAnalysis {
    const analysis = analyzeRouting(this.repo.load(), (d) => this.repo.dmarcPolicy(d), domain);
    const reports = this.reports;
    return reports ? { ...analysis, edges: markFailingForwards(analysis.edges, (d) => reports.failingForwarded(d)) } : analysis;
  }
}
