import { beforeAll, describe, expect, it } from '@jest/globals';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, command } from '../support/expose-steps.js';
import { foreignRoute, HTTP_ROUTE, slackMessageProblems } from '../support/gateway-world.js';
import { ADMIN, DEVELOPER, harnessPerTest } from '../support/harness.js';
import { createLivePki, headerOf, type LivePki, liveWorld, shownSteps } from '../support/live-world.js';

/** Gateway mode: the route step reads the HTTPRoute's status (Accepted, ResolvedRefs) for the shared Gateway. */

const HOST = 'billing.example.com';
const BROKEN = 'broken.example.com';

let pki: LivePki;
beforeAll(async () => {
  pki = await createLivePki();
});

describe('the live check in Gateway mode', () => {
  const start = harnessPerTest();

  it('follows an Apply with the HTTPRoute accepted by the Gateway, and every other step passing', async () => {
    const live = liveWorld(pki, { mode: 'gateway', dns: { [HOST]: { cname: SAMPLE_NLB_DNS } } });
    const h = await start(live.harness);
    const { port } = live.world().proxy;
    const preview = await command(h, '/expose', `${HOST} team-a/billing:http`, ADMIN);
    const pressed = await h.press(preview.message, 'Apply', ADMIN);
    expect((await clickAnswer(h, pressed.responseUrl)).text).toContain(`the HTTPRoute \`team-a/${HOST}\``);
    expect(h.kube.store.get(...HTTP_ROUTE, 'team-a', HOST)).toBeDefined();

    const followUp = await h.response(pressed.responseUrl);
    expect(headerOf(followUp.body)).toBe(`Reachable: ${HOST}`);
    expect(shownSteps(followUp.body)).toEqual({
      Route: { status: 'pass', text: 'The Gateway accepted the HTTPRoute and resolved its backends.' },
      DNS: { status: 'pass', text: `${HOST} is a CNAME to the NLB (${SAMPLE_NLB_DNS}).` },
      TLS: { status: 'pass', text: expect.stringContaining(`127.0.0.1:${port}, 127.0.0.2:${port}: a trusted certificate for ${HOST}`) },
      HTTP: { status: 'pass', text: expect.stringContaining(`The route answers ${HOST}: 127.0.0.1:${port} HTTP 200 in`) },
    });
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('reads a hand-written route’s status by its own parentRef when the bot pins GATEWAY_LISTENER', async () => {
    const HAND = 'hand.example.com';
    const live = liveWorld(pki, {
      mode: 'gateway',
      env: { GATEWAY_LISTENER: 'https' },
      dns: { [HAND]: { cname: SAMPLE_NLB_DNS } },
      // No sectionName: the route attaches to every listener that admits it, and its status entry says so.
      objects: [foreignRoute('HTTPRoute', 'team-b', 'hand', [HAND])],
      timing: { firstDelayMs: 24 * 3_600_000, retryDelayMs: 60_000, retryForMs: 0 },
    });
    const h = await start(live.harness);
    await h.gatewayController?.settled();
    const checked = await command(h, '/check', HAND, DEVELOPER);
    expect(shownSteps(checked.message as unknown as Record<string, unknown>).Route).toEqual({
      status: 'pass',
      text: 'The Gateway accepted the HTTPRoute and resolved its backends.',
    });
  });

  it('fails the route step with the Gateway’s reason for a route whose backend is missing, and names no HTTPRoute for an unrouted host', async () => {
    const live = liveWorld(pki, {
      mode: 'gateway',
      dns: { [BROKEN]: { cname: SAMPLE_NLB_DNS } },
      objects: [foreignRoute('HTTPRoute', 'team-b', 'broken', [BROKEN], { service: 'missing' })],
      timing: { firstDelayMs: 24 * 3_600_000, retryDelayMs: 60_000, retryForMs: 0 },
    });
    const h = await start(live.harness);
    await h.gatewayController?.settled();
    const broken = await command(h, '/check', BROKEN, DEVELOPER);
    const route = shownSteps(broken.message as unknown as Record<string, unknown>).Route;
    expect(route?.status).toBe('fail');
    expect(route?.text).toMatch(
      /^The Gateway refused the HTTPRoute: BackendNotFound \(.*missing.*\)\.\n→ The backend Service or its port does not exist/,
    );

    const nobody = await command(h, '/check', 'nobody.example.com', DEVELOPER);
    expect(shownSteps(nobody.message as unknown as Record<string, unknown>).Route).toEqual({
      status: 'fail',
      text:
        'No HTTPRoute attached to the shared Gateway routes nobody.example.com.\n→ Expose nobody.example.com with /expose ' +
        '(or check the host’s spelling): the proxy answers it with its fallback.',
    });
    expect(slackMessageProblems(h)).toEqual([]);
  });
});
