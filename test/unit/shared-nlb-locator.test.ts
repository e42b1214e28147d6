import { describe, expect, it } from '@jest/globals';
import type { ControllerService } from '../../src/domain/controller-service.js';
import type { LoadBalancer } from '../../src/domain/load-balancer.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { IngressControllerEntrance } from '../../src/nlb/edge-entrance.js';
import { SharedNlbLocator } from '../../src/nlb/shared-nlb-locator.js';
import type { Elbv2Reader } from '../../src/ports/aws/elbv2-gateway.js';

const dns = 'shared-0123.elb.eu-west-1.amazonaws.com';
const lb: LoadBalancer = {
  arn: 'arn:lb',
  name: 'shared',
  dnsName: dns,
  type: 'network',
  scheme: 'internet-facing',
  state: 'active',
  vpcId: 'vpc',
  zones: [],
};
const service: ControllerService = {
  namespace: 'ingress-nginx',
  name: 'c',
  type: 'LoadBalancer',
  externalTrafficPolicy: 'Cluster',
  healthCheckNodePort: undefined,
  selector: {},
  ports: [],
  annotations: {},
  labels: {},
  loadBalancerHostnames: [dns],
};

function fakeElbv2(loadBalancers: LoadBalancer[]): Elbv2Reader & { calls: string[] } {
  const calls: string[] = [];
  const unused = () => Promise.reject(new Error('not used'));
  return {
    calls,
    describeLoadBalancersByName: async (names) => {
      calls.push(`byName:${names.join(',')}`);
      return loadBalancers.filter((candidate) => names.includes(candidate.name));
    },
    describeAllLoadBalancers: async () => {
      calls.push('all');
      return loadBalancers;
    },
    describeTags: async () => {
      calls.push('tags');
      return [];
    },
    describeListeners: unused,
    describeListenerCertificates: unused,
    describeTargetGroups: unused,
    describeTargetHealth: unused,
  };
}

function locator(elbv2: Elbv2Reader, now: () => number, found: ControllerService | undefined = service) {
  return new SharedNlbLocator({
    entrance: new IngressControllerEntrance(
      { readService: async () => found, listLabelled: async () => [] },
      { namespace: 'ingress-nginx', name: 'c' },
    ),
    elbv2,
    region: 'eu-west-1',
    cacheTtlMs: 1000,
    now,
  });
}

describe('finding the shared NLB', () => {
  it('asks by the name in the DNS name first, and caches for the TTL', async () => {
    let clock = 1_000_000;
    const elbv2 = fakeElbv2([lb]);
    const subject = locator(elbv2, () => clock);
    expect((await subject.locate()).loadBalancer).toBe(lb);
    clock += 999;
    await subject.locate();
    expect(elbv2.calls).toEqual(['byName:shared']);
    clock += 2;
    await subject.locate();
    expect(elbv2.calls).toEqual(['byName:shared', 'byName:shared']);
  });

  it('shares one lookup between concurrent callers', async () => {
    const elbv2 = fakeElbv2([lb]);
    const subject = locator(elbv2, () => 0);
    await Promise.all([subject.locate(), subject.locate(), subject.locate()]);
    expect(elbv2.calls).toEqual(['byName:shared']);
  });

  it('refuses a load balancer that is not an NLB', async () => {
    const elbv2 = fakeElbv2([{ ...lb, type: 'application' }]);
    await expect(locator(elbv2, () => 0).locate()).rejects.toMatchObject({ code: ErrorCode.NotNetworkLoadBalancer });
  });

  it('refuses a Service that is not of type LoadBalancer', async () => {
    const error = await locator(fakeElbv2([lb]), () => 0, { ...service, type: 'NodePort' })
      .locate()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).message).toContain('type NodePort');
  });

  it('does not cache a failure', async () => {
    const loadBalancers: LoadBalancer[] = [];
    const elbv2 = fakeElbv2(loadBalancers);
    const subject = locator(elbv2, () => 0);
    await expect(subject.locate()).rejects.toMatchObject({ code: ErrorCode.NlbNotFound });
    loadBalancers.push(lb);
    await expect(subject.locate()).resolves.toMatchObject({ loadBalancer: lb });
  });
});
