import { describe, expect, it } from '@jest/globals';
import { fakeClock, poll, setTargets } from '../support/alert-world.js';
import { ask, edgesHarnessPerTest, leaseAnnotations, PROD, postedTo, STAGING } from '../support/edges-harness.js';
import { ALERT_CHANNEL, DEVELOPER, messageText, waitFor } from '../support/harness.js';

/**
 * The alert loop of one bot over two edges: one Lease (in the bot's own cluster), every edge read in each poll,
 * each edge's incidents in its own channel and its own Lease annotation. Incidents open on the second poll that
 * sees them (health-alerts.test.ts), so every step here is two polls.
 */
describe('health alerts with two edges', () => {
  const start = edgesHarnessPerTest();

  it('posts each edge’s incident to its own channel, named, and keeps each edge’s state under its own annotation', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    const [first] = await poll(h, clock, 2);
    expect(first).toMatchObject({
      role: 'leader',
      verdict: 'healthy',
      posted: [],
      edges: { prod: { verdict: 'healthy', posted: [] }, staging: { verdict: 'healthy', posted: [] } },
    });
    setTargets(h.prodAws, false, PROD.httpsTargetGroupArn);
    const [, opened] = await poll(h, clock, 2);
    expect(opened).toMatchObject({
      verdict: 'down',
      posted: ['open'],
      edges: { prod: { verdict: 'down', posted: ['open'] }, staging: { verdict: 'healthy', posted: [] } },
    });
    const [incident, ...more] = postedTo(h, PROD.alertChannel);
    expect(more).toEqual([]);
    expect(incident?.blocks?.[0]).toMatchObject({ type: 'header', text: { text: '[prod · eu-west-1] NLB down' } });
    expect(incident?.text).toMatch(/^\[prod · eu-west-1\] /);
    expect(messageText(incident!)).toContain(PROD.nlbName);
    expect(messageText(incident!)).not.toContain(STAGING.nlbName);
    expect(postedTo(h, STAGING.alertChannel)).toEqual([]);
    expect(postedTo(h, ALERT_CHANNEL)).toEqual([]);

    // Staging degrades meanwhile: its own incident, in its own channel, prod's left as it is.
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);
    await poll(h, clock, 2);
    const [stagingIncident, ...others] = postedTo(h, STAGING.alertChannel);
    expect(others).toEqual([]);
    expect(stagingIncident?.blocks?.[0]).toMatchObject({ type: 'header', text: { text: '[staging · us-east-1] NLB down' } });
    expect(messageText(stagingIncident!)).toContain(STAGING.nlbName);
    expect(postedTo(h, PROD.alertChannel)).toHaveLength(1);

    const state = (key: string) => JSON.parse(leaseAnnotations(h)[key] ?? '{}') as { incident?: { channel: string; ts: string } };
    expect(state(PROD.stateKey).incident).toMatchObject({ channel: PROD.alertChannel, ts: incident!.ts });
    expect(state(STAGING.stateKey).incident).toMatchObject({ channel: STAGING.alertChannel, ts: stagingIncident!.ts });
    expect(leaseAnnotations(h)['nlb-ingress-bot/alert-state']).toBeUndefined();
    // The Lease is the bot's own cluster's: neither edge's cluster holds one.
    expect([...h.prod.requests, ...h.staging.requests].filter((request) => request.resource === 'leases')).toEqual([]);

    // Prod recovers: the recovery goes into prod's thread; staging's incident stays open.
    setTargets(h.prodAws, true, PROD.httpsTargetGroupArn);
    await poll(h, clock, 2);
    expect(h.slack.threadReplies(PROD.alertChannel, incident!.ts).map((reply) => reply.text)).toEqual([
      expect.stringMatching(/^\[prod · eu-west-1\] .*Recovered/),
    ]);
    expect(h.slack.threadReplies(STAGING.alertChannel, stagingIncident!.ts)).toEqual([]);
    expect(state(PROD.stateKey).incident).toBeUndefined();
    expect(state(STAGING.stateKey).incident).toMatchObject({ ts: stagingIncident!.ts });
  });

  it('announces a certificate of one edge in that edge’s channel only, though both edges use the same names', async () => {
    const clock = fakeClock();
    const h = await start({ clock, stagingWorld: { wildcardCertDaysLeft: 30, now: new Date(clock.t) } });
    await poll(h, clock, 2);
    expect(postedTo(h, PROD.alertChannel)).toEqual([]);
    const [notice, ...more] = postedTo(h, STAGING.alertChannel);
    expect(more).toEqual([]);
    expect(notice?.text).toMatch(/^\[staging · us-east-1\] [\s\S]*\*\.example\.com \(default on 443\) expires in 30 day\(s\)/);
    expect(JSON.parse(leaseAnnotations(h)[PROD.stateKey] ?? '{}')).toMatchObject({ certificates: {} });
  });

  it('repeats nothing after a failover: the replica that takes the Lease over reads each edge’s state from it', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    setTargets(h.prodAws, false, PROD.httpsTargetGroupArn);
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);
    await poll(h, clock, 2);
    expect(postedTo(h, PROD.alertChannel)).toHaveLength(1);
    expect(postedTo(h, STAGING.alertChannel)).toHaveLength(1);
    const replica = await h.startReplica();
    await h.bot.stop(2000);
    const outcome = await replica.healthMonitor!.pollOnce();
    expect(outcome).toMatchObject({ role: 'leader', verdict: 'down', posted: [] });
    clock.advance(60_000);
    expect(await replica.healthMonitor!.pollOnce()).toMatchObject({ role: 'leader', posted: [] });
    expect(postedTo(h, PROD.alertChannel)).toHaveLength(1);
    expect(postedTo(h, STAGING.alertChannel)).toHaveLength(1);
  });

  it('keeps the other edge’s alerts and commands working while one edge’s Kubernetes API is down', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    await poll(h, clock, 2);
    await ask(h, '/ips', '', DEVELOPER);
    await h.prod.close();
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);

    const [failed, blind] = await poll(h, clock, 2);
    expect(failed).toMatchObject({
      role: 'leader',
      posted: [],
      edges: { prod: { posted: [], failure: expect.any(String) }, staging: { verdict: 'down', posted: [] } },
    });
    expect(blind).toMatchObject({ edges: { prod: { posted: ['blind'] }, staging: { verdict: 'down', posted: ['open'] } } });
    const [notice, ...more] = postedTo(h, PROD.alertChannel);
    expect(more).toEqual([]);
    expect(notice?.text).toMatch(
      /^\[prod · eu-west-1\] :grey_question: The bot cannot check the NLB's health \(two polls in a row failed\)/,
    );
    expect(messageText(notice!)).toContain(
      "*[prod · eu-west-1]* :grey_question: *The bot cannot check the NLB's health* (two polls in a row failed): " +
        'The Kubernetes API could not be reached to read the Service ingress-nginx/ingress-nginx-controller.',
    );
    const [incident, ...others] = postedTo(h, STAGING.alertChannel);
    expect(others).toEqual([]);
    expect(incident?.blocks?.[0]).toMatchObject({ text: { text: '[staging · us-east-1] NLB down' } });

    // A third failed poll says nothing more; staging's incident stays one message.
    await poll(h, clock, 1);
    expect(postedTo(h, PROD.alertChannel)).toHaveLength(1);
    expect(postedTo(h, STAGING.alertChannel)).toHaveLength(1);
    expect(JSON.parse(leaseAnnotations(h)[PROD.stateKey] ?? '{}')).toMatchObject({ blind: expect.anything() });

    // The commands of staging answer as usual; those that cover every edge say prod could not be read.
    const staging = await ask(h, '/health', 'staging', DEVELOPER);
    expect(staging.text).toContain('staging (us-east-1): down');
    const summary = await ask(h, '/health', '', DEVELOPER);
    expect(summary.text).toContain('*`staging`* · us-east-1: *down*');
    expect(summary.text).toMatch(/\*`prod`\* · eu-west-1.*could not be read/is);
    const ips = await ask(h, '/ips', 'staging', DEVELOPER);
    for (const ip of STAGING.ips) expect(ips.text).toContain(`${ip}/32`);
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(metrics).toContain('nlb_bot_health_polls_total{edge="prod",outcome="failed"} 3');
    expect(metrics).toContain('nlb_bot_health_polls_total{edge="staging",outcome="ok"} 5');
  });

  it('reads and posts the other edge without waiting while one edge’s Kubernetes API hangs, until the poll’s deadline', async () => {
    const clock = fakeClock();
    const h = await start({ clock, prod: { hang: true } });
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);
    const stagingState = () => JSON.parse(leaseAnnotations(h)[STAGING.stateKey] ?? '{}') as { incident?: unknown; groups?: object };
    const outcomes = [];
    for (const [round, staged] of [
      [1, () => Object.keys(stagingState().groups ?? {}).length > 0],
      [2, () => postedTo(h, STAGING.alertChannel).length === 1],
    ] as const) {
      let ended = false;
      const polling = h.bot.healthMonitor!.pollOnce().finally(() => {
        ended = true;
      });
      // Staging is read, judged and saved (then posted) while prod's read still hangs: the poll has not ended.
      await waitFor(staged, 5000, `staging's part of poll ${round}`);
      expect(ended).toBe(false);
      const commands = await ask(h, '/ips', 'staging', DEVELOPER);
      expect(commands.text).toContain(`${STAGING.ips[0]}/32`);
      clock.advance(60_000);
      outcomes.push(await polling);
    }
    const timeout = 'reading it took longer than 60 s: AWS or Kubernetes did not answer in time.';
    expect(outcomes).toEqual([
      expect.objectContaining({ edges: { prod: { failure: timeout, posted: [] }, staging: { verdict: 'down', posted: [] } } }),
      expect.objectContaining({ edges: { prod: { failure: timeout, posted: ['blind'] }, staging: { verdict: 'down', posted: ['open'] } } }),
    ]);
    expect(postedTo(h, PROD.alertChannel).map((message) => message.text)).toEqual([
      expect.stringMatching(/^\[prod · eu-west-1\] :grey_question: The bot cannot check the NLB's health .*took longer than 60 s/),
    ]);
    expect(postedTo(h, STAGING.alertChannel)[0]?.blocks?.[0]).toMatchObject({ text: { text: '[staging · us-east-1] NLB down' } });
  });
});
