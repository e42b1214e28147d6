import { describe, expect, it } from '@jest/globals';
import { fakeClock, setTargets } from '../support/alert-world.js';
import { ask, type EdgeFixture, type EdgesHarness, edgesHarnessPerTest, PROD, STAGING } from '../support/edges-harness.js';
import { DEVELOPER } from '../support/harness.js';

/** /ips and /health when one bot serves prod (eu-west-1) and staging (us-east-1): see test/support/edges-harness.ts. */
describe('/ips with two edges', () => {
  const start = edgesHarnessPerTest();

  it('answers for the named edge only, from its own cluster and its own region', async () => {
    const h = await start();
    const answer = await ask(h, '/ips', 'staging', DEVELOPER);
    expect(answer.immediate).toBe(false);
    expect(answer.text).toContain('Static IPs of the edge staging (us-east-1)');
    expect(answer.text).toContain(STAGING.nlbDns);
    for (const ip of STAGING.ips) expect(answer.text).toContain(`${ip}/32`);
    expect(answer.text).toContain('10.20.1.200');
    expectNone(answer.text, PROD);
    expect(String(answer.body['text'])).toContain(`Static IPs of the edge staging (us-east-1), ${STAGING.nlbDns}`);
    expect(h.prod.requests).toEqual([]);
    expect(h.staging.requests.map((request) => request.resource)).toEqual(expect.arrayContaining(['services', 'ingresses']));
    expect(regionsCalled(h)).toEqual(['us-east-1']);

    const prod = await ask(h, '/ips', 'prod', DEVELOPER);
    expect(prod.text).toContain('Static IPs of the edge prod (eu-west-1)');
    for (const ip of PROD.ips) expect(prod.text).toContain(`${ip}/32`);
    expectNone(prod.text, STAGING);
    expect(regionsCalled(h)).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('answers for every edge without a name, each part labelled with its name, region and NLB', async () => {
    const h = await start();
    const answer = await ask(h, '/ips', '', DEVELOPER);
    expect(answer.text).toContain('Static IPs of the 2 shared NLBs');
    for (const [edge, other] of [
      [PROD, STAGING],
      [STAGING, PROD],
    ] as const) {
      expect(answer.text).toContain(
        `*Edge \`${edge.name}\`* · ${edge.region} · NLB *${edge.nlbName}* (internet-facing) \`${edge.nlbDns}\``,
      );
      // The block a partner copies names the edge and its NLB, and holds that edge's addresses only.
      const copy = copyBlocks(answer.text).find((block) => block.startsWith(`Edge ${edge.name} (${edge.region}), NLB ${edge.nlbDns}\n`));
      expect(copy).toBeDefined();
      for (const ip of edge.ips) expect(copy).toContain(`${ip}/32`);
      for (const ip of other.ips) expect(copy).not.toContain(ip);
    }
    expect(String(answer.body['text'])).toBe(
      `Static IPs: prod (eu-west-1), ${PROD.nlbDns}: ${PROD.ips.map((ip) => `${ip}/32`).join(', ')}; ` +
        `staging (us-east-1), ${STAGING.nlbDns}: ${STAGING.ips.map((ip) => `${ip}/32`).join(', ')}`,
    );
    // Both now cached: one edge's answer is given at once, without asking anyone.
    const calls = h.aws.calls.length;
    const cached = await ask(h, '/ips', 'prod', DEVELOPER);
    expect(cached.immediate).toBe(true);
    expect(cached.text).toContain('Static IPs of the edge prod (eu-west-1)');
    expect(h.aws.calls).toHaveLength(calls);
  });

  it('refuses an unknown edge, listing the edges, and more than an edge name', async () => {
    const h = await start();
    const unknown = await ask(h, '/ips', 'nope', DEVELOPER);
    expect(unknown.text).toContain('There is no edge `nope`. The edges are: `prod` (eu-west-1), `staging` (us-east-1).');
    const extra = await ask(h, '/ips', 'prod please', DEVELOPER);
    expect(extra.text).toContain('`/ips` takes at most an edge name.');
    expect(extra.text).toContain(
      '`/ips <edge>` for one (`prod` (eu-west-1), `staging` (us-east-1))'.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
    expect(h.aws.calls).toEqual([]);
    expect([...h.prod.requests, ...h.staging.requests]).toEqual([]);
  });
});

describe('/health with two edges', () => {
  const start = edgesHarnessPerTest();

  it('summarises every edge without a name, the one that needs attention first, each with its region and NLB', async () => {
    const h = await start();
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);
    const answer = await ask(h, '/health', '', DEVELOPER);
    expect(answer.text).toContain('NLB health of 2 edges');
    const staging = answer.text.indexOf(`*\`staging\`* · us-east-1: *down* · NLB \`${STAGING.nlbName}\``);
    const prod = answer.text.indexOf(`*\`prod\`* · eu-west-1: *healthy* · NLB \`${PROD.nlbName}\``);
    expect(staging).toBeGreaterThan(-1);
    expect(prod).toBeGreaterThan(staging);
    expect(answer.text).toContain('`k8s-ingressn-https-a1b2c3`');
    expect(String(answer.body['text'])).toContain('prod: healthy');
    expect(String(answer.body['text'])).toContain('staging: down');
  });

  it('gives the full report of the named edge only', async () => {
    const h = await start();
    setTargets(h.stagingAws, false, STAGING.httpsTargetGroupArn);
    const answer = await ask(h, '/health', 'staging', DEVELOPER);
    expect(answer.text).toContain('staging (us-east-1): down');
    expect(answer.text).toContain(`NLB \`${STAGING.nlbName}\` (\`${STAGING.nlbDns}\`) in us-east-1a, us-east-1b`);
    expect(answer.text).toContain('*0/3* healthy');
    expect(answer.text).toContain('*Certificates on the TLS listeners*');
    expectNone(answer.text, PROD);
    expect(h.prod.requests).toEqual([]);
    expect(regionsCalled(h)).toEqual(['us-east-1']);

    const prod = await ask(h, '/health', 'prod', DEVELOPER);
    expect(prod.text).toContain('prod (eu-west-1): healthy');
    expectNone(prod.text, STAGING);
  });

  it('refuses an unknown edge, listing the edges', async () => {
    const h = await start();
    const answer = await ask(h, '/health', 'nope', DEVELOPER);
    expect(answer.text).toContain('There is no edge `nope`. The edges are: `prod` (eu-west-1), `staging` (us-east-1).');
    expect(h.aws.calls).toEqual([]);
  });
});

/** Nothing of `edge` (its NLB, addresses, region) in a text about the other edge. */
function expectNone(text: string, edge: EdgeFixture): void {
  expect(text).not.toContain(edge.nlbName);
  for (const ip of edge.ips) expect(text).not.toContain(ip);
  expect(text).not.toContain(edge.region);
}

function copyBlocks(text: string): string[] {
  return [...text.matchAll(/```([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

/** The regions the bot's ELBv2 and ACM calls were signed for (each edge's own). */
function regionsCalled(h: EdgesHarness): string[] {
  return [...new Set(h.aws.calls.map((call) => call.region ?? '?'))].sort();
}

describe('/metrics with two edges', () => {
  const start = edgesHarnessPerTest();

  it('counts each edge’s AWS and Kubernetes calls and health polls under its own edge label', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    await ask(h, '/ips', '', DEVELOPER);
    await ask(h, '/health', '', DEVELOPER);
    await h.bot.healthMonitor!.pollOnce();
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 'NaN');
    for (const [edge, server] of [
      [PROD, h.prod],
      [STAGING, h.staging],
    ] as const) {
      // What each edge's label counts is what that edge's region and cluster served.
      const calls = (action: string) => h.aws.calls.filter((call) => call.region === edge.region && call.action === action).length;
      for (const action of ['DescribeLoadBalancers', 'DescribeTargetGroups', 'DescribeTargetHealth', 'DescribeCertificate']) {
        expect(calls(action)).toBeGreaterThan(0);
        expect(value(`nlb_bot_aws_calls_total{edge="${edge.name}",operation="${action}",outcome="ok"}`)).toBe(calls(action));
      }
      const services = server.requests.filter((request) => request.resource === 'services' && request.verb === 'get').length;
      expect(services).toBeGreaterThan(0);
      expect(value(`nlb_bot_kubernetes_calls_total{edge="${edge.name}",operation="readNamespacedService",outcome="ok"}`)).toBe(services);
      expect(value(`nlb_bot_health_polls_total{edge="${edge.name}",outcome="ok"}`)).toBe(1);
      expect(value(`nlb_bot_health_verdict{edge="${edge.name}",verdict="healthy"}`)).toBe(1);
    }
    // The bot's own calls (its Lease, in its own cluster) are no edge's.
    expect(metrics).toMatch(/^nlb_bot_kubernetes_calls_total\{edge="default",operation="createNamespacedLease",outcome="ok"\} 1$/m);
    expect(metrics).not.toMatch(/edge="(prod|staging)",operation="\w+Lease"/);
  });
});
