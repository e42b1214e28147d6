import type { HealthReport } from '../domain/health-report.js';

export interface HealthSnapshotsOptions {
  /** Reads the NLB's health (the AWS and Kubernetes calls of one /health). */
  readonly read: () => Promise<HealthReport>;
  /** How old a snapshot may be and still answer, counted from when its read started. */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * What /health answers from: a snapshot at most maxAgeMs old. Anyone in the workspace may type /health,
 * and one read costs N+5 AWS calls against the account-wide ELBv2 rate limit, so callers within maxAgeMs
 * of a read get its report, and callers while a read is running share it. A failed read is not kept:
 * everyone waiting on it gets its error, the next caller reads again.
 */
export class HealthSnapshots {
  private latest: { readonly report: HealthReport; readonly startedAt: number } | undefined;
  private reading: Promise<HealthReport> | undefined;

  constructor(private readonly options: HealthSnapshotsOptions) {}

  get(): Promise<HealthReport> {
    const { latest } = this;
    if (latest !== undefined && this.options.now() - latest.startedAt < this.options.maxAgeMs) return Promise.resolve(latest.report);
    this.reading ??= this.readOnce();
    return this.reading;
  }

  private async readOnce(): Promise<HealthReport> {
    const startedAt = this.options.now();
    try {
      const report = await this.options.read();
      this.latest = { report, startedAt };
      return report;
    } finally {
      this.reading = undefined;
    }
  }
}
