import { describe, expect, it } from '@jest/globals';
import { IpsCache, type IpsDependencies, type IpsResult } from '../../src/commands/ips.js';
import type { SharedNlb } from '../../src/nlb/shared-nlb-locator.js';

/** An IpsCache over a locator whose reads the test answers one by one, on a clock the test moves. */
function cacheUnderTest() {
  const clock = { t: 5_000_000 };
  const reads: Array<{ resolve: (nlb: SharedNlb) => void; reject: (error: Error) => void }> = [];
  const refreshErrors: unknown[] = [];
  const deps: IpsDependencies = {
    locator: { locate: () => new Promise<SharedNlb>((resolve, reject) => reads.push({ resolve, reject })) },
    routing: { hosts: async () => [] },
  };
  const cache = new IpsCache(deps, {
    freshMs: 30_000,
    staleMs: 300_000,
    now: () => clock.t,
    onRefreshError: (error) => refreshErrors.push(error),
  });
  const nlb = (name: string): SharedNlb =>
    ({
      service: {
        namespace: 'ingress-nginx',
        name: 'controller',
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Cluster',
        healthCheckNodePort: undefined,
        selector: {},
        ports: [],
        annotations: {},
        labels: {},
        loadBalancerHostnames: [],
      },
      loadBalancer: {
        arn: `arn:${name}`,
        name,
        dnsName: `${name}.elb.eu-west-1.amazonaws.com`,
        type: 'network',
        scheme: 'internet-facing',
        state: 'active',
        vpcId: 'vpc-1',
        zones: [],
      },
    }) as SharedNlb;
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { clock, reads, refreshErrors, cache, nlb, settle };
}

const nameOf = (result: IpsResult | undefined) => result?.loadBalancer.name;

describe('the /ips cache', () => {
  it('shares one read between everyone who asks while it runs', async () => {
    const { reads, cache, nlb } = cacheUnderTest();
    const asked = Array.from({ length: 5 }, () => cache.get());
    expect(reads).toHaveLength(1);
    reads[0]!.resolve(nlb('first'));
    expect((await Promise.all(asked)).map(nameOf)).toEqual(Array(5).fill('first'));
  });

  it('answers a fresh result at once, without a read', async () => {
    const { clock, reads, cache, nlb } = cacheUnderTest();
    const first = cache.get();
    reads[0]!.resolve(nlb('first'));
    await first;
    clock.t += 30_000;
    expect(nameOf(cache.peek())).toBe('first');
    expect(reads).toHaveLength(1);
  });

  it('answers a stale result at once and refreshes it in the background, once', async () => {
    const { clock, reads, cache, nlb, settle } = cacheUnderTest();
    const first = cache.get();
    reads[0]!.resolve(nlb('first'));
    await first;
    clock.t += 30_001;
    expect(nameOf(cache.peek())).toBe('first');
    expect(nameOf(cache.peek())).toBe('first');
    await settle();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve(nlb('second'));
    await settle();
    expect(nameOf(cache.peek())).toBe('second');
    expect(reads).toHaveLength(2);
  });

  it('keeps answering the stale result when a refresh fails, and reports the failure', async () => {
    const { clock, reads, refreshErrors, cache, nlb, settle } = cacheUnderTest();
    const first = cache.get();
    reads[0]!.resolve(nlb('first'));
    await first;
    clock.t += 60_000;
    expect(nameOf(cache.peek())).toBe('first');
    await settle();
    reads[1]!.reject(new Error('AWS is away'));
    await settle();
    expect(refreshErrors).toEqual([new Error('AWS is away')]);
    expect(nameOf(cache.peek())).toBe('first');
  });

  it('drops a result past its stale limit: the next caller waits for a read', async () => {
    const { clock, reads, cache, nlb } = cacheUnderTest();
    const first = cache.get();
    reads[0]!.resolve(nlb('first'));
    await first;
    clock.t += 300_000;
    expect(cache.peek()).toBeUndefined();
    const second = cache.get();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve(nlb('second'));
    expect(nameOf(await second)).toBe('second');
  });

  it('does not keep a failed first read', async () => {
    const { reads, cache, nlb } = cacheUnderTest();
    const first = cache.get();
    reads[0]!.reject(new Error('no NLB'));
    await expect(first).rejects.toThrow('no NLB');
    expect(cache.peek()).toBeUndefined();
    const second = cache.get();
    reads[1]!.resolve(nlb('second'));
    expect(nameOf(await second)).toBe('second');
  });
});
