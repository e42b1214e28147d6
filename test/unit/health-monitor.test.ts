import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { AlertPublisher } from '../../src/alerts/alert-publisher.js';
import { ALERT_STATE_ANNOTATION } from '../../src/alerts/alert-state.js';
import { HealthMetrics } from '../../src/alerts/health-metrics.js';
import { HealthMonitor, pollDeadlineMs } from '../../src/alerts/health-monitor.js';
import { LeaderElector } from '../../src/alerts/leader-election.js';
import type { AlertAction } from '../../src/alerts/plan-alerts.js';
import type { HealthReport } from '../../src/domain/health-report.js';
import type { HealthStatus } from '../../src/domain/target-group-health.js';
import { fakeClock } from '../support/alert-world.js';
import { MemoryLease } from '../support/memory-lease.js';

/** The deadline of a poll every 60 s (the default interval). */
const DEADLINE = pollDeadlineMs(60_000);

const logger = pino({ level: 'silent' });

function report(status: HealthStatus): HealthReport {
  return {
    checkedAt: new Date('2026-11-01T10:00:00Z'),
    loadBalancer: { name: 'nlb', dnsName: 'nlb.example', zones: ['eu-west-1a'] },
    controllerService: 'ingress-nginx/ingress-nginx-controller',
    externalTrafficPolicy: 'Cluster',
    verdict: status,
    groups: [
      {
        arn: 'tg-1',
        name: 'k8s-https',
        port: 30443,
        protocol: 'TCP',
        targetType: 'instance',
        healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
        listeners: [{ protocol: 'TLS', port: 443 }],
        healthy: status === 'down' ? 0 : 3,
        total: 3,
        status,
        targets: [],
      },
    ],
    diagnoses: [],
    certificates: [],
    proxy: { name: 'ingress-nginx controller', retired: false },
  };
}

/** What the NLB "answers": a status, an error, or nothing at all (a hung call, given up only by the signal). */
type Answer = HealthStatus | Error | 'hang';

/** One replica's alert loop over a shared in-memory Lease, with a fake clock and a recording publisher. */
function replica(lease: MemoryLease, clock: ReturnType<typeof fakeClock>, identity: string, options: { pollIntervalMs?: number } = {}) {
  const answers: Answer[] = [];
  const reads: AbortSignal[] = [];
  const published: Array<AlertAction['kind']> = [];
  const publishing = { hang: false, fail: false };
  const registry = new Registry();
  const elector = new LeaderElector({ leases: lease, identity, clock, logger });
  const publisher: AlertPublisher = {
    publish: async (action) => {
      if (publishing.hang) await new Promise(() => undefined);
      if (publishing.fail) throw new Error('Slack is down');
      published.push(action.kind);
      return action.kind === 'open' ? `${published.length}.0001` : undefined;
    },
  };
  const monitor = new HealthMonitor({
    elector,
    edges: [
      {
        name: 'default',
        label: undefined,
        readHealth: (signal: AbortSignal) => {
          reads.push(signal);
          const answer = answers.shift() ?? 'healthy';
          if (answer === 'hang') return new Promise<HealthReport>(() => undefined);
          return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(report(answer));
        },
        channel: 'C0ALERTS001',
        stateKey: ALERT_STATE_ANNOTATION,
      },
    ],
    publisher,
    clock,
    logger,
    metrics: new HealthMetrics(registry),
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
    renewIntervalMs: 5_000,
  });
  const metric = async (name: string) => {
    const found = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
    return found?.values.map((value) => ({ labels: value.labels, value: value.value })) ?? [];
  };
  return { monitor, elector, answers, reads, published, publishing, metric };
}

/** Lets the poll reach its (hung) read: a few turns of the event loop, no time on the fake clock. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function alertState(lease: MemoryLease): { failedPolls: number; blind?: unknown } {
  return JSON.parse(lease.record?.annotations[ALERT_STATE_ANNOTATION] ?? '{"failedPolls":0}') as { failedPolls: number; blind?: unknown };
}

describe('the alert loop’s poll deadline', () => {
  it('is 30 s, or the poll interval when that is longer', () => {
    expect([1_000, 5_000, 30_000, 60_000, 300_000].map(pollDeadlineMs)).toEqual([30_000, 30_000, 30_000, 60_000, 300_000]);
  });

  it('counts a read that has not finished by the deadline as a failed poll, and says it cannot check after two', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a', { pollIntervalMs: 5_000 });
    a.answers.push('hang', 'hang');
    const first = a.monitor.pollOnce();
    await settle();
    clock.advance(29_999);
    await settle();
    expect(a.reads[0]?.aborted).toBe(false);
    clock.advance(1);
    expect(await first).toMatchObject({
      role: 'leader',
      failure: 'reading it took longer than 30 s: AWS or Kubernetes did not answer in time.',
      posted: [],
    });
    // The read was told to give up (its queued AWS calls are dropped), and the failure is remembered in the Lease.
    expect(a.reads[0]?.aborted).toBe(true);
    expect(alertState(lease).failedPolls).toBe(1);

    const second = a.monitor.pollOnce();
    await settle();
    clock.advance(30_000);
    expect(await second).toMatchObject({ role: 'leader', posted: ['blind'] });
    expect(a.published).toEqual(['blind']);
    expect(await a.metric('nlb_bot_health_polls_total')).toEqual([{ labels: { edge: 'default', outcome: 'timeout' }, value: 2 }]);
  });

  it('gives up at the poll interval instead when that is longer than 30 s', async () => {
    const clock = fakeClock();
    const a = replica(new MemoryLease(), clock, 'bot-a', { pollIntervalMs: 120_000 });
    a.answers.push('hang');
    const polling = a.monitor.pollOnce();
    await settle();
    clock.advance(119_000);
    await settle();
    expect(a.reads[0]?.aborted).toBe(false);
    clock.advance(1_000);
    expect(await polling).toMatchObject({ failure: expect.stringContaining('longer than 120 s') });
  });

  it('does not count a read that ends in time, and leaves no deadline pending', async () => {
    const clock = fakeClock();
    const a = replica(new MemoryLease(), clock, 'bot-a');
    expect(await a.monitor.pollOnce()).toEqual({ role: 'leader', verdict: 'healthy', posted: [] });
    expect(clock.pending).toBe(0);
  });

  it('starts no second poll while one is stuck past its deadline, and does not make its callers wait for it', async () => {
    const clock = fakeClock();
    const a = replica(new MemoryLease(), clock, 'bot-a');
    a.answers.push('down', 'down');
    await a.monitor.pollOnce();
    a.publishing.hang = true;
    void a.monitor.pollOnce();
    await settle();
    // Before the deadline a second caller joins the running poll ...
    expect(await Promise.race([a.monitor.pollOnce().then(() => 'answered'), settle().then(() => 'waiting')])).toBe('waiting');
    clock.advance(DEADLINE);
    await settle();
    // ... after it, it is told at once that nothing was done, and no read starts beside the stuck poll.
    expect(await a.monitor.pollOnce()).toEqual({ role: 'unknown', posted: [] });
    expect(a.reads).toHaveLength(2);
  });
});

describe('the Lease while polls miss their deadline', () => {
  it('stops renewing between polls, so a replica that can read takes over and posts nothing about the hang', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    const b = replica(lease, clock, 'bot-b');
    a.answers.push('hang');
    const hung = a.monitor.pollOnce();
    await settle();
    expect(await b.monitor.pollOnce()).toMatchObject({ role: 'follower' });
    // While the read is still within its deadline, the leader renews as usual.
    for (let waited = 5_000; waited < DEADLINE; waited += 5_000) {
      clock.advance(5_000);
      expect(await a.monitor.renewLease()).toBe(true);
      expect(await b.monitor.renewLease()).toBe(false);
    }
    clock.advance(5_000);
    expect(await hung).toMatchObject({ role: 'leader', failure: expect.stringContaining('longer than 60 s') });
    // Saving the failed poll was a's last write: from now on its renewal timer leaves the Lease alone.
    let takenOver = false;
    let steps = 0;
    while (!takenOver && steps < 6) {
      clock.advance(5_000);
      steps += 1;
      const writes = lease.writes;
      await a.monitor.renewLease();
      expect(lease.writes).toBe(writes);
      takenOver = await b.monitor.renewLease();
    }
    // b saw a's last write 5 s after it and takes over once it has been unchanged for 15 s.
    expect(steps).toBe(4);
    expect(lease.record?.holderIdentity).toBe('bot-b');
    expect(a.elector.isLeader()).toBe(false);
    // b polled at once on taking over: it reads fine, so the failed poll counts for nothing.
    expect(await b.monitor.pollOnce()).toMatchObject({ role: 'leader', verdict: 'healthy' });
    expect(alertState(lease).failedPolls).toBe(0);
    expect([...a.published, ...b.published]).toEqual([]);
    expect(await a.monitor.pollOnce()).toMatchObject({ role: 'follower' });
  });

  it('drops the result of a read it gave up when another replica took over meanwhile', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    const b = replica(lease, clock, 'bot-b');
    a.answers.push('hang', 'hang');
    const first = a.monitor.pollOnce();
    await settle();
    await b.monitor.pollOnce();
    clock.advance(DEADLINE);
    expect(await first).toMatchObject({ role: 'leader', failure: expect.any(String) });
    expect(alertState(lease).failedPolls).toBe(1);
    // The next poll renews as it starts, then hangs; b takes over 15 s later and reads fine.
    const second = a.monitor.pollOnce();
    await settle();
    let takenOver = false;
    for (let waited = 0; waited < DEADLINE && !takenOver; waited += 5_000) {
      clock.advance(5_000);
      await a.monitor.renewLease();
      takenOver = await b.monitor.renewLease();
    }
    expect(takenOver).toBe(true);
    expect(await b.monitor.pollOnce()).toMatchObject({ role: 'leader', verdict: 'healthy' });
    clock.advance(DEADLINE);
    expect(await second).toEqual({ role: 'follower', posted: [] });
    expect(lease.record?.holderIdentity).toBe('bot-b');
    expect(alertState(lease).failedPolls).toBe(0);
    expect([...a.published, ...b.published]).toEqual([]);
  });

  it('keeps the Lease when no other replica is there, renewing as each poll starts and gives up its read, and says it cannot check', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    a.answers.push('hang', 'hang');
    const first = a.monitor.pollOnce();
    await settle();
    clock.advance(DEADLINE);
    await first;
    clock.advance(15_000);
    expect(await a.monitor.renewLease()).toBe(false);
    const second = a.monitor.pollOnce();
    await settle();
    clock.advance(DEADLINE);
    expect(await second).toMatchObject({ role: 'leader', posted: ['blind'] });
    expect(alertState(lease)).toMatchObject({ failedPolls: 2, blind: expect.anything() });
    // A poll that reads in time again ends it: the Lease is renewed between polls as before.
    expect(await a.monitor.pollOnce()).toMatchObject({ role: 'leader', posted: ['sight'] });
    clock.advance(5_000);
    const writes = lease.writes;
    expect(await a.monitor.renewLease()).toBe(true);
    expect(lease.writes).toBe(writes + 1);
  });

  it('stops renewing while a poll is stuck posting past its deadline', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    a.answers.push('down', 'down');
    await a.monitor.pollOnce();
    a.publishing.hang = true;
    void a.monitor.pollOnce();
    await settle();
    clock.advance(DEADLINE - 5_000);
    expect(await a.monitor.renewLease()).toBe(true);
    const writes = lease.writes;
    clock.advance(5_000);
    await settle();
    // Past the deadline: the timer does not renew; 10 s after the last renewal the replica stops acting.
    expect(await a.monitor.renewLease()).toBe(true);
    clock.advance(5_000);
    expect(await a.monitor.renewLease()).toBe(false);
    expect(lease.writes).toBe(writes);
  });
});

describe('nlb_bot_health_last_success_timestamp_seconds', () => {
  it('is the time of the leader’s last poll that read the NLB, posted everything it planned and saved the state', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 1, 10, 0, 0));
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    const b = replica(lease, clock, 'bot-b');
    const lastSuccess = async (of: typeof a) => (await of.metric('nlb_bot_health_last_success_timestamp_seconds'))[0]?.value;
    expect(await lastSuccess(a)).toBe(0);
    await a.monitor.pollOnce();
    const readAt = clock.t / 1000;
    expect(await lastSuccess(a)).toBe(readAt);

    // A follower reads nothing; a failed read, or a planned post that failed, is no success either.
    clock.advance(60_000);
    await b.monitor.pollOnce();
    expect(await lastSuccess(b)).toBe(0);
    a.answers.push(new Error('AWS is down'));
    expect(await a.monitor.pollOnce()).toMatchObject({ role: 'leader', failure: expect.any(String) });
    expect(await lastSuccess(a)).toBe(readAt);
    clock.advance(60_000);
    a.answers.push('down', 'down', 'down');
    await a.monitor.pollOnce();
    const downSeenAt = clock.t / 1000;
    expect(await lastSuccess(a)).toBe(downSeenAt);
    clock.advance(60_000);
    a.publishing.fail = true;
    expect(await a.monitor.pollOnce()).toMatchObject({ verdict: 'down', posted: [] });
    expect(await lastSuccess(a)).toBe(downSeenAt);
    a.publishing.fail = false;
    clock.advance(60_000);
    expect(await a.monitor.pollOnce()).toMatchObject({ posted: ['open'] });
    expect(await lastSuccess(a)).toBe(clock.t / 1000);
  });

  it('does not move while the Lease cannot be read: no replica can post then', async () => {
    const clock = fakeClock();
    const lease = new MemoryLease();
    const a = replica(lease, clock, 'bot-a');
    await a.monitor.pollOnce();
    const before = (await a.metric('nlb_bot_health_last_success_timestamp_seconds'))[0]?.value;
    lease.read = () => Promise.reject(new Error('connect ECONNREFUSED'));
    lease.replace = () => Promise.reject(new Error('connect ECONNREFUSED'));
    for (let step = 0; step < 3; step += 1) {
      clock.advance(60_000);
      expect(await a.monitor.pollOnce()).toEqual({ role: 'unknown', posted: [] });
    }
    expect((await a.metric('nlb_bot_health_last_success_timestamp_seconds'))[0]?.value).toBe(before);
    expect(a.reads).toHaveLength(1);
  });
});
