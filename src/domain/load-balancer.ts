/** The shared NLB as the bot sees it: the ELBv2 description reduced to what commands use. */
export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly dnsName: string;
  readonly type: string;
  readonly scheme: string;
  readonly state: string;
  readonly vpcId: string | undefined;
  readonly zones: readonly AvailabilityZone[];
  /** The Route 53 zone of dnsName (ELBv2's CanonicalHostedZoneId): an alias record to the NLB names it. */
  readonly canonicalHostedZoneId?: string;
}

export interface AvailabilityZone {
  readonly name: string;
  readonly subnetId: string | undefined;
  readonly addresses: readonly ZoneAddress[];
}

export interface ZoneAddress {
  /** The public address partners connect to (internet-facing NLBs only). */
  readonly publicIp: string | undefined;
  /** Set when publicIp is an Elastic IP: it then survives re-creating the NLB. */
  readonly allocationId: string | undefined;
  readonly privateIp: string | undefined;
  readonly ipv6: string | undefined;
}

export interface ResourceTags {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The load balancer name is the DNS name's first label without the trailing "-<hash>":
 * "k8s-ingress-abc-0123456789abcdef.elb.eu-west-1.amazonaws.com" -> "k8s-ingress-abc".
 * Lets the bot ask ELBv2 for one load balancer by name before it pages through all of them.
 */
export function loadBalancerNameFromDnsName(dnsName: string): string | undefined {
  const firstLabel = dnsName.toLowerCase().replace(/\.$/, '').split('.')[0] ?? '';
  const cut = firstLabel.lastIndexOf('-');
  if (cut <= 0) return undefined;
  const name = firstLabel.slice(0, cut);
  // ELBv2 names: 1-32 characters, alphanumerics and hyphens, not starting with "internal-".
  return /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(name) ? name : undefined;
}

/** DNS names compare case-insensitively and without a trailing dot. */
export function sameDnsName(a: string, b: string): boolean {
  const normalise = (value: string) => value.trim().toLowerCase().replace(/\.$/, '');
  return normalise(a) === normalise(b);
}

/**
 * Tags that tie a load balancer to a Kubernetes Service: the in-tree AWS provider writes
 * kubernetes.io/service-name, the AWS Load Balancer Controller writes service.k8s.aws/stack.
 */
export function isTaggedForService(tags: ResourceTags, namespace: string, name: string): boolean {
  const wanted = `${namespace}/${name}`;
  return tags.tags['kubernetes.io/service-name'] === wanted || tags.tags['service.k8s.aws/stack'] === wanted;
}
