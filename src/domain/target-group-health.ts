import type { ClusterNode, ControllerPod } from './cluster-node.js';
import { describeTargetState, type TargetCondition, targetCondition } from './target-reason.js';

/** healthy: every target serves; degraded: some targets are down; down: no target serves. */
export type HealthStatus = 'healthy' | 'degraded' | 'down';

export interface ListenerRef {
  readonly protocol: string;
  readonly port: number;
}

/** A target group as ELBv2 describes it (DescribeTargetGroups), reduced to what the health check shows. */
export interface TargetGroupDescription {
  readonly arn: string;
  readonly name: string;
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  readonly targetType: string | undefined;
  readonly healthCheck: { readonly protocol: string | undefined; readonly port: string | undefined; readonly path: string | undefined };
}

/** One entry of DescribeTargetHealth. */
export interface TargetDescription {
  readonly id: string;
  readonly port: number | undefined;
  readonly availabilityZone: string | undefined;
  readonly state: string;
  readonly reason: string | undefined;
}

export interface TargetHealthView {
  readonly id: string;
  readonly port: number | undefined;
  readonly zone: string | undefined;
  /** The Kubernetes node behind an instance target (matched by spec.providerID) or running an IP target's pod. */
  readonly nodeName: string | undefined;
  /** IP targets: the controller pod with that IP. */
  readonly podName: string | undefined;
  readonly state: string;
  readonly reason: string | undefined;
  readonly condition: TargetCondition;
  /** The state and reason in words. */
  readonly explanation: string;
}

export interface TargetGroupHealth extends TargetGroupDescription {
  readonly listeners: readonly ListenerRef[];
  readonly healthy: number;
  readonly total: number;
  readonly status: HealthStatus;
  readonly targets: readonly TargetHealthView[];
}

export interface ClusterIndex {
  readonly nodesByInstanceId: ReadonlyMap<string, ClusterNode>;
  readonly podsByIp: ReadonlyMap<string, ControllerPod>;
}

export function indexCluster(nodes: readonly ClusterNode[], pods: readonly ControllerPod[]): ClusterIndex {
  return {
    nodesByInstanceId: new Map(nodes.flatMap((node) => (node.instanceId === undefined ? [] : [[node.instanceId, node] as const]))),
    podsByIp: new Map(pods.flatMap((pod) => (pod.podIp === undefined ? [] : [[pod.podIp, pod] as const]))),
  };
}

export function assessTargetGroup(
  group: TargetGroupDescription,
  listeners: readonly ListenerRef[],
  targets: readonly TargetDescription[],
  cluster: ClusterIndex,
): TargetGroupHealth {
  const views = targets.map((target) => viewTarget(group, target, cluster));
  const healthy = views.filter((view) => view.condition === 'healthy').length;
  const failing = views.filter((view) => view.condition === 'failing').length;
  return { ...group, listeners, healthy, total: views.length, status: groupStatus(healthy, failing), targets: views };
}

/** A group with no serving target is down (also when it has no target at all); any failing target makes it degraded. */
export function groupStatus(healthy: number, failing: number): HealthStatus {
  if (healthy === 0) return 'down';
  return failing > 0 ? 'degraded' : 'healthy';
}

function viewTarget(group: TargetGroupDescription, target: TargetDescription, cluster: ClusterIndex): TargetHealthView {
  const pod = group.targetType === 'ip' ? cluster.podsByIp.get(target.id) : undefined;
  const node = group.targetType === 'instance' ? cluster.nodesByInstanceId.get(target.id) : undefined;
  return {
    id: target.id,
    port: target.port,
    zone: target.availabilityZone ?? node?.zone,
    nodeName: node?.name ?? pod?.nodeName,
    podName: pod?.name,
    state: target.state,
    reason: target.reason,
    condition: targetCondition(target.state),
    explanation: describeTargetState(target.state, target.reason),
  };
}
