import { describe, expect, it } from '@jest/globals';
import { SAMPLE_HTTPS_TG_ARN, SAMPLE_NLB_ARN, SAMPLE_SNI_CERT_ARN, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { fakeClock, poll, posted, setTargets } from '../support/alert-world.js';
import { ALERT_CHANNEL, harnessPerTest, messageText, waitFor } from '../support/harness.js';

const DAY = 86_400_000;

describe('health alerts', () => {
  const start = harnessPerTest();

  it('posts nothing for a flap: healthy, down for one poll, healthy', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    await poll(harness, clock, 2);
    setTargets(harness.aws.world, false);
    const [flap] = await poll(harness, clock);
    expect(flap).toMatchObject({ role: 'leader', verdict: 'down', posted: [] });
    setTargets(harness.aws.world, true);
    await poll(harness, clock, 3);
    expect(harness.slack.calls.filter((call) => call.method.startsWith('chat.'))).toEqual([]);
  });

  it('opens exactly one incident for a sustained outage and resolves it with one reply in its thread', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    await poll(harness, clock, 2);
    setTargets(harness.aws.world, false);
    await poll(harness, clock, 4);
    const [incident, ...others] = posted(harness, ALERT_CHANNEL);
    expect(others).toEqual([]);
    expect(incident?.threadTs).toBeUndefined();
    const opened = messageText(incident!);
    expect(opened).toContain('NLB down');
    expect(opened).toContain('`k8s-ingressn-https-a1b2c3` (TLS:443) *0/3* healthy');
    expect(opened).not.toContain('k8s-ingressn-http-a1b2c3');
    expect(opened).toContain('changes are posted in this thread');

    setTargets(harness.aws.world, true);
    const [first, second] = await poll(harness, clock, 2);
    expect(first?.posted).toEqual([]);
    expect(second?.posted).toEqual(['resolve']);
    await poll(harness, clock, 3);
    const replies = harness.slack.threadReplies(ALERT_CHANNEL, incident!.ts);
    expect(replies.map((reply) => messageText(reply))).toEqual([
      expect.stringContaining('*Recovered*: every target group is healthy again'),
    ]);
    expect(replies[0]!.text).toContain('The incident lasted 4 min');
    expect(posted(harness, ALERT_CHANNEL)).toHaveLength(2);
    expect(incident!.updated).toBe(1);
    expect(messageText(incident!)).toContain('NLB healthy again (resolved)');
    expect(messageText(incident!)).toContain('was down (at worst)');
  });

  it('opens one incident on a first start when the NLB is not healthy, and posts degraded → down in its thread', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    const [first, second, third] = await poll(harness, clock, 3);
    expect([first?.posted, second?.posted, third?.posted]).toEqual([[], ['open'], []]);
    const [incident] = posted(harness, ALERT_CHANNEL);
    expect(messageText(incident!)).toContain('NLB degraded');
    expect(messageText(incident!)).toContain('`externalTrafficPolicy: Local`');
    expect(messageText(incident!)).toContain('*1/3* healthy');

    setTargets(harness.aws.world, false);
    await poll(harness, clock, 2);
    const replies = harness.slack.threadReplies(ALERT_CHANNEL, incident!.ts);
    expect(replies).toHaveLength(1);
    expect(messageText(replies[0]!)).toContain('Now *down* (was degraded).');
    expect(messageText(replies[0]!)).toContain('`k8s-ingressn-https-a1b2c3` (TLS:443) *0/3* healthy: degraded → *down*');
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
    expect(incident!.updated).toBe(1);
    expect(messageText(incident!)).toContain('NLB down');
  });

  it('announces a certificate once at 30, 14, 7 and 1 days left, and once when it is not ISSUED', async () => {
    const clock = fakeClock();
    const harness = await start({
      clock,
      seed: (kube, aws) => seedSampleWorld(kube, aws, { wildcardCertDaysLeft: 31, now: new Date(clock.t) }),
    });
    await poll(harness, clock, 1, DAY);
    expect(posted(harness, ALERT_CHANNEL)).toEqual([]);
    await poll(harness, clock, 3, DAY);
    await poll(harness, clock, 1, 13 * DAY);
    await poll(harness, clock, 2, 7 * DAY);
    const notices = posted(harness, ALERT_CHANNEL).map((message) => messageText(message));
    expect(notices).toHaveLength(3);
    expect(notices[0]).toContain('`*.example.com` (default on 443) expires in 30 day(s)');
    expect(notices[0]).toContain('ACM renews it only while its validation still works');
    expect(posted(harness, ALERT_CHANNEL)[0]!.text).toContain('*.example.com (default on 443) expires in 30 day(s)');
    expect(notices[1]).toContain('expires in 14 day(s)');
    expect(notices[2]).toContain('expires in 7 day(s)');

    harness.aws.world.certificates.find((certificate) => certificate.arn === SAMPLE_SNI_CERT_ARN)!.status = 'REVOKED';
    await poll(harness, clock, 3, 60_000);
    const revoked = posted(harness, ALERT_CHANNEL)
      .slice(3)
      .map((message) => messageText(message));
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toContain('`partner.example.net` (SNI on 443) is *REVOKED*, not ISSUED');
  });

  it('waits for Slack’s Retry-After when chat.postMessage is rate limited, then posts once', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    setTargets(harness.aws.world, false);
    harness.slack.rateLimit('chat.postMessage', 1, 1);
    const [, opened] = await poll(harness, clock, 2);
    expect(opened?.posted).toEqual(['open']);
    const calls = harness.slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(harness.slack.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('retries DescribeTargetHealth when ELBv2 throttles, and the poll still sees the right state', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local' }) });
    harness.aws.fail(
      (call) => (call.action === 'DescribeTargetHealth' ? { status: 400, code: 'Throttling', message: 'Rate exceeded' } : undefined),
      2,
    );
    const [outcome] = await poll(harness, clock);
    expect(outcome).toMatchObject({ role: 'leader', verdict: 'degraded' });
    const attempts = harness.aws.calls.filter((call) => call.action === 'DescribeTargetHealth');
    expect(attempts.map((call) => call.status).filter((status) => status === 400)).toHaveLength(2);
    expect(attempts.filter((call) => call.status === 200)).toHaveLength(2);
    const metrics = await (await fetch(`${harness.bot.url}/metrics`)).text();
    expect(metrics).toContain('nlb_bot_health_polls_total{edge="default",outcome="ok"} 1');
  });

  it('does not let an alert poll wait behind /health for AWS calls: each has its own bound', async () => {
    const clock = fakeClock();
    const harness = await start({
      clock,
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        const [template] = aws.targetGroups;
        for (let index = 0; index < 40; index += 1) {
          aws.targetGroups.push({
            ...template!,
            arn: `${SAMPLE_HTTPS_TG_ARN}-${index}`,
            name: `extra-${index}`,
            loadBalancerArns: [SAMPLE_NLB_ARN],
          });
        }
      },
    });
    await poll(harness, clock);
    harness.aws.latencyMs = 100;
    const sent = await harness.slash('/health', '');
    // /health is busy with its 42 target groups, 5 calls at a time ...
    await waitFor(() => harness.aws.peakConcurrency >= 5, 5000, '/health to have 5 AWS calls in flight');
    const [outcome] = await poll(harness, clock);
    await harness.response(sent.responseUrl);
    expect(outcome?.verdict).toBe('healthy');
    expect(harness.aws.count('DescribeTargetHealth')).toBe(3 * 42);
    // ... and the poll's 10 ran beside them instead of queueing for the same slots; neither bound was exceeded.
    expect(harness.aws.peakConcurrency).toBeGreaterThan(10);
    expect(harness.aws.peakConcurrency).toBeLessThanOrEqual(15);
  });

  it('gives up a poll whose AWS calls hang at its deadline, and says once after two that it cannot check', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    await poll(harness, clock, 2);
    // AWS accepts the connections and never answers (for ten minutes of real time: until the test closes it).
    harness.aws.latencyMs = 10 * 60_000;
    const outcomes = [];
    const podLists = () => harness.kube.requests.filter((request) => request.resource === 'pods').length;
    for (let round = 0; round < 2; round += 1) {
      const before = podLists();
      const polling = harness.bot.healthMonitor!.pollOnce();
      // The Pods are listed together with the first AWS calls: once they are, the read waits for AWS.
      await waitFor(() => podLists() > before, 5000, 'the poll to wait for AWS');
      clock.advance(59_999);
      expect(await Promise.race([polling.then(() => 'ended'), new Promise((resolve) => setTimeout(resolve, 50, 'running'))])).toBe(
        'running',
      );
      clock.advance(1);
      outcomes.push(await polling);
    }
    expect(outcomes).toEqual([
      { role: 'leader', failure: 'reading it took longer than 60 s: AWS or Kubernetes did not answer in time.', posted: [] },
      { role: 'leader', failure: 'reading it took longer than 60 s: AWS or Kubernetes did not answer in time.', posted: ['blind'] },
    ]);
    const [blind, ...rest] = posted(harness, ALERT_CHANNEL).map((message) => messageText(message));
    expect(rest).toEqual([]);
    expect(blind).toContain("The bot cannot check the NLB's health (two polls in a row failed): reading it took longer than 60 s");

    // AWS answers again: the calls given up hold no slot the next poll needs, and it reads the NLB.
    harness.aws.latencyMs = 0;
    const [recovered] = await poll(harness, clock);
    expect(recovered).toMatchObject({ role: 'leader', verdict: 'healthy', posted: ['sight'] });
    const metrics = await (await fetch(`${harness.bot.url}/metrics`)).text();
    expect(metrics).toContain('nlb_bot_health_polls_total{edge="default",outcome="timeout"} 2');
    expect(metrics).toContain(`nlb_bot_health_last_success_timestamp_seconds{edge="default"} ${(clock.t - 60_000) / 1000}`);
  });

  it('says once that it cannot check the NLB, and once that it can again', async () => {
    const clock = fakeClock();
    const harness = await start({ clock, seed: seedSampleWorld });
    const denied = harness.aws.fail((call) =>
      call.action === 'DescribeTargetGroups' ? { status: 403, code: 'AccessDenied', message: 'denied' } : undefined,
    );
    await poll(harness, clock, 4);
    const [blind, ...rest] = posted(harness, ALERT_CHANNEL).map((message) => messageText(message));
    expect(rest).toEqual([]);
    expect(blind).toContain("The bot cannot check the NLB's health");
    expect(blind).toContain('AWS refused DescribeTargetGroups (AccessDenied)');
    denied();
    await poll(harness, clock, 2);
    const messages = posted(harness, ALERT_CHANNEL).map((message) => messageText(message));
    expect(messages).toHaveLength(2);
    expect(messages[1]).toContain("can check the NLB's health again");
  });

  it('does not run without ALERT_CHANNEL, and says so at start', async () => {
    const harness = await start({ env: { ALERT_CHANNEL: '' }, seed: seedSampleWorld });
    expect(harness.bot.healthMonitor).toBeUndefined();
    expect(harness.logs.some((line) => String(line['msg']).startsWith('health alerts are off: ALERT_CHANNEL is not set'))).toBe(true);
    expect(harness.kube.requests.filter((request) => request.resource === 'leases')).toEqual([]);
  });

  it('polls on its own every HEALTH_POLL_SECONDS when the timer runs', async () => {
    const harness = await start({
      healthPolling: 'timer',
      env: { HEALTH_POLL_SECONDS: '1' },
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        setTargets(aws, false);
      },
    });
    const incident = await waitFor(() => harness.slack.channelMessages(ALERT_CHANNEL)[0], 5000, 'the incident opened by the timer');
    expect(messageText(incident)).toContain('NLB down');
    expect(harness.aws.count('DescribeTargetGroups')).toBeGreaterThanOrEqual(2);
  });
});
