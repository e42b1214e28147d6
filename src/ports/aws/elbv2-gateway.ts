import {
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  paginateDescribeListenerCertificates,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LoadBalancer, ResourceTags } from '../../domain/load-balancer.js';
import type { TargetDescription, TargetGroupDescription } from '../../domain/target-group-health.js';
import { toAwsUserError } from './aws-errors.js';
import { collectPages as collect } from './collect-pages.js';

export interface Listener {
  readonly arn: string;
  readonly port: number;
  readonly protocol: string;
  readonly sslPolicy: string | undefined;
  readonly targetGroupArns: readonly string[];
}

export interface ListenerCertificate {
  readonly arn: string;
  readonly isDefault: boolean;
}

/** The domain's target group, plus the load balancers it serves. */
export interface TargetGroup extends TargetGroupDescription {
  readonly loadBalancerArns: readonly string[];
}

/** The domain's target, plus ELBv2's own description of its state. */
export interface TargetHealth extends TargetDescription {
  readonly description: string | undefined;
}

/** The ELBv2 read calls the bot makes. manifests/iam-policy.json grants exactly these. */
export interface Elbv2Reader {
  describeLoadBalancersByName(names: readonly string[]): Promise<LoadBalancer[]>;
  describeAllLoadBalancers(): Promise<LoadBalancer[]>;
  describeTags(arns: readonly string[]): Promise<ResourceTags[]>;
  describeListeners(loadBalancerArn: string): Promise<Listener[]>;
  describeListenerCertificates(listenerArn: string): Promise<ListenerCertificate[]>;
  describeTargetGroups(loadBalancerArn: string): Promise<TargetGroup[]>;
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
}

const TAGS_PER_CALL = 20;

export class Elbv2Gateway implements Elbv2Reader {
  constructor(private readonly client: ElasticLoadBalancingV2Client) {}

  async describeLoadBalancersByName(names: readonly string[]): Promise<LoadBalancer[]> {
    try {
      const output = await this.client.send(new DescribeLoadBalancersCommand({ Names: [...names] }));
      return (output.LoadBalancers ?? []).map(toLoadBalancer);
    } catch (error) {
      // Asking by name is a shortcut; "no such name" simply means the caller pages through all of them.
      if (error instanceof Error && error.name === 'LoadBalancerNotFoundException') return [];
      throw toAwsUserError(error, 'DescribeLoadBalancers');
    }
  }

  async describeAllLoadBalancers(): Promise<LoadBalancer[]> {
    return collect('DescribeLoadBalancers', paginateDescribeLoadBalancers({ client: this.client }, {}), (page) =>
      (page.LoadBalancers ?? []).map(toLoadBalancer),
    );
  }

  async describeTags(arns: readonly string[]): Promise<ResourceTags[]> {
    const result: ResourceTags[] = [];
    for (let start = 0; start < arns.length; start += TAGS_PER_CALL) {
      const chunk = arns.slice(start, start + TAGS_PER_CALL);
      const output = await this.client
        .send(new DescribeTagsCommand({ ResourceArns: chunk }))
        .catch((error: unknown) => Promise.reject(toAwsUserError(error, 'DescribeTags')));
      for (const description of output.TagDescriptions ?? []) {
        const tags: Record<string, string> = {};
        for (const tag of description.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
        result.push({ arn: description.ResourceArn ?? '', tags });
      }
    }
    return result;
  }

  async describeListeners(loadBalancerArn: string): Promise<Listener[]> {
    return collect('DescribeListeners', paginateDescribeListeners({ client: this.client }, { LoadBalancerArn: loadBalancerArn }), (page) =>
      (page.Listeners ?? []).map((listener) => ({
        arn: listener.ListenerArn ?? '',
        port: listener.Port ?? 0,
        protocol: listener.Protocol ?? 'unknown',
        sslPolicy: listener.SslPolicy,
        targetGroupArns: (listener.DefaultActions ?? []).flatMap((action) => [
          ...(action.TargetGroupArn === undefined ? [] : [action.TargetGroupArn]),
          ...(action.ForwardConfig?.TargetGroups ?? []).flatMap((group) =>
            group.TargetGroupArn === undefined || group.TargetGroupArn === action.TargetGroupArn ? [] : [group.TargetGroupArn],
          ),
        ]),
      })),
    );
  }

  async describeListenerCertificates(listenerArn: string): Promise<ListenerCertificate[]> {
    return collect(
      'DescribeListenerCertificates',
      paginateDescribeListenerCertificates({ client: this.client }, { ListenerArn: listenerArn }),
      (page) =>
        (page.Certificates ?? []).flatMap((certificate) =>
          certificate.CertificateArn === undefined ? [] : [{ arn: certificate.CertificateArn, isDefault: certificate.IsDefault === true }],
        ),
    );
  }

  async describeTargetGroups(loadBalancerArn: string): Promise<TargetGroup[]> {
    return collect(
      'DescribeTargetGroups',
      paginateDescribeTargetGroups({ client: this.client }, { LoadBalancerArn: loadBalancerArn }),
      (page) =>
        (page.TargetGroups ?? []).map((group) => ({
          arn: group.TargetGroupArn ?? '',
          name: group.TargetGroupName ?? '',
          port: group.Port,
          protocol: group.Protocol,
          targetType: group.TargetType,
          healthCheck: { protocol: group.HealthCheckProtocol, port: group.HealthCheckPort, path: group.HealthCheckPath },
          loadBalancerArns: group.LoadBalancerArns ?? [],
        })),
    );
  }

  async describeTargetHealth(targetGroupArn: string): Promise<TargetHealth[]> {
    try {
      const output = await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      return (output.TargetHealthDescriptions ?? []).map((description) => ({
        id: description.Target?.Id ?? '',
        port: description.Target?.Port,
        availabilityZone: description.Target?.AvailabilityZone,
        state: description.TargetHealth?.State ?? 'unknown',
        reason: description.TargetHealth?.Reason,
        description: description.TargetHealth?.Description,
      }));
    } catch (error) {
      throw toAwsUserError(error, 'DescribeTargetHealth');
    }
  }
}

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: lb.DNSName ?? '',
    type: lb.Type ?? 'unknown',
    scheme: lb.Scheme ?? 'unknown',
    state: lb.State?.Code ?? 'unknown',
    vpcId: lb.VpcId,
    zones: (lb.AvailabilityZones ?? []).map((zone) => ({
      name: zone.ZoneName ?? 'unknown',
      subnetId: zone.SubnetId,
      addresses: (zone.LoadBalancerAddresses ?? []).map((address) => ({
        publicIp: address.IpAddress,
        allocationId: address.AllocationId,
        privateIp: address.PrivateIPv4Address,
        ipv6: address.IPv6Address,
      })),
    })),
    ...(lb.CanonicalHostedZoneId === undefined ? {} : { canonicalHostedZoneId: lb.CanonicalHostedZoneId }),
  };
}
