import { LRUCache } from 'lru-cache';
import type { HealthReport } from '../domain/health-report.js';

export interface HealthSnapshotsOptions {
  /** Reads the NLB's health (the AWS and Kubernetes calls of one /health). */
  readonly read: () => Promise<HealthReport>;
  /** How old a snapshot may be and still answer, counted from when its read started. */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

const KEY = 'report';

/**
 * What /health answers from: a snapshot at most maxAgeMs old. Anyone in the workspace may type /health,
 * and one read costs N+5 AWS calls against the account-wide ELBv2 rate limit, so callers within maxAgeMs
 * of a read get its report, and callers while a read is running share it (an LRU cache's fetch()). A
 * failed read is not kept: everyone waiting on it gets its error, the next caller reads again.
 */
export class HealthSnapshots {
  private readonly cache: LRUCache<typeof KEY, HealthReport>;

  constructor(options: HealthSnapshotsOptions) {
    this.cache = new LRUCache<typeof KEY, HealthReport>({
      max: 1,
      ttl: options.maxAgeMs,
      ttlResolution: 0,
      perf: { now: options.now },
      fetchMethod: async (_key, _stale, { options: entry }) => {
        const startedAt = options.now();
        const report = await options.read();
        // The report is as old as its read: it answers while less than maxAgeMs has passed since the read
        // started (the cache counts an entry stale once its age exceeds the ttl, hence the 1 ms).
        entry.ttl = Math.max(1, options.maxAgeMs - (options.now() - startedAt) - 1);
        return report;
      },
    });
  }

  async get(): Promise<HealthReport> {
    const report = await this.cache.fetch(KEY);
    if (report === undefined) throw new Error('the /health read was abandoned');
    return report;
  }
}
