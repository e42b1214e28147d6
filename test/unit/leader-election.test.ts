import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { LeaderElector } from '../../src/alerts/leader-election.js';
import { MemoryLease } from '../support/memory-lease.js';

const logger = pino({ level: 'silent' });

function replicas(lease: MemoryLease) {
  const clock = {
    t: 1_000_000,
    now() {
      return this.t;
    },
  };
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

  it('counts its term from when the renewal was sent, so a slow answer does not stretch it past a takeover', async () => {
    const lease = new MemoryLease();
    const { clock, a, b } = replicas(lease);
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    // The renewal is stored at once, but its answer takes 8 s to come back.
    lease.beforeAnswer = () => {
      clock.t += 8_000;
    };
    const renewedAt = clock.t;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    lease.beforeAnswer = undefined;
    await b.tryAcquireOrRenew();
    clock.t = renewedAt + 9_999;
    expect(a.isLeader()).toBe(true);
    clock.t = renewedAt + 10_000;
    expect(a.isLeader()).toBe(false);
    // b saw the renewed record 8 s after it was written and takes over 15 s after that: a stopped acting 13 s before.
    clock.t = renewedAt + 8_000 + 15_000;
    expect(await b.tryAcquireOrRenew()).toBe(true);
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
