import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { LeaderElector } from '../../src/alerts/leader-election.js';
import type { LeaseFields, LeaseRecord, LeaseStore } from '../../src/ports/kube/lease-gateway.js';

/** One Lease in memory with the API server's optimistic concurrency. */
class MemoryLease implements LeaseStore {
  record: LeaseRecord | undefined;
  private version = 1;
  writes = 0;

  async read() {
    return this.record;
  }

  async create(fields: LeaseFields) {
    if (this.record !== undefined) return undefined;
    return this.store(fields);
  }

  async replace(resourceVersion: string, fields: LeaseFields) {
    // 409 (stale) and 404 (deleted) both answer undefined, as LeaseGateway does.
    if (this.record?.resourceVersion !== resourceVersion) return undefined;
    return this.store(fields);
  }

  private store(fields: LeaseFields): LeaseRecord {
    this.writes += 1;
    this.version += 1;
    this.record = { ...fields, resourceVersion: String(this.version) };
    return this.record;
  }
}

const logger = pino({ level: 'silent' });

function replicas(lease: MemoryLease) {
  const clock = { t: 1_000_000, now() { return this.t; } };
  const make = (identity: string) => new LeaderElector({ leases: lease, identity, clock, logger });
  return { clock, a: make('bot-a'), b: make('bot-b') };
}

describe('leader election', () => {
  it('lets exactly one of two replicas lead', async () => {
    const lease = new MemoryLease();
    const { a, b } = replicas(lease);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(lease.record).toMatchObject({ holderIdentity: 'bot-a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
  });

  it('lets another replica take over once the holder stopped renewing for the lease duration', async () => {
    const lease = new MemoryLease();
    const { clock, a, b } = replicas(lease);
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    clock.t += 14_000;
    expect(await b.tryAcquireOrRenew()).toBe(false);
    clock.t += 1_000;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: 'bot-b', leaseTransitions: 1 });
    // The old leader notices on its next attempt and does not act any more.
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect(a.isLeader()).toBe(false);
  });

  it('does not take over while the holder keeps renewing', async () => {
    const lease = new MemoryLease();
    const { clock, a, b } = replicas(lease);
    await a.tryAcquireOrRenew();
    for (let step = 0; step < 10; step += 1) {
      clock.t += 5_000;
      expect(await a.tryAcquireOrRenew()).toBe(true);
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
  });

  it('stops acting as leader when it could not renew within the renew deadline', async () => {
    const lease = new MemoryLease();
    const { clock, a } = replicas(lease);
    await a.tryAcquireOrRenew();
    clock.t += 9_999;
    expect(a.isLeader()).toBe(true);
    clock.t += 1;
    expect(a.isLeader()).toBe(false);
  });

  it('treats a 409 as someone else having won', async () => {
    const lease = new MemoryLease();
    const { a } = replicas(lease);
    await a.tryAcquireOrRenew();
    // Another writer changes the Lease behind a's back.
    lease.record = { ...lease.record!, holderIdentity: 'bot-b', resourceVersion: '999' };
    expect(await a.writeAnnotation('k', 'v')).toBe(false);
    expect(a.isLeader()).toBe(false);
  });

  it('keeps annotations across renewals, takeovers and release', async () => {
    const lease = new MemoryLease();
    const { clock, a, b } = replicas(lease);
    await a.tryAcquireOrRenew();
    expect(await a.writeAnnotation('nlb-ingress-bot/alert-state', '{"x":1}')).toBe(true);
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    await a.release();
    expect(lease.record?.holderIdentity).toBeUndefined();
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(b.annotations()['nlb-ingress-bot/alert-state']).toBe('{"x":1}');
    clock.t += 1;
    expect(lease.record?.annotations).toEqual({ 'nlb-ingress-bot/alert-state': '{"x":1}' });
  });

  it('re-creates a deleted Lease with the state it last saw', async () => {
    const lease = new MemoryLease();
    const { a } = replicas(lease);
    await a.tryAcquireOrRenew();
    await a.writeAnnotation('nlb-ingress-bot/alert-state', '{"x":2}');
    lease.record = undefined;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(lease.record).toMatchObject({ holderIdentity: 'bot-a', annotations: { 'nlb-ingress-bot/alert-state': '{"x":2}' } });
  });

  it('renews with one write when it holds the Lease', async () => {
    const lease = new MemoryLease();
    const { a } = replicas(lease);
    await a.tryAcquireOrRenew();
    const before = lease.writes;
    await a.tryAcquireOrRenew();
    expect(lease.writes - before).toBe(1);
  });
});
