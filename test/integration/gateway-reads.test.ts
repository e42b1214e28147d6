import { describe, expect, it } from '@jest/globals';
import {
  SAMPLE_DATA_PLANE_SERVICE,
  SAMPLE_ENVOY_NAMESPACE,
  SAMPLE_GATEWAY_CONTROLLER_NAME,
} from '../../dev/stand-ins/sample-gateway-world.js';
import { SAMPLE_NLB_DNS, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { clickAnswer, command, kubeWrites } from '../support/expose-steps.js';
import { foreignRoute, GATEWAY_MODE, seedGatewayWorldWith, slackMessageProblems } from '../support/gateway-world.js';
import { ADMIN, DEVELOPER, harnessPerTest } from '../support/harness.js';

const DATA_PLANE = `${SAMPLE_ENVOY_NAMESPACE}/${SAMPLE_DATA_PLANE_SERVICE}`;
const RETIRED = 'The proxy behind this NLB is ingress-nginx, which is retired: its maintenance ended in March 2026';

function occurrences(text: string, phrase: string): number {
  return text.split(phrase).length - 1;
}

describe('/ips in Gateway mode', () => {
  const start = harnessPerTest({
    ...GATEWAY_MODE,
    // A route on another Gateway: its host is not served on the shared NLB's addresses.
    seed: seedGatewayWorldWith({
      ...foreignRoute('HTTPRoute', 'team-b', 'elsewhere', ['elsewhere.example.com']),
      spec: { parentRefs: [{ namespace: 'edge', name: 'internal' }], hostnames: ['elsewhere.example.com'], rules: [{}] },
    }),
  });

  it('lists the NLB’s Elastic IPs and, in the copy block, the hostnames the Gateway serves', async () => {
    const h = await start();
    const { text } = await command(h, '/ips', '', DEVELOPER);
    expect(text).toContain(`DNS name: \`${SAMPLE_NLB_DNS}\``);
    for (const expected of ['52.17.10.100', '52.17.11.101', 'eipalloc-01a2b3c4d5e6f7a8b', 'eipalloc-02a2b3c4d5e6f7a8b', '10.0.1.200']) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('These are *Elastic IPs*');
    const copyBlock = /```([\s\S]*?)```/.exec(text)?.[1] ?? '';
    expect(copyBlock).toContain('  52.17.10.100/32\n  52.17.11.101/32\n');
    expect(copyBlock).toContain('443/tcp (HTTPS)');
    expect(copyBlock).toContain('Host names served on these addresses:\n  orders.example.com\n  portal.example.com\n  reports.example.com');
    expect(copyBlock).not.toContain('elsewhere.example.com');
    expect(text).toContain(`\`${DATA_PLANE}\``);
    expect(kubeWrites(h)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('finds the NLB by the Gateway’s address when the data-plane Service does not publish one', async () => {
    const h = await start();
    h.kube.store.modify('v1', 'Service', SAMPLE_ENVOY_NAMESPACE, SAMPLE_DATA_PLANE_SERVICE, (service) => {
      service['status'] = { loadBalancer: {} };
    });
    const { text } = await command(h, '/ips', '', ADMIN);
    expect(text).toContain(`DNS name: \`${SAMPLE_NLB_DNS}\``);
    expect(text).toContain('52.17.10.100/32');
    expect(text).not.toContain('has no load balancer yet');
  });

  it('lists a host as soon as the bot’s HTTPRoute for it is on the Gateway', async () => {
    const h = await start();
    const preview = await command(h, '/expose', 'billing.example.com team-a/billing:http', ADMIN);
    expect((await clickAnswer(h, (await h.press(preview.message, 'Apply', ADMIN)).responseUrl)).text).toContain('is written');
    const { text } = await command(h, '/ips', '', ADMIN);
    expect(/```([\s\S]*?)```/.exec(text)?.[1]).toContain('  billing.example.com\n  orders.example.com\n');
  });
});

describe('/health in Gateway mode', () => {
  const start = harnessPerTest(GATEWAY_MODE);

  it('reads the NLB through the Gateway: its data-plane Service, the Gateway’s state, the Envoy proxy pods', async () => {
    const h = await start();
    const { text } = await command(h, '/health', '', DEVELOPER);
    expect(text).toContain('NLB health: degraded');
    expect(text).toContain(`Service \`${DATA_PLANE}\`, externalTrafficPolicy: Local`);
    expect(text).toContain(':large_green_circle: *Gateway `edge/shared`*: programmed · 4 route(s) attached');
    expect(text).toContain('• listener `https` (HTTP:443, 3 route(s))');
    expect(text).toContain('• listener `http` (HTTP:80, 1 route(s))');
    expect(text).toContain(
      'Only the nodes that run an Envoy proxy pod are healthy, because its Service has `externalTrafficPolicy: Local`.',
    );
    expect(text).toContain('exactly the 2 node(s) without a ready Envoy proxy pod');
    expect(text).toContain('run an Envoy proxy pod on every node (a DaemonSet)');
    expect(text).not.toContain('ingress-nginx');
    expect(occurrences(text, RETIRED)).toBe(0);
    const pods = h.kube.requests.filter((request) => request.resource === 'pods');
    expect(pods.map((request) => [request.verb, request.namespace])).toEqual([['list', SAMPLE_ENVOY_NAMESPACE]]);
    expect(pods[0]?.query['labelSelector']).toContain('gateway.envoyproxy.io/owning-gateway-name=shared');
    expect(h.kube.requests.some((request) => request.resource === 'gateways' && request.name === 'shared')).toBe(true);
    expect(kubeWrites(h)).toEqual([]);
    expect(slackMessageProblems(h)).toEqual([]);
  });

  it('says the Gateway is not programmed, with its controller’s reason, when it has no address', async () => {
    // The controller runs but has no address to give the Gateway: Programmed False, AddressNotAssigned.
    const h = await start({ gatewayController: { controllerName: SAMPLE_GATEWAY_CONTROLLER_NAME } });
    const { text } = await command(h, '/health', '', DEVELOPER);
    expect(text).toContain(
      ':red_circle: *Gateway `edge/shared`*: not programmed. The Gateway edge/shared is not programmed (AddressNotAssigned): ' +
        'No addresses have been assigned to the Gateway · 4 route(s) attached',
    );
    expect(String(h.slack.responses.at(-1)?.body['text'])).toContain('Gateway edge/shared is not programmed.');
  });
});

describe('/health in Ingress mode on ingress-nginx', () => {
  const start = harnessPerTest({ seed: seedSampleWorld });

  it('says once, in a context line, that ingress-nginx is retired', async () => {
    const h = await start();
    const sent = await h.slash('/health', '', { user: DEVELOPER });
    const answer = await h.response(sent.responseUrl);
    const blocks = answer.body['blocks'] as Array<{ type: string; elements?: Array<{ text: string }> }>;
    const notes = blocks.filter((block) => block.type === 'context' && block.elements?.some((element) => element.text.includes(RETIRED)));
    expect(notes).toHaveLength(1);
    expect(occurrences(JSON.stringify(blocks), RETIRED)).toBe(1);
    expect(notes[0]?.elements?.[0]?.text).toContain('Moving off ingress-nginx');
    expect(slackMessageProblems(h)).toEqual([]);
  });
});
