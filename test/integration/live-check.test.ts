import { beforeAll, describe, expect, it } from '@jest/globals';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, clicksDone, command } from '../support/expose-steps.js';
import { slackMessageProblems } from '../support/gateway-world.js';
import { ADMIN, ALERT_CHANNEL, CHANNEL, DEVELOPER, type Harness, harnessPerTest, messageText, waitFor } from '../support/harness.js';
import {
  createLivePki,
  headerOf,
  type LivePki,
  type LiveWorldOptions,
  liveWorld,
  NLB_ADDRESSES,
  shownSteps,
} from '../support/live-world.js';
import { blockedConnections } from '../support/loopback-only.js';

/**
 * The live check that follows an apply, end to end over the real bot: the NLB's addresses are loopback
 * addresses where a stand-in proxy listens (live-world.ts), with certificates of a test CA the bot trusts
 * through NODE_EXTRA_CA_CERTS, and the DNS stand-in answers the host.
 */

const HOST = 'billing.example.com';
const ON_NLB = { [HOST]: { cname: SAMPLE_NLB_DNS } };
const RESOLVED = { status: 'pass', text: `${HOST} is a CNAME to the NLB (${SAMPLE_NLB_DNS}).` } as const;
const TAKEN_UP = { status: 'pass', text: `The ingress controller took the Ingress up (status.loadBalancer: ${SAMPLE_NLB_DNS}).` } as const;

let pki: LivePki;
beforeAll(async () => {
  pki = await createLivePki();
});

describe('the live check after an apply (Ingress mode)', () => {
  const start = harnessPerTest();
  const startLive = async (options: LiveWorldOptions = {}) => {
    const live = liveWorld(pki, options);
    const h = await start(live.harness);
    return { h, world: live.world() };
  };

  /** An admin's /expose and Apply; the response_url of the click, where the follow-ups go. */
  async function applyAsAdmin(h: Harness, text = `${HOST} team-a/billing:http`, host = HOST): Promise<string> {
    const preview = await command(h, '/expose', text, ADMIN);
    const pressed = await h.press(preview.message, 'Apply', ADMIN);
    const answer = await clickAnswer(h, pressed.responseUrl);
    expect(answer.text).toContain(`the Ingress \`team-a/${host}\` is written`);
    return pressed.responseUrl;
  }

  const trusted = (port: number, addresses: readonly string[] = NLB_ADDRESSES) =>
    expect.stringMatching(
      new RegExp(
        `^${addresses.map((address) => `${address.replaceAll('.', '\\.')}:${port}`).join(', ')}: a trusted certificate for ${HOST}, valid until \\d{4}-\\d\\d-\\d\\d\\.$`,
      ),
    );
  const answered = (port: number, addresses: readonly string[] = NLB_ADDRESSES) =>
    expect.stringMatching(
      new RegExp(
        `^The route answers ${HOST}: ${addresses.map((address) => `${address.replaceAll('.', '\\.')}:${port} HTTP 200 in \\d+ ms`).join(', ')}\\.$`,
      ),
    );

  it('follows an Apply with every step passing when the host is live, on the listener’s port of every NLB address', async () => {
    const blockedBefore = blockedConnections().length;
    const { h, world } = await startLive({ dns: ON_NLB });
    const { port } = world.proxy;
    expect(port).not.toBe(443);
    const responseUrl = await applyAsAdmin(h, `${HOST} team-a/billing:http /api`);
    const followUp = await h.response(responseUrl);
    // A new message to the clicker, next to the answer (which replaced the preview).
    expect(followUp.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.slack.messages.at(-1)).toMatchObject({ channel: CHANNEL, ephemeralTo: ADMIN, via: 'response_url' });
    expect(headerOf(followUp.body)).toBe(`Reachable: ${HOST}`);
    const text = messageText(followUp.body);
    expect(text).toContain(`*${HOST}* answers through the shared NLB, path \`/api\`.`);
    expect(shownSteps(followUp.body)).toEqual({
      Route: TAKEN_UP,
      DNS: RESOLVED,
      TLS: { status: 'pass', text: trusted(port) },
      HTTP: { status: 'pass', text: answered(port) },
    });
    expect(text).toContain(`addresses \`127.0.0.1\`, \`127.0.0.2\` · TLS ports ${port}`);
    expect(text).toContain(`\`/check ${HOST} /api\` again`);

    // On each address: the host, then a host nobody routes over a connection with the same SNI, both GET /api.
    const requests = world.proxy.requests.map(({ address, servername, host, path, status }) => ({
      address,
      servername,
      host,
      path,
      status,
    }));
    for (const address of NLB_ADDRESSES) {
      expect(requests.filter((request) => request.address === address)).toEqual([
        { address, servername: HOST, host: HOST, path: '/api', status: 200 },
        { address, servername: HOST, host: expect.stringMatching(/^nlb-bot-probe-[0-9a-f]+\.invalid$/), path: '/api', status: 404 },
      ]);
    }
    // The port came from DescribeListeners; nothing was dialled but loopback.
    expect(h.aws.calls.some((call) => call.action === 'DescribeListeners')).toBe(true);
    expect(blockedConnections().slice(blockedBefore)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('says a host that does not resolve yet is checked again, and follows up once its record appears', async () => {
    const { h, world } = await startLive();
    const responseUrl = await applyAsAdmin(h);
    const first = await h.response(responseUrl);
    expect(headerOf(first.body)).toBe(`Not reachable yet: ${HOST}`);
    expect(shownSteps(first.body)).toEqual({
      Route: TAKEN_UP,
      DNS: {
        status: 'fail',
        text:
          `${HOST} does not resolve yet.\n→ Point ${HOST} at the NLB with a CNAME record \`${HOST}\` → \`${SAMPLE_NLB_DNS}\`; ` +
          'a new record may take a few minutes to reach partners’ resolvers.',
      },
      // The probes dial the NLB's addresses, so they do not wait for DNS.
      TLS: { status: 'pass', text: trusted(world.proxy.port) },
      HTTP: { status: 'pass', text: answered(world.proxy.port) },
    });
    expect(messageText(first.body)).toContain('The host does not resolve yet: the bot checks again');
    expect(messageText(first.body)).toContain('(`/unexpose` stops it)');

    h.dns.records.set(HOST, { cname: SAMPLE_NLB_DNS });
    const last = await h.response(responseUrl, 8000);
    expect(headerOf(last.body)).toBe(`Reachable: ${HOST}`);
    expect(shownSteps(last.body).DNS).toEqual(RESOLVED);
    expect(messageText(last.body)).toMatch(/Checked again for \d+ s after the first report\./);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('waits for the controller to report on the Ingress (ingress-nginx does about once a minute), then follows up', async () => {
    const { h } = await startLive({ dns: ON_NLB, ingressController: false });
    const responseUrl = await applyAsAdmin(h);
    const first = await h.response(responseUrl);
    expect(shownSteps(first.body)).toMatchObject({
      Route: {
        status: 'fail',
        text: expect.stringMatching(/^The Ingress has no status\.loadBalancer yet: no ingress controller has reported taking it up\./),
      },
      DNS: RESOLVED,
      TLS: { status: 'pass' },
      HTTP: { status: 'pass' },
    });
    expect(messageText(first.body)).toContain('The controller has not reported taking the route up yet: the bot checks again');

    // The controller's periodic status sync, as ingress-nginx's.
    h.kube.store.modify('networking.k8s.io/v1', 'Ingress', 'team-a', HOST, (ingress) => {
      ingress['status'] = { loadBalancer: { ingress: [{ hostname: SAMPLE_NLB_DNS }] } };
    });
    const last = await h.response(responseUrl, 8000);
    expect(headerOf(last.body)).toBe(`Reachable: ${HOST}`);
    expect(shownSteps(last.body).Route).toEqual(TAKEN_UP);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('reports once more, and stops, when the host still does not resolve at the end of the wait', async () => {
    const { h, world } = await startLive({ timing: { firstDelayMs: 0, retryDelayMs: 100, retryForMs: 500 } });
    const responseUrl = await applyAsAdmin(h);
    const first = await h.response(responseUrl);
    expect(shownSteps(first.body).DNS?.status).toBe('fail');
    const listenersAtFirst = h.aws.count('DescribeListeners');
    const last = await h.response(responseUrl, 8000);
    // The retries read DNS and the route only: the listeners are read again by the last check's probes alone.
    expect(h.aws.count('DescribeListeners')).toBe(listenersAtFirst + 1);
    expect(headerOf(last.body)).toBe(`Not reachable yet: ${HOST}`);
    expect(shownSteps(last.body).DNS?.text).toContain(`${HOST} does not resolve yet.`);
    expect(messageText(last.body)).toMatch(
      new RegExp(`Checked again for \\d+ s, but the host does not resolve yet: the bot stopped checking\\. Run \`/check ${HOST}\``),
    );
    // The retries asked DNS again; the NLB was probed by the first check and the last only: two rounds of two
    // connections (the host's request, then the unknown host's) per address.
    expect(h.dns.questions.filter((question) => question.name === HOST && question.type === 'A').length).toBeGreaterThan(3);
    expect(world.proxy.connections).toHaveLength(2 * 2 * NLB_ADDRESSES.length);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('fails the TLS step when the certificate does not cover the host, naming the names it covers', async () => {
    const { h, world } = await startLive({ dns: ON_NLB, certificates: [pki.otherNames] });
    const followUp = await h.response(await applyAsAdmin(h));
    const { port } = world.proxy;
    expect(headerOf(followUp.body)).toBe(`Not reachable yet: ${HOST}`);
    expect(messageText(followUp.body)).toContain(`${HOST} is not reachable yet: tls failed.`);
    expect(shownSteps(followUp.body)).toMatchObject({
      Route: TAKEN_UP,
      DNS: RESOLVED,
      TLS: {
        status: 'fail',
        text:
          `127.0.0.1:${port}, 127.0.0.2:${port}: the certificate covers shop.example.org, *.shop.example.org, not ${HOST}.\n` +
          `→ Attach an ACM certificate that covers ${HOST} to the NLB’s TLS listener (an extra SNI certificate will do).`,
      },
      HTTP: { status: 'pass' },
    });
    // The SNI was the host's; the proxy had no certificate for it and presented its default.
    expect(world.proxy.connections.every((connection) => connection.servername === HOST)).toBe(true);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('fails the HTTP step when the proxy answers the host with its fallback, as it answers a host nobody routes', async () => {
    const { h, world } = await startLive({ dns: ON_NLB, serves: new Set() });
    const followUp = await h.response(await applyAsAdmin(h));
    const { port } = world.proxy;
    expect(messageText(followUp.body)).toContain(`${HOST} is not reachable yet: http failed.`);
    expect(shownSteps(followUp.body)).toEqual({
      Route: TAKEN_UP,
      DNS: RESOLVED,
      TLS: { status: 'pass', text: trusted(port) },
      HTTP: {
        status: 'fail',
        text:
          `127.0.0.1:${port}, 127.0.0.2:${port}: ${HOST} got the answer an unknown host gets (HTTP 404): ` +
          'the proxy’s fallback answered, not the route.\n→ The proxy does not serve the route: check the route step ' +
          'and the route’s host; a new route may take a few seconds to load.',
      },
    });
    expect(world.proxy.requests.map((request) => request.status)).toEqual([404, 404, 404, 404]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('names the NLB address that fails and says the other works', async () => {
    // Only 127.0.0.1 listens: the NLB's second address (127.0.0.2) refuses connections.
    const { h, world } = await startLive({ dns: ON_NLB, listening: ['127.0.0.1'] });
    const followUp = await h.response(await applyAsAdmin(h));
    const { port } = world.proxy;
    expect(messageText(followUp.body)).toContain(`${HOST} is not reachable yet: tls failed.`);
    expect(shownSteps(followUp.body)).toEqual({
      Route: TAKEN_UP,
      DNS: RESOLVED,
      TLS: {
        status: 'fail',
        text:
          `127.0.0.2:${port}: connection refused, ECONNREFUSED; 127.0.0.1:${port} works.\n` +
          '→ Only 127.0.0.2 fails: check the NLB’s targets in that Availability Zone with /health.',
      },
      HTTP: { status: 'pass', text: answered(port, ['127.0.0.1']) },
    });
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('posts the check in the approval request’s thread after Approve', async () => {
    const { h } = await startLive({ dns: ON_NLB });
    const preview = await command(h, '/expose', `${HOST} team-a/billing:http`, DEVELOPER);
    await clickAnswer(h, (await h.press(preview.message, 'Request approval', DEVELOPER)).responseUrl);
    const [request] = h.slack.channelMessages(ALERT_CHANNEL);
    if (request === undefined) throw new Error('no approval request in the alert channel');
    await clickAnswer(h, (await h.press(request, 'Approve', ADMIN)).responseUrl);
    await clicksDone(h, 'expose_approve');
    const reply = await waitFor(
      () => h.slack.messages.find((message) => message.threadTs === request.ts),
      5000,
      'the live check in the request’s thread',
    );
    expect(reply).toMatchObject({ channel: ALERT_CHANNEL, via: 'chat.postMessage', ephemeralTo: undefined });
    expect(headerOf(reply as unknown as Record<string, unknown>)).toBe(`Reachable: ${HOST}`);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('is cancelled by /unexpose while it waits for DNS: no further follow-up', async () => {
    const { h } = await startLive({ timing: { firstDelayMs: 0, retryDelayMs: 100, retryForMs: 2500 } });
    const responseUrl = await applyAsAdmin(h);
    const first = await h.response(responseUrl);
    expect(messageText(first.body)).toContain('The host does not resolve yet: the bot checks again');

    const confirm = await command(h, '/unexpose', HOST, ADMIN);
    const removed = await clickAnswer(h, (await h.press(confirm.message, 'Remove', ADMIN)).responseUrl);
    expect(removed.text).toContain(`Removed \`${HOST}\``);
    const [line] = await clicksDone(h, 'unexpose_remove');
    expect(line).toMatchObject({ host: HOST, result: 'removed', liveCheck: 'cancelled' });
    // Were the check still running, the record now in place would end it with a follow-up at its next retry.
    h.dns.records.set(HOST, { cname: SAMPLE_NLB_DNS });

    // A second host, exposed after the removal, waits out the whole window (its DNS never appears): its last
    // report comes after the first host's window ended too, so the first host's last report would be there.
    const second = 'invoices.example.com';
    const secondUrl = await applyAsAdmin(h, `${second} team-a/billing:http`, second);
    expect(messageText((await h.response(secondUrl)).body)).toContain('the bot checks again');
    expect(messageText((await h.response(secondUrl, 8000)).body)).toContain('the bot stopped checking');

    const firstId = responseUrl.split('/').pop();
    // The click's answer and the first follow-up; nothing after the removal.
    expect(h.slack.responses.filter((post) => post.id === firstId)).toHaveLength(2);
    expect(slackMessageProblems(h)).toEqual([]);
  });
});
