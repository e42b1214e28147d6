import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import {
  SAMPLE_CONTROLLER,
  SAMPLE_DOMAIN,
  SAMPLE_NLB_DNS,
  SAMPLE_NLB_NAME,
  sampleNodes,
  seedSampleAws,
  seedSampleWorld,
} from '../../dev/stand-ins/sample-world.js';
import { type PublishedHomeView, startSlackApiServer } from '../../dev/stand-ins/slack-api-server.js';
import { appHomeOpenedEvent, newEventId, postEvent } from '../../dev/stand-ins/slack-signing.js';
import { BOT_NAME, BotAnnotation, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { HEALTH_SNAPSHOT_MAX_AGE_MS } from '../../src/tuning.js';
import { fakeClock, setTargets } from '../support/alert-world.js';
import { blockKitProblems, blocksText } from '../support/block-kit.js';
import { ADMIN, DEVELOPER, type Harness, harnessPerTest, messageText, SIGNING_SECRET, waitFor } from '../support/harness.js';

/** What opening the Home tab led to: the view Slack now holds for the user, and its text as a reader sees it. */
interface OpenedHome {
  readonly published: PublishedHomeView;
  readonly blocks: unknown[];
  readonly text: string;
}

/**
 * Opens the Home tab as Slack reports it in HTTP mode (a signed JSON event_callback with app_home_opened) and
 * waits for the view the bot publishes for that user in answer.
 */
async function openHome(h: Harness, user = DEVELOPER): Promise<OpenedHome> {
  const before = h.slack.homeViews.get(user);
  const sent = await postEvent(h.slackUrl, SIGNING_SECRET, appHomeOpenedEvent({ userId: user }));
  expect(sent).toEqual({ status: 200, body: '' });
  const published = await waitFor(
    () => {
      const now = h.slack.homeViews.get(user);
      return now !== undefined && now !== before ? now : undefined;
    },
    8000,
    `the Home tab published for ${user}`,
  );
  return { published, blocks: published.view.blocks, text: blocksText(published.view.blocks) };
}

const publishes = (h: Harness, user?: string) =>
  h.slack.calls.filter((call) => call.method === 'views.publish' && (user === undefined || call.args['user_id'] === user));

/** The copy block of the Home tab: the partner's firewall request, as /ips ends with it. */
const copyBlockOf = (text: string) => /```([\s\S]*?)```/.exec(text)?.[1] ?? '';

/** `count` more Ingresses the bot manages in team-a, approved one day apart (host-01 the oldest). */
function seedManagedHosts(kube: KubeStore, count: number): void {
  for (let index = 1; index <= count; index += 1) {
    const number = String(index).padStart(2, '0');
    const host = `host-${number}.${SAMPLE_DOMAIN}`;
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        namespace: 'team-a',
        name: host,
        labels: { [MANAGED_BY_LABEL]: BOT_NAME },
        annotations: {
          [BotAnnotation.RequestedBy]: DEVELOPER,
          [BotAnnotation.ApprovedBy]: ADMIN,
          [BotAnnotation.ApprovedAt]: `2027-01-${number}T10:00:00Z`,
          [BotAnnotation.SlackChannel]: 'C0PLATFORM1',
        },
      },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          { host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'billing', port: { number: 8080 } } } }] } },
        ],
      },
    };
    kube.upsert(ingress);
  }
}

describe('the App Home tab (app_home_opened -> views.publish), HTTP mode', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('publishes, for the user who opened it, the edge’s NLB, its static IPs and the copy block, the verdict and the hosts', async () => {
    const h = await start();
    const { published, blocks, text } = await openHome(h);
    expect(published.user).toBe(DEVELOPER);
    expect(published.view).toMatchObject({ type: 'home', id: expect.stringMatching(/^V/), hash: expect.any(String) });
    expect(h.slack.homeViews.has(ADMIN)).toBe(false);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(100);

    expect(text).toContain('default · eu-west-1');
    expect(text).toContain(`NLB \`${SAMPLE_NLB_NAME}\` (internet-facing) · \`${SAMPLE_NLB_DNS}\``);
    expect(text).toContain('Static IPs: `52.17.10.100` eu-west-1a (Elastic IP) · `52.17.11.101` eu-west-1b (Elastic IP)');
    const copy = copyBlockOf(text);
    for (const line of ['52.17.10.100/32', '52.17.11.101/32', '443/tcp (HTTPS)', '80/tcp (HTTP, redirects to HTTPS)', 'orders.example.com'])
      expect(copy).toContain(line);
    expect(text).toContain(':large_green_circle: *healthy*: 2 of 2 target group(s) healthy');
    expect(text).not.toContain('Certificates expiring');
    expect(text).toContain('*Hosts the bot manages* (1), newest first:\n• `orders.example.com` → `team-a/orders-api:80` · 2026-10-01');
    // Only the hosts the bot manages: the hand-made Ingress of reports.example.com is not one of them.
    expect(text).not.toContain('`reports.example.com`');

    const line = await waitFor(() => h.logs.find((entry) => entry['msg'] === 'home tab published'));
    expect(line).toMatchObject({ user: DEVELOPER, event: 'app_home_opened', edges: 1 });
  });

  it('shows the target groups that are not healthy and the certificates that expire within 30 days', async () => {
    const h = await start({
      seed: (kube, aws) => seedSampleWorld(kube, aws, { externalTrafficPolicy: 'Local', wildcardCertDaysLeft: 12 }),
    });
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(text).toContain(':large_orange_circle: *degraded*: 0 of 2 target group(s) healthy');
    expect(text).toContain('• :large_orange_circle: TLS:443 → `k8s-ingressn-https-a1b2c3`: 1/3 healthy');
    expect(text).toContain('• :large_orange_circle: TCP:80 → `k8s-ingressn-http-a1b2c3`: 1/3 healthy');
    expect(text).toContain('*Certificates expiring within 30 days*');
    expect(text).toMatch(/• :warning: `\*\.example\.com` expires in 1[12] day\(s\)/);
    // The imported certificate expires in 90 days: not yet a warning.
    expect(text).not.toContain('partner.example.net');
    expect(text).toContain('1 edge(s): 1 degraded');
  });

  it('lists the managed hosts newest first, with their count and a pointer to /expose list when they do not all fit', async () => {
    const h = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        seedManagedHosts(kube, 20);
      },
    });
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(text).toContain('*Hosts the bot manages* (21), newest first:');
    const shown = [...text.matchAll(/• `(host-\d\d)\.example\.com`/g)].map((match) => match[1]);
    expect(shown).toEqual(Array.from({ length: 15 }, (_, index) => `host-${String(20 - index).padStart(2, '0')}`));
    expect(text).toContain('• `host-20.example.com` → `team-a/billing:8080` · 2027-01-20');
    expect(text).toContain('… and 6 more: `/expose list default`');
    expect(text).not.toContain('`orders.example.com` →');
  });

  it('costs no AWS call beyond those of /ips and /health: opened twice after them, it reads nothing of AWS again', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    const ips = await h.slash('/ips', '');
    expect(messageText((await h.response(ips.responseUrl)).body)).toContain('52.17.10.100');
    const health = await h.slash('/health', '');
    expect(messageText((await h.response(health.responseUrl)).body)).toContain('NLB health: healthy');
    const afterCommands = h.aws.count();
    expect(afterCommands).toBeGreaterThan(0);

    expect((await openHome(h)).text).toContain('52.17.10.100/32');
    expect((await openHome(h, ADMIN)).text).toContain('*healthy*');
    expect((await openHome(h)).text).toContain('52.17.11.101/32');
    expect(h.aws.count()).toBe(afterCommands);
    expect(publishes(h, DEVELOPER)).toHaveLength(2);
    expect(publishes(h, ADMIN)).toHaveLength(1);
  });

  it('opened first, reads what /ips and /health read, and they answer from the same snapshots without a call of their own', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    await openHome(h);
    const afterHome = h.aws.count();
    expect(h.aws.count('DescribeTargetHealth')).toBe(2);
    await openHome(h);
    const ips = await h.slash('/ips', '');
    const ipsAnswer = ips.body === '' ? messageText((await h.response(ips.responseUrl)).body) : ips.body;
    expect(ipsAnswer).toContain('52.17.10.100');
    const health = await h.slash('/health', '');
    expect(messageText((await h.response(health.responseUrl)).body)).toContain('NLB health: healthy');
    expect(h.aws.count()).toBe(afterHome);
  });

  it('is refreshed when it is opened, once the snapshot is older than /health’s, and never by the alert poll', async () => {
    const clock = fakeClock();
    const h = await start({ clock });
    expect((await openHome(h)).text).toContain('*healthy*: 2 of 2');
    setTargets(h.aws.world, false);
    clock.advance(HEALTH_SNAPSHOT_MAX_AGE_MS - 1);
    expect((await openHome(h)).text).toContain('*healthy*: 2 of 2');
    clock.advance(1);
    const refreshed = await openHome(h);
    expect(refreshed.text).toContain(':red_circle: *down*: 1 of 2 target group(s) healthy');
    expect(refreshed.text).toContain('• :red_circle: TLS:443 → `k8s-ingressn-https-a1b2c3`: 0/3 healthy');
    expect(publishes(h)).toHaveLength(3);
    // The alert loop reads the same NLB, and publishes no Home tab for anyone.
    await h.bot.healthMonitor!.pollOnce();
    await h.bot.healthMonitor!.pollOnce();
    expect(publishes(h)).toHaveLength(3);
  });

  it('shows a Kubernetes API outage of the edge in the view instead of breaking it', async () => {
    const h = await start();
    h.kube.fail(() => ({ status: 503, reason: 'ServiceUnavailable', message: 'the API server is restarting' }));
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(text).toContain('default · eu-west-1');
    // The same failure of two reads is one line.
    expect(text).toContain(
      ':warning: *IPs, health*: The Kubernetes API could not be reached to read the Service ingress-nginx/ingress-nginx-controller.',
    );
    expect(text).toContain(':warning: *hosts*: The Kubernetes API could not be reached to list the Ingresses of the cluster.');
    expect(text).toContain('1 edge(s): 1 unreadable');
    expect(text).not.toContain('Static IPs');
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('shows an AWS refusal in the view, and still lists the hosts, which come from the cluster', async () => {
    const h = await start();
    h.aws.fail((call) =>
      call.action === 'DescribeLoadBalancers'
        ? { status: 403, code: 'AccessDenied', message: 'not authorized to perform: elasticloadbalancing:DescribeLoadBalancers' }
        : undefined,
    );
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(text).toContain('AWS refused DescribeLoadBalancers (AccessDenied)');
    expect(text).toMatch(/:warning: \*IPs, health\*: /);
    expect(text).toContain('*Hosts the bot manages* (1), newest first:');
    expect(text).not.toContain('Static IPs');
  });

  it('shows an unexpected failure as a reference to the log, never its details', async () => {
    const h = await start();
    h.kube.fail((request) =>
      request.resource === 'ingresses' ? { status: 422, reason: 'Invalid', message: 'secret internal detail' } : undefined,
    );
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    // /ips names the hosts served in its copy block, so it reads the Ingresses too.
    expect(text).toMatch(/:warning: \*IPs\*: could not be read Reference [0-9a-f]{8}: the bot’s log has the details\./);
    expect(text).toMatch(/:warning: \*hosts\*: could not be read Reference [0-9a-f]{8}: the bot’s log has the details\./);
    expect(text).toContain(':large_green_circle: *healthy*: 2 of 2');
    expect(text).not.toContain('secret internal detail');
    const reference = /\*hosts\*: could not be read Reference ([0-9a-f]{8})/.exec(text)?.[1];
    expect(h.logs).toContainEqual(expect.objectContaining({ msg: 'home tab: the hosts could not be read', errorId: reference }));
  });

  it('refuses an event with a bad or stale signature (401) and publishes nothing for it', async () => {
    const h = await start();
    const forged = await postEvent(h.slackUrl, 'not-the-signing-secret-000000000', appHomeOpenedEvent({ userId: ADMIN }));
    expect(forged.status).toBe(401);
    const stale = await postEvent(h.slackUrl, SIGNING_SECRET, appHomeOpenedEvent({ userId: ADMIN }), {
      timestampSeconds: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(stale.status).toBe(401);
    // The next genuine event is answered: the refused ones published nothing before it.
    await openHome(h, DEVELOPER);
    expect(h.slack.homeViews.has(ADMIN)).toBe(false);
    expect(publishes(h)).toHaveLength(1);
    expect(h.logs.filter((entry) => entry['msg'] === 'refused a request to the Slack endpoint')).toHaveLength(2);
  });

  it('answers Slack’s url_verification with the challenge, and acts on one event_id once', async () => {
    const h = await start();
    const verification = await postEvent(h.slackUrl, SIGNING_SECRET, { token: 'x', challenge: 'c0ffee-42', type: 'url_verification' });
    expect(verification).toEqual({ status: 200, body: JSON.stringify({ challenge: 'c0ffee-42' }) });
    const event = appHomeOpenedEvent({ userId: DEVELOPER, eventId: newEventId() });
    expect((await postEvent(h.slackUrl, SIGNING_SECRET, event)).status).toBe(200);
    const retry = await postEvent(h.slackUrl, SIGNING_SECRET, event, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await waitFor(() => h.slack.homeViews.get(DEVELOPER), 8000, 'the Home tab');
    expect(publishes(h)).toHaveLength(1);
    expect(h.logs.some((entry) => entry['msg'] === 'a repeated Slack delivery was acknowledged, not acted on again')).toBe(true);
  });

  it('publishes nothing when the Messages tab is opened, and ignores events it has no listener for', async () => {
    const h = await start();
    const messagesTab = await postEvent(h.slackUrl, SIGNING_SECRET, appHomeOpenedEvent({ userId: ADMIN, tab: 'messages' }));
    expect(messagesTab.status).toBe(200);
    const other = {
      ...appHomeOpenedEvent({ userId: ADMIN }),
      event: { type: 'member_joined_channel', user: ADMIN, channel: 'C0PLATFORM1' },
    };
    expect((await postEvent(h.slackUrl, SIGNING_SECRET, other)).status).toBe(200);
    await openHome(h, DEVELOPER);
    expect(publishes(h, ADMIN)).toHaveLength(0);
    expect(h.logs).toContainEqual(
      expect.objectContaining({ msg: 'ignored a Slack request the bot has no listener for', what: 'member_joined_channel' }),
    );
  });

  it('logs a views.publish that Slack refuses, and publishes again the next time the tab is opened', async () => {
    const h = await start();
    h.slack.failMethod('views.publish', 'not_enabled');
    expect((await postEvent(h.slackUrl, SIGNING_SECRET, appHomeOpenedEvent({ userId: DEVELOPER }))).status).toBe(200);
    const warning = await waitFor(() => h.logs.find((entry) => entry['msg'] === 'could not publish the home tab'));
    expect(warning).toMatchObject({ level: 'warn', user: DEVELOPER, slackError: 'not_enabled' });
    expect((await openHome(h)).text).toContain('52.17.10.100/32');
  });

  it('shows every edge of the edges file, each with its own region, IPs and verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-home-'));
    const edgesFile = join(dir, 'edges.yaml');
    const controller = `${SAMPLE_CONTROLLER.namespace}/${SAMPLE_CONTROLLER.name}`;
    writeFileSync(
      edgesFile,
      [
        'edges:',
        '  - name: prod',
        '    region: eu-west-1',
        '    ingressClass: nginx',
        `    controllerService: ${controller}`,
        '    exposeNamespaces: [team-a]',
        '  - name: staging',
        '    region: us-east-1',
        '    ingressClass: nginx',
        `    controllerService: ${controller}`,
        '    exposeNamespaces: [team-b]',
        '',
      ].join('\n'),
    );
    const h = await start({ env: { EDGES_FILE: edgesFile, EXPOSE_NAMESPACES: '' } });
    // us-east-1 has an NLB of its own: other addresses, and every target failing.
    const staging = h.aws.worldFor('us-east-1');
    seedSampleAws(staging, sampleNodes(), 'Cluster', {});
    staging.loadBalancers[0]!.zones.forEach((zone, index) => {
      zone.addresses[0]!.ipAddress = `3.80.0.${10 + index}`;
    });
    for (const group of staging.targetGroups) setTargets(staging, false, group.arn);
    const { published, text } = await openHome(h);
    expect(blockKitProblems(published.view)).toEqual([]);
    expect(text).toContain('2 edge(s): 1 down, 1 healthy');
    expect(text).toContain('prod · eu-west-1');
    expect(text).toContain('staging · us-east-1');
    // The edge that needs attention comes first.
    expect(text.indexOf('staging · us-east-1')).toBeLessThan(text.indexOf('prod · eu-west-1'));
    const [stagingPart, prodPart] = text.split('prod · eu-west-1') as [string, string];
    expect(stagingPart).toContain('3.80.0.10/32');
    expect(stagingPart).toContain(':red_circle: *down*: 0 of 2');
    expect(stagingPart).not.toContain('52.17.10.100');
    expect(prodPart).toContain('52.17.10.100/32');
    expect(prodPart).toContain(':large_green_circle: *healthy*: 2 of 2');
    expect(text).toContain('`/ips &lt;edge&gt;`');
  });
});

describe('the App Home tab in Socket Mode', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('acknowledges an events_api envelope and publishes the view; a redelivery is acknowledged and not acted on again', async () => {
    const h = await start({ env: { SLACK_APP_TOKEN: 'xapp-1-stand-in-app-token' } });
    expect(h.bot.config.slack.mode).toBe('socket');
    await waitFor(() => h.slack.socketConnections() === 1, 10_000, 'a Socket Mode connection');
    const event = appHomeOpenedEvent({ userId: DEVELOPER });
    const ack = await h.slack.sendEvent(event);
    expect(ack).toMatchObject({ envelope_id: expect.any(String) });
    // Slack redelivers an event it thinks was missed, with the same event_id.
    expect(await h.slack.sendEvent(event, 5000, 1)).toHaveProperty('envelope_id');
    const published = await waitFor(() => h.slack.homeViews.get(DEVELOPER), 8000, 'the Home tab');
    expect(blockKitProblems(published.view)).toEqual([]);
    const text = blocksText(published.view.blocks);
    expect(text).toContain('52.17.10.100/32');
    expect(text).toContain('*healthy*: 2 of 2');
    expect(publishes(h)).toHaveLength(1);
  });
});

describe('the Slack stand-in’s views.publish, as Slack answers it', () => {
  let slack: Awaited<ReturnType<typeof startSlackApiServer>>;
  beforeAll(async () => {
    slack = await startSlackApiServer();
  });
  afterAll(() => slack.close());

  const call = async (args: Record<string, unknown>, token = slack.botToken, form = false) => {
    const response = await fetch(`${slack.apiUrl}views.publish`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json; charset=utf-8',
      },
      body: form ? new URLSearchParams(args as Record<string, string>).toString() : JSON.stringify(args),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const home = (count: number) => ({ type: 'home', blocks: Array.from({ length: count }, (_, index) => section(`block ${index}`)) });

  it('publishes a home view of up to 100 blocks (an object, or a JSON string in a form) and keeps the last one per user', async () => {
    const first = await call({ user_id: 'U0HOMEUSER1', view: home(100) });
    expect(first).toMatchObject({ ok: true, view: { type: 'home', id: expect.stringMatching(/^V/), hash: expect.any(String) } });
    const events: PublishedHomeView[] = [];
    const onHome = (published: PublishedHomeView) => events.push(published);
    slack.events.on('home', onHome);
    const second = await call({ user_id: 'U0HOMEUSER1', view: JSON.stringify(home(1)) }, slack.botToken, true);
    slack.events.off('home', onHome);
    expect(second).toMatchObject({ ok: true, view: { id: (first['view'] as { id: string }).id } });
    expect(slack.homeViews.get('U0HOMEUSER1')?.view.blocks).toEqual([section('block 0')]);
    expect(events.map((event) => event.user)).toEqual(['U0HOMEUSER1']);
    expect(slack.homeViews.get('U0HOMEUSER1')?.publishedAt).toBeInstanceOf(Date);
  });

  it('refuses what Slack refuses: more than 100 blocks, another view type, missing arguments, 250 kB, a stale hash', async () => {
    expect(await call({ user_id: 'U0HOMEUSER2', view: home(101) })).toEqual({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
    });
    expect(
      await call({ user_id: 'U0HOMEUSER2', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    ).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await call({ view: home(1) })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] missing required field: user_id'] },
    });
    expect(await call({ user_id: 'U0HOMEUSER2' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await call({ user_id: 'U0HOMEUSER2', view: '{not json' }, slack.botToken, true)).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    const large = { type: 'home', blocks: Array.from({ length: 90 }, () => section('x'.repeat(2900))) };
    expect(await call({ user_id: 'U0HOMEUSER2', view: large })).toEqual({ ok: false, error: 'view_too_large' });
    expect(await call({ user_id: 'U0HOMEUSER2', view: home(1), hash: '1.stale' })).toEqual({ ok: false, error: 'hash_conflict' });
    expect(slack.homeViews.has('U0HOMEUSER2')).toBe(false);
  });

  it('takes the bot token only', async () => {
    expect(await call({ user_id: 'U0HOMEUSER3', view: home(1) }, slack.appToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await call({ user_id: 'U0HOMEUSER3', view: home(1) }, 'xoxb-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(slack.homeViews.has('U0HOMEUSER3')).toBe(false);
  });
});
