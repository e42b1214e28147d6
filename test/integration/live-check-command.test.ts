import { beforeAll, describe, expect, it } from '@jest/globals';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { command } from '../support/expose-steps.js';
import { slackMessageProblems } from '../support/gateway-world.js';
import { DEVELOPER, harnessPerTest } from '../support/harness.js';
import { createLivePki, headerOf, type LivePki, liveWorld, shownSteps } from '../support/live-world.js';

/** /check <host> [<path>]: the same live check, on demand, for any host and anyone (it only reads). */

const ROUTED = {
  'orders.example.com': { cname: SAMPLE_NLB_DNS },
  'reports.example.com': { cname: SAMPLE_NLB_DNS },
};

let pki: LivePki;
beforeAll(async () => {
  pki = await createLivePki();
});

describe('/check', () => {
  const start = harnessPerTest();
  const startLive = async () => {
    // No live check follows anything here: only /check runs one.
    const live = liveWorld(pki, { dns: ROUTED, timing: { firstDelayMs: 24 * 3_600_000, retryDelayMs: 60_000, retryForMs: 0 } });
    const h = await start(live.harness);
    return { h, world: live.world() };
  };

  it('answers anyone with the steps for a host the bot exposed, and for one it did not write', async () => {
    const { h, world } = await startLive();
    const { port } = world.proxy;
    const ours = await command(h, '/check', 'Orders.Example.com', DEVELOPER);
    expect(ours.message.ephemeralTo).toBe(DEVELOPER);
    expect(headerOf(ours.message as unknown as Record<string, unknown>)).toBe('Reachable: orders.example.com');
    expect(shownSteps(ours.message as unknown as Record<string, unknown>)).toEqual({
      Route: { status: 'pass', text: `The ingress controller took the Ingress up (status.loadBalancer: ${SAMPLE_NLB_DNS}).` },
      DNS: { status: 'pass', text: `orders.example.com is a CNAME to the NLB (${SAMPLE_NLB_DNS}).` },
      TLS: {
        status: 'pass',
        text: expect.stringContaining(`127.0.0.1:${port}, 127.0.0.2:${port}: a trusted certificate for orders.example.com`),
      },
      HTTP: { status: 'pass', text: expect.stringContaining(`The route answers orders.example.com: 127.0.0.1:${port} HTTP 200 in`) },
    });

    // team-b's own Ingress (not the bot's), with a path: the same steps, the path asked on every address.
    const theirs = await command(h, '/check', 'reports.example.com /status', DEVELOPER);
    expect(headerOf(theirs.message as unknown as Record<string, unknown>)).toBe('Reachable: reports.example.com');
    expect(theirs.text).toContain('answers through the shared NLB, path `/status`.');
    expect(theirs.text).toContain('`/check reports.example.com /status` again');
    const reports = world.proxy.requests.filter((request) => request.servername === 'reports.example.com');
    expect(reports.map((request) => [request.address, request.path])).toEqual([
      ['127.0.0.1', '/status'],
      ['127.0.0.2', '/status'],
      ['127.0.0.1', '/status'],
      ['127.0.0.2', '/status'],
    ]);
    expect(reports.filter((request) => request.host === 'reports.example.com')).toHaveLength(2);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('says what fails for a host nothing routes: the route, DNS and the proxy’s fallback answer', async () => {
    const { h, world } = await startLive();
    const { port } = world.proxy;
    const answer = await command(h, '/check', 'nobody.example.com', DEVELOPER);
    expect(answer.text).toContain('nobody.example.com is not reachable yet: route, dns, http failed.');
    expect(shownSteps(answer.message as unknown as Record<string, unknown>)).toEqual({
      Route: {
        status: 'fail',
        text:
          'No Ingress of the shared ingress class routes nobody.example.com.\n→ Expose nobody.example.com with /expose ' +
          '(or check the host’s spelling): the proxy answers it with its fallback.',
      },
      DNS: { status: 'fail', text: expect.stringMatching(/^nobody\.example\.com does not resolve yet\.\n→ Point nobody\.example\.com/) },
      TLS: { status: 'pass', text: expect.stringContaining('a trusted certificate for nobody.example.com') },
      HTTP: {
        status: 'fail',
        text: expect.stringContaining(
          `127.0.0.1:${port}, 127.0.0.2:${port}: nobody.example.com got the answer an unknown host gets (HTTP 404)`,
        ),
      },
    });
    // /check answers once: it never waits for DNS (that is the follow-up's job).
    expect(answer.text).not.toContain('checks again');
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('explains itself for help and for no argument', async () => {
    const { h } = await startLive();
    for (const text of ['help', '', 'HELP']) {
      const answer = await command(h, '/check', text, DEVELOPER);
      // Escaped for mrkdwn: Slack shows `/check <host> [<path>]`.
      expect(answer.text).toContain('`/check &lt;host&gt; [&lt;path&gt;]`');
      expect(answer.text).toContain('checks, live, whether partners can reach a host through the shared NLB');
      expect(answer.text).toContain('Anyone can use it; it only reads.');
    }
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('refuses bad input clearly, and probes nothing for it', async () => {
    const { h, world } = await startLive();
    const cases: Array<[string, string]> = [
      ['https://api.example.com', 'starts with a scheme (https://): give the host name alone.'],
      ['api.example.com:8443', 'contains a port'],
      ['10.0.0.1', 'is an IP address: give the DNS name partners will use.'],
      ['api', 'is not a fully qualified name'],
      ['api.example.com status', 'The path `status` must start with `/`.'],
      ['api.example.com /a?b=1', 'contains `?`, which is not allowed in a path.'],
      ['api.example.com /one /two', '`/check` takes a host name and, optionally, a path.'],
    ];
    for (const [text, expected] of cases) {
      const answer = await command(h, '/check', text, DEVELOPER);
      expect(answer.text).toContain(expected);
      expect(answer.text).not.toContain('Reachable');
    }
    expect(world.proxy.connections).toEqual([]);
    expect(h.dns.questions.filter((question) => question.name.startsWith('api'))).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });
});
