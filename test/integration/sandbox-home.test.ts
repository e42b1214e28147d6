import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_USERS } from '../../dev/sandbox/sandbox-directory.js';
import { type RunningSandbox, startSandbox } from '../../dev/sandbox/start-sandbox.js';
import { SAMPLE_DOMAIN } from '../../dev/stand-ins/sample-world.js';
import { BOT_NAME, BotAnnotation, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { ConsoleClient } from '../support/console-client.js';
import { waitFor } from '../support/harness.js';

const [ADMIN, DEVELOPER] = SANDBOX_USERS.map((user) => user.id) as [string, string];

describe('the sandbox console’s Home tab', () => {
  const logs: string[] = [];
  let sandbox: RunningSandbox;
  let client: ConsoleClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      env: { PORT: '0', LOG_LEVEL: 'info' },
      logDestination: { write: (line: string) => void logs.push(line) },
    });
    client = new ConsoleClient(sandbox.consoleUrl);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('shows Slack’s placeholder until the bot has published a Home tab for that person', async () => {
    const home = await client.home(DEVELOPER);
    expect(home).toMatchObject({ publishedAt: null, hash: null });
    expect(home.text).toContain('nlb-ingress-bot has not published a Home tab for you yet.');
  });

  it('sends the bot a signed app_home_opened when the Home tab is opened, and shows the view it publishes for that person', async () => {
    expect(await client.openHome(ADMIN)).toEqual({ status: 200, json: { status: 200 } });
    const home = await client.waitForHome(ADMIN, (view) => view.text.includes('52.17.10.100/32'));
    for (const text of [
      'Shared NLBs',
      'default · eu-west-1',
      'Static IPs: 52.17.10.100 eu-west-1a',
      '52.17.11.101/32',
      'orders.example.com',
    ])
      expect(home.text).toContain(text);
    expect(home.text).toMatch(/degraded|down|healthy/);
    expect(home.html).toContain('<pre class="bk-pre">');
    // Per person: the developer has not opened theirs.
    expect((await client.home(DEVELOPER)).publishedAt).toBeNull();
    // The production way: a signed JSON event to /slack/events, views.publish to the Slack stand-in.
    const event = sandbox.slack.calls.find((call) => call.method === 'views.publish');
    expect(event?.args['user_id']).toBe(ADMIN);
    await waitFor(() => logs.some((line) => line.includes('"msg":"home tab published"') && line.includes(ADMIN)));
    expect(logs.join('\n')).not.toContain('refused a request to the Slack endpoint');
  });

  it('is refreshed each time it is opened', async () => {
    const before = await client.waitForHome(ADMIN, () => true);
    expect(before.text).not.toContain('fresh.example.com');
    sandbox.kube.store.upsert({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        namespace: 'team-b',
        name: `fresh.${SAMPLE_DOMAIN}`,
        labels: { [MANAGED_BY_LABEL]: BOT_NAME },
        annotations: { [BotAnnotation.ApprovedBy]: ADMIN, [BotAnnotation.ApprovedAt]: new Date().toISOString() },
      },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: `fresh.${SAMPLE_DOMAIN}`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { number: 80 } } } }] },
          },
        ],
      },
    });
    // Nothing changes by itself: no view is pushed on a timer.
    expect((await client.home(ADMIN)).hash).toBe(before.hash);
    expect((await client.openHome(ADMIN)).json).toEqual({ status: 200 });
    const after = await client.waitForHome(ADMIN, (view) => view.text.includes('fresh.example.com'), before);
    // The newest host comes first.
    expect(after.text.indexOf('fresh.example.com')).toBeLessThan(after.text.indexOf('orders.example.com →'));
    sandbox.kube.store.remove('networking.k8s.io/v1', 'Ingress', 'team-b', `fresh.${SAMPLE_DOMAIN}`);
  });

  it('announces a published Home tab to the page as a server-sent event', async () => {
    const events = await client.events();
    await client.openHome(DEVELOPER);
    await waitFor(() => events.text().includes('{"kind":"home"}'), 5000, 'a home event');
    events.close();
    expect((await client.waitForHome(DEVELOPER, (view) => view.text.includes('52.17.10.100/32'))).publishedAt).not.toBeNull();
  });

  it('opens the Home tab only for a known person, and only from its own page', async () => {
    expect(await client.openHome('U0MALLORY1')).toEqual({ status: 400, json: { error: 'Opening the Home tab needs a known user.' } });
    expect((await client.post('/api/home', {})).status).toBe(400);
    expect((await client.post('/api/home', { user: ADMIN }, { origin: 'http://evil.example' })).status).toBe(403);
    const form = await fetch(new URL('/api/home', client.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(403);
    expect((await fetch(new URL('/api/home?user=U0MALLORY1', client.url))).status).toBe(404);
  });
});
