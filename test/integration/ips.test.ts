import { describe, expect, it } from '@jest/globals';
import { SAMPLE_CONTROLLER, SAMPLE_NLB_DNS, sampleLoadBalancer, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { fakeClock } from '../support/alert-world.js';
import { type HarnessOptions, harnessPerTest, messageText, waitFor } from '../support/harness.js';

describe('/ips', () => {
  const start = harnessPerTest();

  async function ips(options: HarnessOptions, text = '') {
    const harness = await start(options);
    const sent = await harness.slash('/ips', text);
    expect(sent.status).toBe(200);
    const answer = await harness.response(sent.responseUrl);
    return { harness, answer, text: messageText(answer.body), blocks: answer.body['blocks'] as Array<{ type: string }> };
  }

  it('answers with the Elastic IPs, allocation IDs and private IPs of an NLB in two zones', async () => {
    const { answer, text, blocks } = await ips({ seed: seedSampleWorld });
    expect(answer.body['response_type']).toBe('ephemeral');
    expect(text).toContain(SAMPLE_NLB_DNS);
    expect(text).toContain('internet-facing');
    for (const expected of [
      'eu-west-1a',
      'eu-west-1b',
      '52.17.10.100',
      '52.17.11.101',
      'eipalloc-01a2b3c4d5e6f7a8b',
      'eipalloc-02a2b3c4d5e6f7a8b',
      '10.0.1.200',
      '10.0.2.201',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Elastic IPs/);
    expect(text).not.toContain('Warning:');
    expect(blocks.map((block) => block.type)).toEqual(expect.arrayContaining(['header', 'section', 'context', 'divider']));
    expect(blocks.some((block) => 'fields' in block)).toBe(true);
  });

  it('ends with a block to copy for the partner: /32 CIDRs, 443 and 80, and the hosts served', async () => {
    const { text } = await ips({ seed: seedSampleWorld });
    const copyBlock = /```([\s\S]*?)```/.exec(text)?.[1] ?? '';
    expect(copyBlock).toContain('52.17.10.100/32');
    expect(copyBlock).toContain('52.17.11.101/32');
    expect(copyBlock).toContain('443/tcp (HTTPS)');
    expect(copyBlock).toContain('80/tcp (HTTP, redirects to HTTPS)');
    expect(copyBlock).toContain('orders.example.com');
    expect(copyBlock).toContain('reports.example.com');
  });

  it('carries every IP in the plain-text fallback', async () => {
    const { answer } = await ips({ seed: seedSampleWorld });
    const fallback = String(answer.body['text']);
    for (const ip of ['52.17.10.100', '52.17.11.101', '10.0.1.200', '10.0.2.201']) expect(fallback).toContain(ip);
  });

  it('warns when the addresses are not Elastic IPs', async () => {
    const { text, answer } = await ips({ seed: (kube, aws) => seedSampleWorld(kube, aws, { elasticIps: false }) });
    expect(text).toMatch(/^Warning: these are not Elastic IPs/m);
    expect(text).toMatch(/re-created/);
    expect(text).not.toContain('eipalloc-');
    expect(String(answer.body['text'])).toContain('Warning: these are not Elastic IPs');
  });

  it('says so when the controller Service has no load balancer yet', async () => {
    const { text } = await ips({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        aws.loadBalancers.length = 0;
        kube.modify('v1', 'Service', SAMPLE_CONTROLLER.namespace, SAMPLE_CONTROLLER.name, (service) => {
          service['status'] = { loadBalancer: {} };
        });
      },
    });
    expect(text).toContain('has no load balancer yet');
    expect(text).toContain('status.loadBalancer.ingress is empty');
  });

  it('says which Service is missing and which variable names it', async () => {
    const { text } = await ips({ seed: seedSampleWorld, env: { INGRESS_CONTROLLER_SERVICE: 'ingress-nginx/no-such-controller' } });
    expect(text).toContain('ingress-nginx/no-such-controller does not exist');
    expect(text).toContain('INGRESS_CONTROLLER_SERVICE');
  });

  it('says so when no NLB has the Service’s DNS name', async () => {
    const { text } = await ips({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        aws.loadBalancers.length = 0;
      },
    });
    expect(text).toContain(`No Network Load Balancer in eu-west-1 has the DNS name ${SAMPLE_NLB_DNS}`);
    expect(text).toContain('AWS_REGION');
  });

  it('recognises a Classic Load Balancer by its DNS name', async () => {
    const { text } = await ips({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        aws.loadBalancers.length = 0;
        kube.modify('v1', 'Service', SAMPLE_CONTROLLER.namespace, SAMPLE_CONTROLLER.name, (service) => {
          service['status'] = { loadBalancer: { ingress: [{ hostname: 'a0123456789-1234567890.eu-west-1.elb.amazonaws.com' }] } };
        });
      },
    });
    expect(text).toContain('Classic Load Balancer');
    expect(text).toContain('aws-load-balancer-type: nlb');
  });

  it('explains an AWS access error without a stack trace', async () => {
    const harness = await start({ seed: seedSampleWorld });
    harness.aws.fail((call) =>
      call.action === 'DescribeLoadBalancers'
        ? { status: 403, code: 'AccessDenied', message: 'User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers' }
        : undefined,
    );
    const denied = await harness.slash('/ips', '');
    const answer = messageText((await harness.response(denied.responseUrl)).body);
    expect(answer).toContain('AWS refused DescribeLoadBalancers (AccessDenied)');
    expect(answer).toContain('iam-policy.json');
    expect(answer).not.toMatch(/\n\s+at /);
    expect(answer).not.toContain('.ts:');
  });

  it('finds the NLB by its tags when the Service shows no hostname', async () => {
    const { text, harness } = await ips({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        kube.modify('v1', 'Service', SAMPLE_CONTROLLER.namespace, SAMPLE_CONTROLLER.name, (service) => {
          service['status'] = { loadBalancer: {} };
        });
      },
    });
    expect(text).toContain('52.17.10.100/32');
    expect(harness.aws.count('DescribeTags')).toBe(1);
  });

  it('pages through every load balancer when the name in the DNS name does not match', async () => {
    const harness = await start({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        const [shared] = aws.loadBalancers.splice(0);
        for (let index = 0; index < 45; index += 1) {
          const other = sampleLoadBalancer();
          aws.loadBalancers.push({
            ...other,
            arn: `${other.arn}-${index}`,
            name: `other-${index}`,
            dnsName: `other-${index}-ffff.elb.eu-west-1.amazonaws.com`,
            tags: {},
          });
        }
        aws.loadBalancers.push({ ...shared!, name: 'renamed-by-hand' });
      },
    });
    harness.aws.pageSize = 10;
    const sent = await harness.slash('/ips', '');
    const text = messageText((await harness.response(sent.responseUrl)).body);
    expect(text).toContain('52.17.10.100/32');
    const pages = harness.aws.calls.filter((call) => call.action === 'DescribeLoadBalancers' && call.params['Marker'] !== undefined);
    expect(pages.length).toBe(4);
  });

  it('answers a repeated /ips from its cache in the acknowledgement itself, with no AWS or Kubernetes call', async () => {
    const { harness } = await ips({ seed: seedSampleWorld });
    const awsCalls = harness.aws.count();
    const kubeCalls = harness.kube.requests.length;
    expect(awsCalls).toBeGreaterThan(0);
    const second = await harness.slash('/ips', '');
    const acknowledged = JSON.parse(second.body) as Record<string, unknown>;
    expect(acknowledged['response_type']).toBe('ephemeral');
    expect(messageText(acknowledged)).toContain('52.17.10.100/32');
    expect(harness.aws.count()).toBe(awsCalls);
    expect(harness.kube.requests.length).toBe(kubeCalls);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.slack.responses).toHaveLength(1);
  });

  it('answers a cached /ips at once once it is older than 30 s, and refreshes it in the background', async () => {
    const clock = fakeClock();
    const { harness } = await ips({ clock, seed: seedSampleWorld });
    harness.kube.store.modify('networking.k8s.io/v1', 'Ingress', 'team-b', 'legacy-reports', (ingress) => {
      (ingress['spec'] as { rules: Array<{ host: string }> }).rules[0]!.host = 'renamed.example.com';
    });
    clock.advance(31_000);
    const stale = JSON.parse((await harness.slash('/ips', '')).body) as Record<string, unknown>;
    expect(messageText(stale)).toContain('reports.example.com');
    await waitFor(() => {
      const next = harness.kube.requests.filter((request) => request.resource === 'ingresses').length;
      return next >= 2;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fresh = JSON.parse((await harness.slash('/ips', '')).body) as Record<string, unknown>;
    expect(messageText(fresh)).toContain('renamed.example.com');
    expect(harness.slack.responses).toHaveLength(1);
  });

  it('reads again, answering through response_url, once the cached answer is older than five minutes', async () => {
    const clock = fakeClock();
    const { harness } = await ips({ clock, seed: seedSampleWorld });
    clock.advance(5 * 60_000 + 1);
    const sent = await harness.slash('/ips', '');
    expect(sent.body).toBe('');
    expect(messageText((await harness.response(sent.responseUrl)).body)).toContain('52.17.10.100/32');
  });

  it('answers that Kubernetes did not answer in time when a call hangs, instead of waiting forever', async () => {
    const harness = await start({ seed: seedSampleWorld, callTimeoutMs: 300 });
    harness.kube.latencyMs = 5_000;
    const started = Date.now();
    const sent = await harness.slash('/ips', '');
    const answer = messageText((await harness.response(sent.responseUrl, 3000)).body);
    expect(answer).toContain(
      'The Kubernetes API did not answer in time when the bot tried to read the Service ingress-nginx/ingress-nginx-controller.',
    );
    expect(answer).not.toContain('readNamespacedService');
    expect(Date.now() - started).toBeLessThan(2500);
    harness.kube.latencyMs = 0;
  });

  it('answers that AWS did not answer in time when every attempt hangs', async () => {
    const harness = await start({ seed: seedSampleWorld, callTimeoutMs: 300 });
    harness.aws.latencyMs = 10_000;
    const sent = await harness.slash('/ips', '');
    const answer = messageText((await harness.response(sent.responseUrl, 8000)).body);
    expect(answer).toContain('AWS did not answer DescribeLoadBalancers in time, even after retries.');
    const line = await waitFor(() => harness.logs.find((entry) => entry['command'] === '/ips' && entry['outcome'] === 'user_error'));
    expect(String(line['cause'])).toMatch(/timeout/i);
  });

  it('answers an unexpected failure with a reference, not with the error', async () => {
    const harness = await start({ seed: seedSampleWorld });
    harness.kube.fail((request) =>
      request.resource === 'services' ? { status: 422, reason: 'Invalid', message: 'secret internal detail' } : undefined,
    );
    const sent = await harness.slash('/ips', '');
    const answer = messageText((await harness.response(sent.responseUrl)).body);
    const reference = /Reference: ([0-9a-f]{8})/.exec(answer)?.[1];
    expect(reference).toBeDefined();
    expect(answer).not.toContain('secret internal detail');
    expect(harness.logs.some((line) => line['errorId'] === reference && line['level'] === 'error')).toBe(true);
  });

  it('explains itself on /ips help and refuses unknown arguments', async () => {
    const harness = await start({ seed: seedSampleWorld });
    const help = await harness.slash('/ips', 'help');
    expect(messageText(JSON.parse(help.body) as Record<string, unknown>)).toContain('static IP addresses');
    expect(harness.aws.count()).toBe(0);
    const odd = await harness.slash('/ips', 'please <!channel>');
    const answer = messageText((await harness.response(odd.responseUrl)).body);
    expect(answer).toContain('takes no arguments');
    expect(answer).not.toContain('<!channel>');
  });

  it('lists private addresses for an internal NLB', async () => {
    const { text } = await ips({
      seed: (kube, aws) => {
        seedSampleWorld(kube, aws);
        const lb = aws.loadBalancers[0]!;
        lb.scheme = 'internal';
        for (const zone of lb.zones)
          for (const address of zone.addresses) {
            delete address.ipAddress;
            delete address.allocationId;
          }
      },
    });
    expect(text).toContain('internal');
    expect(text).toContain('10.0.1.200/32');
    expect(text).not.toContain('Warning:');
  });
});
