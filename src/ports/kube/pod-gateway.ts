import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { ControllerPod } from '../../domain/cluster-node.js';
import type { CallMeter } from '../../metrics.js';
import { listAllPages } from './kube-call.js';

export interface PodReader {
  /** The pods a Service selects: one list call in its namespace with the selector as labelSelector. */
  listSelectedPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<ControllerPod[]>;
}

export class PodGateway implements PodReader {
  constructor(
    private readonly core: CoreV1Api,
    private readonly metrics: CallMeter,
  ) {}

  async listSelectedPods(namespace: string, selector: Readonly<Record<string, string>>): Promise<ControllerPod[]> {
    const labelSelector = Object.entries(selector)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    // A Service without a selector selects no pod; an empty labelSelector would list them all.
    if (labelSelector === '') return [];
    return listAllPages(
      this.metrics,
      'listNamespacedPod',
      (page) => this.core.listNamespacedPod({ namespace, labelSelector, ...page }),
      toControllerPod,
      `the Pods in ${namespace} selected by ${labelSelector}`,
    );
  }
}

export function toControllerPod(pod: V1Pod): ControllerPod {
  const ready = pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
  return {
    name: pod.metadata?.name ?? '',
    nodeName: pod.spec?.nodeName,
    podIp: pod.status?.podIP,
    ready: pod.status?.phase === 'Running' && ready && pod.metadata?.deletionTimestamp === undefined,
    labels: pod.metadata?.labels ?? {},
  };
}
