import type { CoreV1Api, V1Node } from '@kubernetes/client-node';
import type { ClusterNode } from '../../domain/cluster-node.js';
import { parseProviderId } from '../../domain/provider-id.js';
import type { Metrics } from '../../metrics.js';
import { kubeCall } from './kube-call.js';

export interface NodeReader {
  /** Every node of the cluster, read as pages of one list (never one call per node). */
  listNodes(): Promise<ClusterNode[]>;
}

const PAGE_SIZE = 500;

export class NodeGateway implements NodeReader {
  constructor(
    private readonly core: CoreV1Api,
    private readonly metrics: Metrics,
  ) {}

  async listNodes(): Promise<ClusterNode[]> {
    const result: ClusterNode[] = [];
    let continueToken: string | undefined;
    do {
      const token = continueToken;
      const page = await kubeCall(this.metrics, 'listNode', () =>
        this.core.listNode({ limit: PAGE_SIZE, ...(token === undefined ? {} : { _continue: token }) }),
      );
      result.push(...page.items.map(toClusterNode));
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken !== undefined);
    return result;
  }
}

export function toClusterNode(node: V1Node): ClusterNode {
  const location = parseProviderId(node.spec?.providerID);
  return {
    name: node.metadata?.name ?? '',
    instanceId: location?.instanceId,
    zone: location?.zone ?? node.metadata?.labels?.['topology.kubernetes.io/zone'],
  };
}
