import { LRUCache } from 'lru-cache';
import type { ControllerService } from '../domain/controller-service.js';
import type { GatewaySummary } from '../domain/gateway.js';
import { isTaggedForService, type LoadBalancer, loadBalancerNameFromDnsName, sameDnsName } from '../domain/load-balancer.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { Elbv2Reader } from '../ports/aws/elbv2-gateway.js';
import type { EdgeEntrance } from './edge-entrance.js';

export interface SharedNlb {
  readonly service: ControllerService;
  readonly loadBalancer: LoadBalancer;
  /** Gateway mode: the shared Gateway the NLB was found through. */
  readonly gateway?: GatewaySummary;
}

/** What a lookup of the NLB goes by: its DNS name when published, the Service's tags otherwise. */
interface LookupContext {
  readonly hostname: string | undefined;
  readonly service: { readonly namespace: string; readonly name: string };
}

export interface SharedNlbLocatorOptions {
  /** Where the proxy's Service and the NLB's DNS name are found: by name, or through the Gateway. */
  readonly entrance: EdgeEntrance;
  readonly elbv2: Elbv2Reader;
  readonly region: string;
  /** How long a found load balancer is reused without asking AWS again. */
  readonly cacheTtlMs: number;
  readonly now?: () => number;
}

/**
 * Finds the NLB in front of the ingress controller: the Service's status.loadBalancer hostname is the
 * NLB's DNSName; the tags the AWS provider or the AWS Load Balancer Controller write are the fallback.
 * The Service is read on every call (cheap, and it notices a re-created NLB); the load balancer is
 * cached by DNS name, because its addresses are static.
 */
export class SharedNlbLocator {
  /** Found load balancers by the Service's hostname (or its tags); one lookup per key at a time. */
  private readonly cache: LRUCache<string, LoadBalancer, LookupContext>;

  constructor(private readonly options: SharedNlbLocatorOptions) {
    this.cache = new LRUCache<string, LoadBalancer, LookupContext>({
      max: 4,
      ttl: options.cacheTtlMs,
      ttlResolution: 0,
      perf: { now: options.now ?? Date.now },
      fetchMethod: (_key, _stale, { context }) => this.find(context.hostname, context.service),
    });
  }

  async locate(): Promise<SharedNlb> {
    const { service, dnsName: hostname, gateway } = await this.options.entrance.find();
    const key = hostname?.toLowerCase() ?? `tags:${service.namespace}/${service.name}`;
    const loadBalancer = await this.cache.fetch(key, { context: { hostname, service } });
    if (loadBalancer === undefined) throw new Error('the NLB lookup was abandoned');
    return gateway === undefined ? { service, loadBalancer } : { service, loadBalancer, gateway };
  }

  /** Forgets the cached load balancers, so the next call asks AWS again. */
  invalidate(): void {
    this.cache.clear();
  }

  private async find(hostname: string | undefined, { namespace, name }: { namespace: string; name: string }): Promise<LoadBalancer> {
    const { elbv2, region } = this.options;
    let all: LoadBalancer[] | undefined;
    let found: LoadBalancer | undefined;
    if (hostname !== undefined) {
      const guess = loadBalancerNameFromDnsName(hostname);
      if (guess !== undefined) {
        found = (await elbv2.describeLoadBalancersByName([guess])).find((lb) => sameDnsName(lb.dnsName, hostname));
      }
      if (found === undefined) {
        all = await elbv2.describeAllLoadBalancers();
        found = all.find((lb) => sameDnsName(lb.dnsName, hostname));
      }
    }
    if (found === undefined) {
      all ??= await elbv2.describeAllLoadBalancers();
      const candidates = all.filter((lb) => lb.type === 'network');
      const tags = candidates.length === 0 ? [] : await elbv2.describeTags(candidates.map((lb) => lb.arn));
      const tagged = tags.find((entry) => isTaggedForService(entry, namespace, name));
      found = candidates.find((lb) => lb.arn === tagged?.arn);
    }
    if (found === undefined) throw notFound(hostname, region, `${namespace}/${name}`);
    if (found.type !== 'network') {
      throw new UserFacingError(
        ErrorCode.NotNetworkLoadBalancer,
        `The load balancer ${found.name} in front of ${namespace}/${name} is of type ${found.type}, not a Network Load Balancer.`,
        'Set service.beta.kubernetes.io/aws-load-balancer-type: nlb on the controller Service; only an NLB has static IPs.',
      );
    }
    return found;
  }
}

function notFound(hostname: string | undefined, region: string, service: string): UserFacingError {
  if (hostname === undefined) {
    return new UserFacingError(
      ErrorCode.NoLoadBalancer,
      `The Service ${service} has no load balancer yet: status.loadBalancer.ingress is empty and no NLB in ${region} is tagged for it.`,
      `The load balancer may still be provisioning. Check \`kubectl -n ${service.split('/')[0]} describe service ` +
        `${service.split('/')[1]}\` for events from the cloud provider.`,
    );
  }
  // Classic (and Application) load balancers are named <name>-<id>.<region>.elb.amazonaws.com;
  // NLBs are <name>-<id>.elb.<region>.amazonaws.com.
  const classic = /\.[a-z]{2}(-[a-z]+)+-\d\.elb\.amazonaws\.com\.?$/i.test(hostname);
  return new UserFacingError(
    ErrorCode.NlbNotFound,
    `No Network Load Balancer in ${region} has the DNS name ${hostname} (the address of ${service}).`,
    classic
      ? 'That name belongs to a Classic Load Balancer: set ' +
          'service.beta.kubernetes.io/aws-load-balancer-type: nlb on the controller Service.'
      : 'Check AWS_REGION and that the bot’s AWS credentials belong to the cluster’s account.',
  );
}
