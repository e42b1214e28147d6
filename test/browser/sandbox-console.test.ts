import { copyFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sandboxBanner } from '../../dev/sandbox/sandbox-banner.js';
import { SANDBOX_CHANNEL, SANDBOX_USERS } from '../../dev/sandbox/sandbox-directory.js';
import { type RunningSandbox, startSandbox } from '../../dev/sandbox/start-sandbox.js';
import { SAMPLE_HTTPS_TG_ARN, sampleNodes } from '../../dev/stand-ins/sample-world.js';
import { type Chromium, launchChromium } from '../support/chromium.js';
import { ConsolePage, expectText } from '../support/console-page.js';
import { waitFor } from '../support/harness.js';

jest.setTimeout(60_000);

const [ADMIN, DEVELOPER] = SANDBOX_USERS.map((user) => user.id) as [string, string];
const CONTROLLER_NODE = sampleNodes()[0]!;

/**
 * The sandbox started as `npm start` starts it without Slack settings, driven in headless Chromium.
 * UPDATE_DOCS_SCREENSHOT=1 (npm run docs:screenshot) also copies the first screenshot to docs/console.png.
 */
describe('the sandbox console in a browser', () => {
  let sandbox: RunningSandbox;
  let chromium: Chromium;
  let console: ConsolePage;

  beforeAll(async () => {
    sandbox = await startSandbox({ env: { PORT: '0', HEALTH_POLL_SECONDS: '1' }, logDestination: { write: () => undefined } });
    const url = /Open the console:\s+(\S+)/.exec(sandboxBanner(sandbox))?.[1] ?? '';
    chromium = await launchChromium();
    console = await ConsolePage.open(chromium.context, url);
  });
  afterAll(async () => {
    await chromium?.close();
    await sandbox?.stop();
  });

  /** Posts as the bot does (chat.postMessage with its token): text no command of the bot would post. */
  const postAsBot = (args: Record<string, unknown>) =>
    fetch(`${sandbox.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.botEnv['SLACK_BOT_TOKEN']}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });

  it('shows both static IPs when /ips is typed, visible only to the person who typed it', async () => {
    await console.type('/ips');
    const answer = await console.message('Static IPs of the shared NLB');
    await expectText(answer, ['52.17.10.100', '52.17.11.101', 'Only visible to you', 'Elastic IPs', '52.17.10.100/32']);
    expect(await answer.locator('.bk-header').count()).toBe(1);
    expect(await answer.locator('.bk-fields .bk-field').count()).toBe(2);
    expect(await answer.locator('pre.bk-pre').count()).toBe(1);
    const shot = await console.screenshot('01-ips-as-admin');
    if (process.env['UPDATE_DOCS_SCREENSHOT'] === '1') copyFileSync(shot, 'docs/console.png');
  });

  it('switches to a developer, who does not see the admin’s ephemeral answer', async () => {
    await console.actAs(DEVELOPER);
    await console.page.locator('#timeline article.msg', { hasText: 'Static IPs of the shared NLB' }).waitFor({ state: 'detached' });
    await console.type('/ips help');
    const help = await console.message('shows the static IP addresses');
    await expectText(help, ['Only visible to you']);
    await console.screenshot('02-ips-help-as-developer');
    await console.actAs(ADMIN);
    await console.message('Static IPs of the shared NLB');
    expect(await console.page.locator('#timeline article.msg', { hasText: 'shows the static IP addresses' }).count()).toBe(0);
  });

  it('exposes a covered host as admin: preview, Apply, and /expose list shows it', async () => {
    await console.type('/expose payments.example.com team-a/billing:http');
    const preview = await console.message('payments.example.com');
    await expectText(preview, [
      'Only visible to you',
      '*.example.com',
      'ingressClassName: nginx',
      'name: billing',
      '52.17.10.100',
      'Apply',
    ]);
    await console.screenshot('03-expose-preview');
    await console.clickButton('Apply');
    await expectText(await console.message('Exposed payments.example.com'), ['payments.example.com']);
    const written = sandbox.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'payments.example.com');
    expect(written).toMatchObject({ spec: { ingressClassName: 'nginx', rules: [{ host: 'payments.example.com' }] } });
    await console.type('/expose list');
    const list = await console.message('payments.example.com');
    await expectText(list, ['team-a/billing', 'orders.example.com', 'reports.example.com']);
    await console.screenshot('04-expose-list');
  });

  it('asks the Remove button’s confirm question of /unexpose first, and removes the host only when confirmed', async () => {
    await console.type('/unexpose payments.example.com');
    await console.message('Nothing is deleted until you click Remove');
    const before = sandbox.kube.requests.length;
    await console.clickButton('Remove', { confirm: false });
    await console.page.waitForTimeout(300);
    expect(sandbox.kube.requests.slice(before).filter((request) => request.verb === 'delete')).toHaveLength(0);
    expect(sandbox.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'payments.example.com')).toBeDefined();

    await console.page.locator('#timeline .bk-button', { hasText: 'Remove' }).last().click();
    await expectText(console.page.locator('#confirm'), ['Remove this host?', 'payments.example.com will no longer be served', 'Keep it']);
    await console.screenshot('05-confirm-dialog');
    await console.page.locator('#confirm-yes').click();
    await expectText(await console.message('Removed payments.example.com'), ['team-a/payments.example.com']);
    expect(sandbox.kube.store.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'payments.example.com')).toBeUndefined();
  });

  it('posts the health incident to #alerts live, and updates it in place with a threaded reply when the controller’s node goes NotReady', async () => {
    // The sample world runs externalTrafficPolicy Local with one controller pod: two of three targets fail.
    await console.channelEntry('alerts').locator('.unread-count').waitFor({ timeout: 15_000 });
    await console.openChannel('alerts');
    await expectText(await console.message('NLB degraded', 15_000), ['externalTrafficPolicy', 'Local']);
    await console.control('Make node NotReady', CONTROLLER_NODE.name.split('.')[0]!);
    const incident = await console.message('NLB down', 20_000);
    await expectText(incident, ['(edited)', 'repl']);
    expect(await incident.locator('.thread article.msg').count()).toBeGreaterThanOrEqual(1);
    await console.screenshot('06-health-incident');
    await console.control('Make node Ready', CONTROLLER_NODE.name.split('.')[0]!);
    await console.openChannel('platform');
  });

  it('makes a node unhealthy from the sandbox controls, and the NLB’s target health follows', async () => {
    await expectText(console.controls(), ['1 of 3 targets healthy']);
    await console.control('Make node NotReady', CONTROLLER_NODE.name.split('.')[0]!);
    await expectText(console.controls(), ['0 of 3 targets healthy', '1 controller pod, 1 not Ready', 'Make node Ready']);
    const target = sandbox.aws.world.targetGroups
      .find((group) => group.arn === SAMPLE_HTTPS_TG_ARN)!
      .targets.find((candidate) => candidate.id === CONTROLLER_NODE.instanceId);
    expect(target).toMatchObject({ state: 'unhealthy', reason: 'Target.FailedHealthChecks' });
    await console.screenshot('07-node-unhealthy');
    await console.control('Switch to Cluster');
    await console.control('Make node Ready');
    await expectText(console.controls(), ['3 of 3 targets healthy', 'NLB health check: TCP traffic-port']);
    await console.control('Reset the world');
    await expectText(console.controls(), ['1 of 3 targets healthy', 'NLB health check: HTTP 32456/healthz']);
  });

  it('opens the Home tab: the bot publishes it for the acting user, with the edge’s IPs, and again each time it is opened', async () => {
    const home = await console.openHome();
    await expectText(home, ['Shared NLBs', 'default · eu-west-1', '52.17.10.100', '52.17.11.101', 'Hosts the bot manages']);
    await expectText(home.locator('pre.bk-pre'), ['52.17.10.100/32', '52.17.11.101/32', '443/tcp (HTTPS)']);
    expect(await console.page.locator('#composer').isVisible()).toBe(false);
    expect(await console.page.locator('#home-entry').getAttribute('class')).toContain('active');
    await console.screenshot('08-home-tab');
    const published = sandbox.slack.homeViews.get(ADMIN);
    expect(published).toBeDefined();
    // Opened again: Slack tells the bot again, and the view is published anew.
    await console.openChannel('platform');
    await console.page.locator('#composer').waitFor({ state: 'visible' });
    await expectText(await console.openHome(), ['52.17.10.100/32']);
    expect(sandbox.slack.homeViews.get(ADMIN)).not.toBe(published);
    // Another person's Home tab is their own: switching to them while it is open tells the bot they opened it.
    await console.actAs(DEVELOPER);
    const theirs = await waitFor(() => sandbox.slack.homeViews.get(DEVELOPER), 10_000, 'the developer’s Home tab');
    await console.page.locator(`#home .home-view[data-hash="${String(theirs.view['hash'])}"]`).waitFor();
    await console.actAs(ADMIN);
    await console.openChannel('platform');
    expect(await console.page.locator('#home').isVisible()).toBe(false);
  });

  it('shows text from the bot as text, never as markup', async () => {
    await postAsBot({
      channel: SANDBOX_CHANNEL.id,
      text: 'x',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Host <img src=x onerror="document.body.dataset.injected=1"> and *bold*' } },
      ],
    });
    const shown = await console.message('and bold');
    await expectText(shown, ['<img src=x onerror="document.body.dataset.injected=1">']);
    expect(await shown.locator('img').count()).toBe(0);
    expect(await console.page.locator('body').getAttribute('data-injected')).toBeNull();
  });
});
