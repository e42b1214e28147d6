import { daysUntilExpiry, isImported, type ListenerCertificate } from './certificate.js';
import type { CertificateHealth } from './certificate-alert.js';
import type { ClusterNode, ControllerPod } from './cluster-node.js';
import type { ControllerService } from './controller-service.js';
import type { Diagnosis } from './diagnosis.js';
import type { GatewaySummary } from './gateway.js';
import { type GatewayHealth, gatewayHealth } from './gateway-health.js';
import { diagnose } from './health-diagnosis.js';
import { type Verdict, verdictOf } from './health-verdict.js';
import type { LoadBalancer } from './load-balancer.js';
import { type ProxyKind, proxyKindOf } from './proxy-kind.js';
import {
  assessTargetGroup,
  indexCluster,
  type ListenerRef,
  type TargetDescription,
  type TargetGroupDescription,
  type TargetGroupHealth,
} from './target-group-health.js';

/** Everything one health check read: the NLB, its listeners and groups with their targets, the cluster. */
export interface HealthSnapshot {
  readonly service: ControllerService;
  readonly loadBalancer: LoadBalancer;
  readonly listeners: ReadonlyArray<ListenerRef & { readonly targetGroupArns: readonly string[] }>;
  readonly targetGroups: ReadonlyArray<TargetGroupDescription & { readonly targets: readonly TargetDescription[] }>;
  readonly nodes: readonly ClusterNode[];
  readonly pods: readonly ControllerPod[];
  readonly certificates: readonly ListenerCertificate[];
  readonly checkedAt: Date;
  /** Gateway mode: the shared Gateway the NLB was found through. */
  readonly gateway?: GatewaySummary;
}

/** The answer of /health and the input of the alerts. */
export interface HealthReport {
  readonly checkedAt: Date;
  readonly loadBalancer: { readonly name: string; readonly dnsName: string; readonly zones: readonly string[] };
  readonly controllerService: string;
  readonly externalTrafficPolicy: string | undefined;
  readonly verdict: Verdict;
  /** In listener port order; groups behind no listener last. */
  readonly groups: readonly TargetGroupHealth[];
  readonly diagnoses: readonly Diagnosis[];
  readonly certificates: readonly CertificateHealth[];
  /** What runs behind the NLB (named from its pods' labels), and whether it is still maintained. */
  readonly proxy: ProxyKind;
  /** Gateway mode: the Gateway's conditions and attached routes. */
  readonly gateway?: GatewayHealth;
}

export function assessHealth(snapshot: HealthSnapshot): HealthReport {
  const cluster = indexCluster(snapshot.nodes, snapshot.pods);
  const groups = snapshot.targetGroups
    .map((group) => {
      const listeners = snapshot.listeners
        .filter((listener) => listener.targetGroupArns.includes(group.arn))
        .map(({ protocol, port }) => ({ protocol, port }))
        .sort((a, b) => a.port - b.port);
      return assessTargetGroup(group, listeners, group.targets, cluster);
    })
    .sort(
      (a, b) =>
        (a.listeners[0]?.port ?? Number.MAX_SAFE_INTEGER) - (b.listeners[0]?.port ?? Number.MAX_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
  const zones = snapshot.loadBalancer.zones.map((zone) => zone.name);
  return {
    checkedAt: snapshot.checkedAt,
    loadBalancer: { name: snapshot.loadBalancer.name, dnsName: snapshot.loadBalancer.dnsName, zones },
    controllerService: `${snapshot.service.namespace}/${snapshot.service.name}`,
    externalTrafficPolicy: snapshot.service.externalTrafficPolicy,
    verdict: verdictOf(groups.map((group) => group.status)),
    groups,
    diagnoses: diagnose({ service: snapshot.service, loadBalancerZones: zones, groups, pods: snapshot.pods }),
    certificates: certificateHealth(snapshot.certificates, snapshot.checkedAt),
    proxy: proxyKindOf(snapshot.service.selector, snapshot.pods),
    ...(snapshot.gateway === undefined ? {} : { gateway: gatewayHealth(snapshot.gateway) }),
  };
}

/** One entry per certificate, with every TLS listener port it is attached to. */
function certificateHealth(attached: readonly ListenerCertificate[], now: Date): CertificateHealth[] {
  const byArn = new Map<string, CertificateHealth>();
  for (const { certificate, listenerPort, isDefault } of attached) {
    const seen = byArn.get(certificate.arn);
    byArn.set(certificate.arn, {
      arn: certificate.arn,
      domainName: certificate.domainName,
      names: certificate.names,
      status: certificate.status,
      type: certificate.type,
      imported: isImported(certificate),
      notAfter: certificate.notAfter,
      daysLeft: daysUntilExpiry(certificate, now),
      listenerPorts: [...new Set([...(seen?.listenerPorts ?? []), listenerPort])].sort((a, b) => a - b),
      isDefault: (seen?.isDefault ?? false) || isDefault,
    });
  }
  return [...byArn.values()];
}
