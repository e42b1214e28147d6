import { request } from 'node:http';
import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isSandboxRequested } from '../../dev/sandbox/is-sandbox-requested.js';
import { sandboxBanner } from '../../dev/sandbox/sandbox-banner.js';
import { SANDBOX_ALERT_CHANNEL, SANDBOX_CHANNEL, SANDBOX_USERS } from '../../dev/sandbox/sandbox-directory.js';
import { type RunningSandbox, startSandbox } from '../../dev/sandbox/start-sandbox.js';
import { SAMPLE_HTTPS_TG_ARN, SAMPLE_REGION, SAMPLE_WILDCARD_CERT_ARN, sampleNodes } from '../../dev/stand-ins/sample-world.js';
import { ConsoleClient } from '../support/console-client.js';
import { waitFor } from '../support/harness.js';

const [ADMIN, DEVELOPER] = SANDBOX_USERS.map((user) => user.id) as [string, string];
const CHANNEL = SANDBOX_CHANNEL.id;

describe('the sandbox, started as npm start does without Slack settings', () => {
  const env = { PORT: '0', LOG_LEVEL: 'debug' };
  const logs: string[] = [];
  let sandbox: RunningSandbox;
  let client: ConsoleClient;
  let banner: string;

  beforeAll(async () => {
    expect(isSandboxRequested(env)).toBe(true);
    sandbox = await startSandbox({ env, logDestination: { write: (line: string) => void logs.push(line) } });
    banner = sandboxBanner(sandbox);
    client = new ConsoleClient(/Open the console:\s+(\S+)/.exec(banner)?.[1] ?? '');
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('says it is the sandbox and prints the console URL, on loopback', () => {
    expect(banner).toContain('SANDBOX');
    expect(banner).toContain('Nothing leaves this machine');
    expect(client.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('wires the real bot to the loopback stand-ins through its normal environment only', () => {
    for (const name of ['SLACK_API_URL', 'AWS_ENDPOINT_URL'] as const) expect(new URL(sandbox.botEnv[name]!).hostname).toBe('127.0.0.1');
    expect(sandbox.bot.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(sandbox.bot.config.slack.mode).toBe('http');
    expect(sandbox.bot.config).toMatchObject({
      exposeAdmins: [ADMIN],
      exposeNamespaces: ['team-a', 'team-b'],
      alertChannel: SANDBOX_ALERT_CHANNEL.id,
      healthPollSeconds: 5,
    });
    expect(sandbox.botEnv['SLACK_SIGNING_SECRET']).toMatch(/^[0-9a-f]{32}$/);
    expect(sandbox.botEnv['KUBECONFIG']).toContain('nlb-bot-sandbox-');
  });

  it('answers /ips typed in the console with both IPs, visible only to the person who typed it', async () => {
    const sent = await client.command(ADMIN, CHANNEL, '/ips');
    expect(sent).toEqual({ status: 200, json: { status: 200 } });
    const view = await client.waitForText(ADMIN, CHANNEL, '52.17.11.101');
    expect(view.text).toContain('52.17.10.100');
    expect(view.text).toContain('Only visible to you');
    expect(view.text).toContain('/ips');
    expect((await client.timeline(DEVELOPER, CHANNEL)).text).not.toContain('52.17.10.100');
    // The answer went the production way: a signed slash command, Kubernetes and AWS through their SDKs, response_url.
    expect(sandbox.kube.requests.some((call) => call.resource === 'services' && call.verb === 'get')).toBe(true);
    expect(sandbox.aws.count('DescribeLoadBalancers')).toBeGreaterThan(0);
    expect(sandbox.slack.responses.length).toBeGreaterThan(0);
    const logged = logs.join('\n');
    expect(logged).toContain('"command":"/ips"');
    for (const secret of [sandbox.botEnv['SLACK_BOT_TOKEN']!, sandbox.botEnv['SLACK_SIGNING_SECRET']!, sandbox.kube.token])
      expect(logged).not.toContain(secret);
  });

  it('answers a command it does not have with the ones it has, at once', async () => {
    const sent = await client.command(DEVELOPER, CHANNEL, '/no-such-command');
    expect(sent.json['status']).toBe(200);
    const view = await client.waitForText(DEVELOPER, CHANNEL, 'This bot has no command /no-such-command');
    expect(view.text).toContain('it answers /check, /expose, /health, /ips, /unexpose.');
  });

  it('refuses text that is not a slash command, and unknown users', async () => {
    expect((await client.command(ADMIN, CHANNEL, 'hello')).status).toBe(400);
    expect((await client.command('U0MALLORY1', CHANNEL, '/ips')).status).toBe(400);
    expect((await client.command(ADMIN, `D${DEVELOPER}`, '/ips')).status).toBe(400);
  });

  it('makes a node unhealthy from the controls, and the NLB API reports it', async () => {
    const elbv2 = new ElasticLoadBalancingV2Client({ region: SAMPLE_REGION, endpoint: sandbox.aws.url });
    const health = async () =>
      Object.fromEntries(
        ((await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: SAMPLE_HTTPS_TG_ARN }))).TargetHealthDescriptions ?? []).map(
          (item) => [item.Target?.Id, item.TargetHealth?.State],
        ),
      );
    const controllerNode = sampleNodes()[0]!;
    expect((await health())[controllerNode.instanceId]).toBe('healthy');
    const changed = await client.control('node', { name: controllerNode.name, ready: false });
    expect(changed.status).toBe(200);
    expect(await health()).toEqual({
      [controllerNode.instanceId]: 'unhealthy',
      'i-0a1b2c3d4e5f60002': 'unhealthy',
      'i-0a1b2c3d4e5f60003': 'unhealthy',
    });
    expect(String(changed.json['html'])).toContain('Make node Ready');
    await client.control('traffic-policy', { policy: 'Cluster' });
    await client.control('node', { name: controllerNode.name, ready: true });
    expect(Object.values(await health())).toEqual(['healthy', 'healthy', 'healthy']);
    await client.control('reset', {});
    expect((await client.world()).trafficPolicy).toBe('Local');
    elbv2.destroy();
  });

  it('expires a certificate from the controls, and ACM reports it EXPIRED until it is restored', async () => {
    const acm = new ACMClient({ region: SAMPLE_REGION, endpoint: sandbox.aws.url });
    const describe = async () =>
      (await acm.send(new DescribeCertificateCommand({ CertificateArn: SAMPLE_WILDCARD_CERT_ARN }))).Certificate!;
    expect((await describe()).Status).toBe('ISSUED');
    expect((await client.control('certificate', { arn: SAMPLE_WILDCARD_CERT_ARN, expired: true })).status).toBe(200);
    const expired = await describe();
    expect(expired.Status).toBe('EXPIRED');
    expect(expired.NotAfter!.getTime()).toBeLessThan(Date.now());
    await client.control('certificate', { arn: SAMPLE_WILDCARD_CERT_ARN, expired: false });
    expect((await describe()).Status).toBe('ISSUED');
    acm.destroy();
  });

  it('rejects an Ingress whose host and path another Ingress of the class serves, as ingress-nginx’s webhook does', async () => {
    const create = (host: string) =>
      fetch(`${sandbox.kube.url}/apis/networking.k8s.io/v1/namespaces/team-b/ingresses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.kube.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: `copy-of-${host.split('.')[0]}` },
          spec: {
            ingressClassName: 'nginx',
            rules: [
              {
                host,
                http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
              },
            ],
          },
        }),
      });
    const refused = await create('orders.example.com');
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toContain(
      'host "orders.example.com" and path "/" is already defined in ingress team-a/orders.example.com',
    );
    expect((await create('fresh.example.com')).status).toBe(201);
    await client.control('reset', {});
  });

  it('answers /check for a host it serves with every step passing, through the sandbox proxy and its CA', async () => {
    await client.command(DEVELOPER, CHANNEL, '/check orders.example.com');
    const view = await client.waitForText(DEVELOPER, CHANNEL, 'Reachable: orders.example.com', 15_000);
    expect(view.text).toContain('orders.example.com is a CNAME to the NLB');
    expect(view.text).toMatch(/a trusted certificate for orders\.example\.com/);
    expect(view.text).toMatch(/The route answers orders\.example\.com: 52\.17\.10\.100:443 HTTP 200 in \d+ ms/);
  });

  it('follows an Apply with a live check that waits for ExternalDNS’s record and then finds the host reachable', async () => {
    const host = 'fresh-check.example.com';
    await client.command(ADMIN, CHANNEL, `/expose ${host} team-a/billing:http`);
    const preview = await client.waitForText(ADMIN, CHANNEL, 'ExternalDNS');
    expect(preview.text).toContain(host);
    const message = sandbox.slack.messages
      .filter((candidate) => candidate.ephemeralTo === ADMIN && JSON.stringify(candidate.blocks).includes(host))
      .at(-1)!;
    const blocks = message.blocks ?? [];
    const blockIndex = blocks.findIndex((block) => JSON.stringify(block).includes('"Apply"'));
    const elements = (blocks[blockIndex] as { elements: Array<{ text?: { text?: string } }> }).elements;
    const element = elements.findIndex((candidate) => candidate.text?.text === 'Apply');
    expect((await client.click(ADMIN, CHANNEL, message.ts, blockIndex, element)).status).toBe(200);
    // ExternalDNS's record appears a few seconds after the Ingress; the check starts a few seconds after the write.
    const view = await client.waitForText(ADMIN, CHANNEL, `Reachable: ${host}`, 30_000);
    expect(view.text).toContain(`${host} is a CNAME to the NLB`);
    expect(view.text).toContain('The ingress controller took the Ingress up');
    expect(view.text).toMatch(new RegExp(`The route answers ${host.replaceAll('.', '\\.')}: 52\\.17\\.10\\.100:443 HTTP 200`));
    await client.control('reset', {});
  });

  it('refuses malformed or unknown controls and changes nothing', async () => {
    const before = await client.world();
    expect(await client.control('node', { name: 'nope', ready: false })).toEqual({
      status: 404,
      json: { error: 'There is no node nope.' },
    });
    const invalid = await client.control('traffic-policy', { policy: 'Sometimes' });
    expect(invalid.status).toBe(400);
    expect(String(invalid.json['error'])).toContain('policy');
    expect((await client.control('self-destruct', {})).status).toBe(404);
    expect(await client.world()).toEqual(before);
  });

  it('lets only its own page drive the bot: foreign origins, hosts and form posts are refused', async () => {
    expect(
      (await client.post('/api/command', { user: ADMIN, channel: CHANNEL, text: '/ips' }, { origin: 'http://evil.example' })).status,
    ).toBe(403);
    const form = await fetch(new URL('/api/controls/reset', client.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(403);
    const rebound = await new Promise<number>((resolve, reject) => {
      const url = new URL(client.url);
      request({ host: url.hostname, port: url.port, path: '/api/world', headers: { host: `attacker.example:${url.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(403);
  });

  it('serves the page with a policy that runs only its own script', async () => {
    const page = await fetch(client.url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script src="/console.js" defer></script>');
    expect((await fetch(new URL('/console.js', client.url))).headers.get('content-type')).toContain('javascript');
  });

  it('announces new messages in any channel, such as alerts, as server-sent events', async () => {
    const events = await client.events();
    const alertEntries = async () => {
      const channels = (await (await fetch(new URL(`/api/channels?user=${DEVELOPER}`, client.url))).json()) as {
        channels: Array<{ id: string; entries: number }>;
      };
      return channels.channels.find((channel) => channel.id === SANDBOX_ALERT_CHANNEL.id)?.entries;
    };
    // Earlier tests' audit lines are in #alerts already.
    const before = (await alertEntries()) ?? 0;
    await fetch(`${sandbox.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.botEnv['SLACK_BOT_TOKEN']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: SANDBOX_ALERT_CHANNEL.id, text: ':rotating_light: 2 of 3 targets unhealthy' }),
    });
    await waitFor(() => events.text().includes('{"kind":"messages"}'), 3000, 'a messages event');
    events.close();
    const alerts = await client.timeline(DEVELOPER, SANDBOX_ALERT_CHANNEL.id);
    expect(alerts.text).toContain('🚨 2 of 3 targets unhealthy');
    expect(await alertEntries()).toBe(before + 1);
  });
});

describe('the sandbox in Gateway mode (SANDBOX_EDGE=gateway)', () => {
  let sandbox: RunningSandbox;
  let client: ConsoleClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ env: { PORT: '0', LOG_LEVEL: 'silent', SANDBOX_EDGE: 'gateway' } });
    client = new ConsoleClient(sandbox.consoleUrl);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('runs the bot in Gateway mode against the sample Gateway, its Envoy Service and the routes', () => {
    expect(sandbox.bot.config.edges[0]).toMatchObject({
      mode: 'gateway',
      gateway: { namespace: 'edge', name: 'shared' },
      gatewayListener: undefined,
      controllerService: undefined,
    });
    const state = sandbox.world.state();
    expect(state.edge).toBe('gateway');
    expect(state.trafficPolicy).toBe('Local');
    expect(state.ingresses.map((route) => `${route.kind} ${route.namespace}/${route.name}`)).toEqual(
      expect.arrayContaining(['HTTPRoute team-a/orders.example.com', 'HTTPRoute team-b/legacy-reports', 'HTTPRoute team-b/partner-portal']),
    );
    const gateway = sandbox.kube.store.get('gateway.networking.k8s.io/v1', 'Gateway', 'edge', 'shared');
    const conditions = (gateway?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions;
    expect(conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Programmed', status: 'True' })]));
  });

  it('answers /expose with the HTTPRoute it would write, and /health with the Gateway and the Envoy pods', async () => {
    await client.command(ADMIN, CHANNEL, '/expose billing.example.com team-a/billing:http');
    const preview = await client.waitForText(ADMIN, CHANNEL, 'The HTTPRoute that will be written');
    expect(preview.text).toContain('kind: HTTPRoute');
    expect(preview.text).toContain('The listener https takes an HTTPRoute');
    await client.command(ADMIN, CHANNEL, '/health');
    const health = await client.waitForText(ADMIN, CHANNEL, 'Only the nodes that run an Envoy proxy pod are healthy');
    expect(health.text).toMatch(/Gateway edge\/shared: programmed · \d+ route\(s\) attached/);
    expect(health.text).not.toContain('ingress-nginx, which is retired');
  });

  it('refuses an unknown SANDBOX_EDGE with the values it takes', async () => {
    await expect(startSandbox({ env: { PORT: '0', SANDBOX_EDGE: 'istio' } })).rejects.toThrow(
      'SANDBOX_EDGE must be ingress (ingress-nginx and Ingresses) or gateway (Envoy Gateway and HTTPRoutes), not istio',
    );
  });
});
