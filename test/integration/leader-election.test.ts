import { afterEach, describe, expect, it } from '@jest/globals';
import { SAMPLE_HTTP_TG_ARN, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import type { RunningBot } from '../../src/app/start-bot.js';
import { fakeClock, posted, setTargets } from '../support/alert-world.js';
import { startBlackHole } from '../support/black-hole.js';
import { ALERT_CHANNEL, type Harness, harnessPerTest, messageText, waitFor } from '../support/harness.js';

const LEASE = ['coordination.k8s.io/v1', 'Lease', 'default', 'nlb-ingress-bot-leader'] as const;

describe('leader election between replicas', () => {
  const start = harnessPerTest();
  let blackHole: Awaited<ReturnType<typeof startBlackHole>> | undefined;
  afterEach(async () => {
    await blackHole?.close();
    blackHole = undefined;
  });

  function holder(harness: Harness): unknown {
    return (harness.kube.store.get(...LEASE)?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity;
  }

  /** One round of the replicas' loops: each polls (which renews or checks the Lease), then time moves on. */
  async function round(bots: readonly RunningBot[], clock: ReturnType<typeof fakeClock>, stepMs = 5_000) {
    const outcomes = [];
    for (const bot of bots) outcomes.push(await bot.healthMonitor!.pollOnce());
    clock.advance(stepMs);
    return outcomes;
  }

  it('posts once when two replicas share one Lease, and only the leader calls AWS', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    const replica = await harness.startReplica();
    setTargets(harness.aws.world, false);
    const roles = [];
    for (let index = 0; index < 5; index += 1) roles.push((await round([harness.bot, replica], clock)).map((outcome) => outcome.role));
    expect(roles.every(([first, second]) => first === 'leader' && second === 'follower')).toBe(true);
    expect(posted(harness, ALERT_CHANNEL)).toHaveLength(1);
    // Two target groups, five polls of the leader; the follower asked AWS nothing.
    expect(harness.aws.count('DescribeTargetHealth')).toBe(10);
    const leaseCalls = harness.kube.requests.filter((request) => request.resource === 'leases');
    expect(new Set(leaseCalls.map((request) => `${request.verb} ${request.group} ${request.namespace}/${request.name ?? ''}`))).toEqual(
      new Set([
        'get coordination.k8s.io default/nlb-ingress-bot-leader',
        'create coordination.k8s.io default/',
        'update coordination.k8s.io default/nlb-ingress-bot-leader',
      ]),
    );
    const state = JSON.parse(harness.kube.store.get(...LEASE)!.metadata.annotations!['nlb-ingress-bot/alert-state']!) as {
      incident?: { ts: string };
    };
    expect(state.incident?.ts).toBe(posted(harness, ALERT_CHANNEL)[0]!.ts);
  });

  it('replaces a leader that stopped mid-incident once its Lease expires, in the same thread, repeating nothing', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    const replica = await harness.startReplica();
    const bots = [harness.bot, replica];
    await round(bots, clock);
    await round(bots, clock);
    const [incident] = harness.slack.channelMessages(ALERT_CHANNEL);
    expect(messageText(incident!)).toContain('NLB degraded');
    const firstLeader = holder(harness);

    // The leader stops: it neither polls nor renews any more (a crashed or hung pod).
    const lastRenew = clock.t - 5_000;
    setTargets(harness.aws.world, false);
    let takenOverAt: number | undefined;
    for (let index = 0; index < 8; index += 1) {
      const [outcome] = await round([replica], clock);
      if (outcome?.role === 'leader' && takenOverAt === undefined) takenOverAt = clock.t - 5_000;
    }
    expect(holder(harness)).not.toBe(firstLeader);
    expect(takenOverAt! - lastRenew).toBeLessThanOrEqual(20_000);

    // The new leader continued the incident: degraded -> down went into the first leader's thread.
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
    const replies = harness.slack.threadReplies(ALERT_CHANNEL, incident!.ts);
    expect(replies.map((reply) => messageText(reply))).toEqual([expect.stringContaining('Now *down* (was degraded).')]);

    // The HTTPS group recovers; the HTTP group still has the Local policy's unhealthy nodes.
    setTargets(harness.aws.world, true);
    for (let index = 0; index < 3; index += 1) await round([replica], clock);
    setTargets(harness.aws.world, true, SAMPLE_HTTP_TG_ARN);
    for (let index = 0; index < 3; index += 1) await round([replica], clock);
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
    expect(harness.slack.threadReplies(ALERT_CHANNEL, incident!.ts).map((reply) => messageText(reply))).toEqual([
      expect.stringContaining('Now *down* (was degraded).'),
      expect.stringMatching(/Now \*degraded\* \(was down\)\.\n• `k8s-ingressn-https-a1b2c3` \(TLS:443\) \*3\/3\* healthy: recovered/),
      expect.stringContaining('*Recovered*: every target group is healthy again'),
    ]);
    expect(messageText(incident!)).toContain('NLB healthy again (resolved)');
  });

  it('does not let a new leader repeat alerts when nothing changed', async () => {
    const clock = fakeClock();
    const harness = await start({
      clock,
      seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local', wildcardCertDaysLeft: 10, now: new Date(clock.t) }),
    });
    const replica = await harness.startReplica();
    await round([harness.bot, replica], clock);
    await round([harness.bot, replica], clock);
    const before = posted(harness, ALERT_CHANNEL).map((message) => messageText(message));
    expect(before).toEqual([expect.stringContaining('expires in 10 day(s)'), expect.stringContaining('NLB degraded')]);
    const firstLeader = holder(harness);
    const roles = [];
    for (let index = 0; index < 6; index += 1) roles.push((await round([replica], clock))[0]?.role);
    expect(roles).toEqual(['follower', 'follower', 'leader', 'leader', 'leader', 'leader']);
    expect(holder(harness)).not.toBe(firstLeader);
    expect(posted(harness, ALERT_CHANNEL)).toHaveLength(2);
  });

  it('re-creates a deleted Lease and carries on with the incident it knew', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    await round([harness.bot], clock);
    await round([harness.bot], clock);
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
    harness.kube.store.remove(...LEASE);
    const [outcome] = await round([harness.bot], clock);
    expect(outcome).toMatchObject({ role: 'leader', posted: [] });
    // The renewal finds the Lease gone, reads it, re-creates it; the state is unchanged, so nothing more is written.
    expect(
      harness.kube.requests
        .filter((request) => request.resource === 'leases')
        .slice(-3)
        .map((request) => `${request.verb} ${request.status}`),
    ).toEqual(['update 404', 'get 404', 'create 201']);
    const state = JSON.parse(harness.kube.store.get(...LEASE)!.metadata.annotations!['nlb-ingress-bot/alert-state']!) as {
      incident?: { ts: string };
    };
    expect(state.incident?.ts).toBe(harness.slack.channelMessages(ALERT_CHANNEL)[0]!.ts);
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('writes the Lease once per poll while nothing changes', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    for (let index = 0; index < 3; index += 1) await round([harness.bot], clock);
    const before = harness.kube.requests.length;
    for (let index = 0; index < 4; index += 1) await round([harness.bot], clock);
    const leaseCalls = harness.kube.requests.slice(before).filter((request) => request.resource === 'leases');
    expect(leaseCalls.map((request) => request.verb)).toEqual(['update', 'update', 'update', 'update']);
  });

  it('hands the Lease to a replica that can read when the leader’s AWS calls hang, posting nothing about it', async () => {
    const clock = fakeClock();
    blackHole = await startBlackHole();
    const harness = await start({ clock, seed: seedSampleWorld });
    // This replica reaches AWS through an endpoint that accepts connections and never answers.
    const stuck = await harness.startReplica({ AWS_ENDPOINT_URL: blackHole.url });
    const bots = [stuck, harness.bot];
    /** Five seconds of both replicas' Lease timers. */
    const tick = async () => {
      clock.advance(5_000);
      for (const bot of bots) await bot.healthMonitor!.renewLease();
    };
    const polling = stuck.healthMonitor!.pollOnce();
    await waitFor(() => blackHole!.connections > 0, 5000, 'the stuck replica to call AWS');
    const stuckHolder = holder(harness);
    expect(stuckHolder).toEqual(expect.any(String));
    for (let waited = 5_000; waited < 60_000; waited += 5_000) await tick();
    expect(holder(harness)).toBe(stuckHolder);
    await tick();
    expect(await polling).toMatchObject({ role: 'leader', failure: expect.stringContaining('longer than 60 s') });

    // From now on the stuck replica's timer leaves the Lease alone, and the other one takes it.
    let waited = 0;
    while (holder(harness) === stuckHolder && waited < 60_000) {
      await tick();
      waited += 5_000;
    }
    expect(holder(harness)).not.toBe(stuckHolder);
    expect(waited).toBeLessThanOrEqual(20_000);
    // The new leader polled at once, read the NLB and counted the stuck replica's failed poll for nothing.
    expect(await harness.bot.healthMonitor!.pollOnce()).toMatchObject({ role: 'leader', verdict: 'healthy' });
    expect(await stuck.healthMonitor!.pollOnce()).toMatchObject({ role: 'follower' });
    const state = JSON.parse(harness.kube.store.get(...LEASE)!.metadata.annotations!['nlb-ingress-bot/alert-state']!) as {
      failedPolls: number;
    };
    expect(state.failedPolls).toBe(0);
    expect(posted(harness, ALERT_CHANNEL)).toEqual([]);
  });

  it('hands the Lease over at once when the leader shuts down', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    const replica = await harness.startReplica();
    const [first, second] = await round([harness.bot, replica], clock, 1_000);
    expect([first?.role, second?.role]).toEqual(['leader', 'follower']);
    const firstLeader = holder(harness);
    await harness.bot.stop(1000);
    expect(holder(harness)).toBeUndefined();
    const [outcome] = await round([replica], clock, 1_000);
    expect(outcome?.role).toBe('leader');
    expect(holder(harness)).toEqual(expect.any(String));
    expect(holder(harness)).not.toBe(firstLeader);
  });
});
