import { describe, expect, it } from '@jest/globals';
import pLimit from 'p-limit';
import { getHealth, type HealthDependencies } from '../../src/commands/health.js';
import type { TargetGroup, TargetHealth } from '../../src/ports/aws/elbv2-gateway.js';

const NLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/nlb/1';

function world(groups: number) {
  const targetHealthCalls: string[] = [];
  const hung: Array<() => void> = [];
  let hangNext = 0;
  const deps: HealthDependencies = {
    locator: {
      locate: async () => ({
        service: {
          namespace: 'ingress-nginx',
          name: 'ingress-nginx-controller',
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Cluster',
          healthCheckNodePort: undefined,
          selector: { app: 'ingress-nginx' },
          ports: [],
          annotations: {},
          labels: {},
          loadBalancerHostnames: ['nlb.example'],
        },
        loadBalancer: {
          arn: NLB_ARN,
          name: 'nlb',
          dnsName: 'nlb.example',
          type: 'network',
          scheme: 'internet-facing',
          state: 'active',
          vpcId: undefined,
          zones: [],
        },
      }),
    },
    elbv2: {
      describeListeners: async () => [],
      describeListenerCertificates: async () => [],
      describeTargetGroups: async () =>
        Array.from(
          { length: groups },
          (_, index): TargetGroup => ({
            arn: `tg-${index}`,
            name: `tg-${index}`,
            port: 30080,
            protocol: 'TCP',
            targetType: 'instance',
            healthCheck: { protocol: 'TCP', port: undefined, path: undefined },
            loadBalancerArns: [NLB_ARN],
          }),
        ),
      describeTargetHealth: (arn) => {
        targetHealthCalls.push(arn);
        if (hangNext > 0) {
          hangNext -= 1;
          return new Promise<TargetHealth[]>((resolve) => hung.push(() => resolve([])));
        }
        return Promise.resolve([]);
      },
    },
    acm: { describeCertificate: async () => Promise.reject(new Error('no certificate here')) },
    nodes: { listNodes: async () => [] },
    pods: { listSelectedPods: async () => [] },
    now: () => new Date('2026-11-01T10:00:00Z'),
  };
  return {
    deps,
    targetHealthCalls,
    hung,
    hang(calls: number) {
      hangNext = calls;
    },
  };
}

describe('one read of the NLB’s health', () => {
  it('makes no more AWS calls once it is given up: calls waiting for the limiter are dropped', async () => {
    const nlb = world(5);
    const awsLimit = pLimit(2);
    const abandon = new AbortController();
    nlb.hang(2);
    const read = getHealth(nlb.deps, { awsLimit, signal: abandon.signal });
    read.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(nlb.targetHealthCalls).toEqual(['tg-0', 'tg-1']);
    abandon.abort();
    // The hung calls end at last; the three that waited behind them are not sent.
    for (const release of nlb.hung) release();
    await expect(read).rejects.toThrow();
    expect(nlb.targetHealthCalls).toEqual(['tg-0', 'tg-1']);
    // The next read gets the limiter's slots for its own calls.
    const next = await getHealth(nlb.deps, { awsLimit, signal: new AbortController().signal });
    expect(next.groups).toHaveLength(5);
    expect(nlb.targetHealthCalls.slice(2)).toEqual(['tg-0', 'tg-1', 'tg-2', 'tg-3', 'tg-4']);
  });
});
