/**
 * How an NLB with instance targets sees the cluster: every node is a target (on the Service's node
 * port), and its health follows from the Service's externalTrafficPolicy (README.md, Troubleshooting,
 * "Only one target is healthy"). Pure: the sandbox feeds it the Kubernetes state and writes the answer into the AWS
 * stand-in, so the bot reads target health through the real DescribeTargetHealth.
 */

export type TrafficPolicy = 'Local' | 'Cluster';

export interface SimulatedNode {
  readonly name: string;
  readonly ready: boolean;
}

export interface SimulatedControllerPod {
  readonly nodeName: string;
  readonly ready: boolean;
}

export interface SimulatedTargetHealth {
  readonly state: 'healthy' | 'unhealthy';
  readonly reason?: 'Target.FailedHealthChecks';
  readonly description?: string;
}

export interface HealthCheckSettings {
  readonly protocol: 'HTTP' | 'TCP';
  readonly port: string;
  readonly path: string | undefined;
}

const FAILED: SimulatedTargetHealth = { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
const HEALTHY: SimulatedTargetHealth = { state: 'healthy' };

/** The health of each node as a target, by node name. */
export function simulateTargetHealth(
  policy: TrafficPolicy,
  nodes: readonly SimulatedNode[],
  controllerPods: readonly SimulatedControllerPod[],
): Map<string, SimulatedTargetHealth> {
  const readyNodes = new Set(nodes.filter((node) => node.ready).map((node) => node.name));
  // A pod on a NotReady node does not serve, whatever its own condition still says.
  const servingPods = controllerPods.filter((pod) => pod.ready && readyNodes.has(pod.nodeName));
  const health = new Map<string, SimulatedTargetHealth>();
  for (const node of nodes) {
    if (!node.ready) {
      health.set(node.name, FAILED);
    } else if (policy === 'Local') {
      // Local: the node's /healthz on the healthCheckNodePort answers 200 only with a local endpoint.
      health.set(node.name, servingPods.some((pod) => pod.nodeName === node.name) ? HEALTHY : FAILED);
    } else {
      // Cluster: kube-proxy forwards to a controller pod on any node; with none at all it refuses the connection.
      health.set(node.name, servingPods.length > 0 ? HEALTHY : FAILED);
    }
  }
  return health;
}

/** The target group's health check that goes with a policy. */
export function healthCheckFor(policy: TrafficPolicy, healthCheckNodePort: number | undefined): HealthCheckSettings {
  if (policy === 'Local') return { protocol: 'HTTP', port: String(healthCheckNodePort ?? 'traffic-port'), path: '/healthz' };
  return { protocol: 'TCP', port: 'traffic-port', path: undefined };
}
