import type { RoutingRepo } from '../db/routing-repo.ts';
import type { RoutingAnalysis } from '../../shared/domain/routing.ts';
import { analyzeRouting } from './routing-analyzer.ts';

/** The routing view over the cache. */
export class RoutingService {
  private readonly repo: RoutingRepo;

  constructor(repo: RoutingRepo) {
    this.repo = repo;
  }

  /** The routing graph and its findings, for one domain or all. */
  analyze(domain?: string): RoutingAnalysis {
    return analyzeRouting(this.repo.load(), (d) => this.repo.dmarcPolicy(d), domain);
  }
}
