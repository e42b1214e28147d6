import type { LimitFunction } from 'p-limit';
import { assessHealth, type HealthReport } from '../domain/health-report.js';
import { readListenerCertificates } from '../nlb/read-listener-certificates.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { AcmReader } from '../ports/aws/acm-gateway.js';
import type { Elbv2Reader } from '../ports/aws/elbv2-gateway.js';
import type { NodeReader } from '../ports/kube/node-gateway.js';
import type { PodReader } from '../ports/kube/pod-gateway.js';

export interface HealthDependencies {
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly elbv2: Pick<Elbv2Reader, 'describeListeners' | 'describeListenerCertificates' | 'describeTargetGroups' | 'describeTargetHealth'>;
  readonly acm: AcmReader;
  readonly nodes: NodeReader;
  readonly pods: PodReader;
  readonly now: () => Date;
}

/** How one read is bounded: the limiter its AWS calls share, and a signal that abandons it. */
export interface HealthReadBounds {
  /**
   * Bounds the AWS calls in flight. /health and the alert poll each have their own, so the poll never
   * waits behind /health.
   */
  readonly awsLimit: LimitFunction;
  /** Once aborted, calls still waiting for the limiter are dropped (the read is given up). */
  readonly signal?: AbortSignal;
}

/**
 * /health and every alert poll: one snapshot of the shared NLB and the cluster, judged by the domain.
 * AWS: DescribeListeners once, DescribeTargetGroups once, DescribeTargetHealth once per target group,
 * DescribeListenerCertificates once per TLS listener, DescribeCertificate once per distinct
 * certificate (plus DescribeLoadBalancers when the locator's cache is cold). Kubernetes: the controller
 * Service (read by the locator), one list of Nodes, one list of the controller's Pods.
 */
export async function getHealth(deps: HealthDependencies, { awsLimit, signal }: HealthReadBounds): Promise<HealthReport> {
  signal?.throwIfAborted();
  const { service, loadBalancer, gateway } = await deps.locator.locate();
  // A read given up at its deadline must not leave a queue of calls behind in the limiter.
  const limited = <T>(call: () => Promise<T>) =>
    awsLimit(() => {
      signal?.throwIfAborted();
      return call();
    });
  signal?.throwIfAborted();
  const [listeners, groups, nodes, pods] = await Promise.all([
    limited(() => deps.elbv2.describeListeners(loadBalancer.arn)),
    limited(() => deps.elbv2.describeTargetGroups(loadBalancer.arn)),
    deps.nodes.listNodes(),
    deps.pods.listSelectedPods(service.namespace, service.selector),
  ]);
  const [targetGroups, certificates] = await Promise.all([
    Promise.all(groups.map(async (group) => ({ ...group, targets: await limited(() => deps.elbv2.describeTargetHealth(group.arn)) }))),
    readListenerCertificates(loadBalancer, {
      // The listeners are already read; the certificate reads share the same bound.
      elbv2: {
        describeListeners: async () => listeners,
        describeListenerCertificates: (arn) => limited(() => deps.elbv2.describeListenerCertificates(arn)),
      },
      acm: { describeCertificate: (arn) => limited(() => deps.acm.describeCertificate(arn)) },
    }),
  ]);
  const snapshot = { service, loadBalancer, listeners, targetGroups, nodes, pods, certificates, checkedAt: deps.now() };
  return assessHealth(gateway === undefined ? snapshot : { ...snapshot, gateway });
}
