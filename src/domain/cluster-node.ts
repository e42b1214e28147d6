/** A Kubernetes node as the health check needs it: its name and the EC2 instance behind it. */
export interface ClusterNode {
  readonly name: string;
  readonly instanceId: string | undefined;
  readonly zone: string | undefined;
}

/** A pod of the proxy behind the NLB (selected by its Service's selector): an ingress controller, a Gateway's data plane. */
export interface ControllerPod {
  readonly name: string;
  readonly nodeName: string | undefined;
  readonly podIp: string | undefined;
  /** Running and Ready: kube-proxy counts only such pods as local endpoints of a node. */
  readonly ready: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/** Nodes that run at least one ready controller pod. */
export function nodesWithReadyController(pods: readonly ControllerPod[]): Set<string> {
  return new Set(pods.flatMap((pod) => (pod.ready && pod.nodeName !== undefined ? [pod.nodeName] : [])));
}
