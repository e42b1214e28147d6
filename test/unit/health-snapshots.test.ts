import { describe, expect, it } from '@jest/globals';
import { HealthSnapshots } from '../../src/commands/health-snapshots.js';
import type { HealthReport } from '../../src/domain/health-report.js';

function reports() {
  const clock = { t: 1_000_000 };
  const reads: Array<{ resolve: (report: HealthReport) => void; reject: (error: Error) => void }> = [];
  const snapshots = new HealthSnapshots({
    read: () => new Promise<HealthReport>((resolve, reject) => reads.push({ resolve, reject })),
    maxAgeMs: 5_000,
    now: () => clock.t,
  });
  const report = (name: string) => ({ loadBalancer: { name } }) as HealthReport;
  return { clock, reads, snapshots, report };
}

describe('the snapshots /health answers from', () => {
  it('share one read between everyone who asks while it runs', async () => {
    const { reads, snapshots, report } = reports();
    const asked = Array.from({ length: 10 }, () => snapshots.get());
    expect(reads).toHaveLength(1);
    reads[0]!.resolve(report('first'));
    expect((await Promise.all(asked)).map((answer) => answer.loadBalancer.name)).toEqual(Array(10).fill('first'));
  });

  it('answer from the last report until it is 5 s old, counted from when its read started', async () => {
    const { clock, reads, snapshots, report } = reports();
    const first = snapshots.get();
    clock.t += 2_000;
    reads[0]!.resolve(report('first'));
    await first;
    clock.t += 2_999;
    expect((await snapshots.get()).loadBalancer.name).toBe('first');
    expect(reads).toHaveLength(1);
    clock.t += 1;
    const second = snapshots.get();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve(report('second'));
    expect((await second).loadBalancer.name).toBe('second');
  });

  it('keep no failed read: everyone waiting gets its error, and the next one reads again', async () => {
    const { reads, snapshots, report } = reports();
    const asked = [snapshots.get(), snapshots.get()];
    reads[0]!.reject(new Error('AWS is unreachable'));
    for (const answer of asked) await expect(answer).rejects.toThrow('AWS is unreachable');
    const again = snapshots.get();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve(report('again'));
    expect((await again).loadBalancer.name).toBe('again');
  });
});
