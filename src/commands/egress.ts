import { LRUCache } from 'lru-cache';
import { type EgressReport, egressReport } from '../domain/egress.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { Ec2Reader } from '../ports/aws/ec2-gateway.js';

export interface EgressDependencies {
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  /** Made on first use: the EC2 client is large and only /ips egress needs it. */
  readonly ec2: () => Promise<Pick<Ec2Reader, 'describeEgressNetwork'>>;
}

export interface EgressResult {
  readonly vpcId: string;
  readonly loadBalancer: { readonly name: string; readonly dnsName: string };
  readonly report: EgressReport;
}

/** /ips egress: the public IPs the cluster's traffic leaves from, the NAT gateways' Elastic IPs of the NLB's VPC. */
export async function getEgress(deps: EgressDependencies): Promise<EgressResult> {
  const { loadBalancer } = await deps.locator.locate();
  if (loadBalancer.vpcId === undefined) {
    throw new UserFacingError(
      ErrorCode.AwsRefused,
      `ELBv2 gave no VPC for the NLB ${loadBalancer.name}, so its NAT gateways cannot be found.`,
    );
  }
  const ec2 = await deps.ec2();
  const report = egressReport(await ec2.describeEgressNetwork(loadBalancer.vpcId));
  return { vpcId: loadBalancer.vpcId, loadBalancer: { name: loadBalancer.name, dnsName: loadBalancer.dnsName }, report };
}

const KEY = 'egress';

/** Kept like /ips's answer: NAT gateways change rarely; concurrent callers share one read; a failed read is not kept. */
export class EgressCache {
  private readonly cache: LRUCache<typeof KEY, EgressResult>;

  constructor(deps: EgressDependencies, options: { readonly ttlMs: number; readonly now?: () => number }) {
    this.cache = new LRUCache<typeof KEY, EgressResult>({
      max: 1,
      ttl: options.ttlMs,
      ttlResolution: 0,
      perf: { now: options.now ?? Date.now },
      fetchMethod: () => getEgress(deps),
    });
  }

  /** The cached result while it is fresh, without any call: /ips egress answers it in the acknowledgement. */
  peek(): EgressResult | undefined {
    return this.cache.get(KEY);
  }

  async get(): Promise<EgressResult> {
    const result = await this.cache.fetch(KEY);
    if (result === undefined) throw new Error('the /ips egress read was abandoned');
    return result;
  }
}
