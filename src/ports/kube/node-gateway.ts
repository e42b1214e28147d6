import type { CoreV1Api, V1Node } from '@kubernetes/client-node';
import type { ClusterNode } from '../../domain/cluster-node.js';
import { parseProviderId } from '../../domain/provider-id.js';
import type { CallMeter } from '../../metrics.js';
import { listAllPages } from './kube-call.js';

export interface NodeReader {
  /** Every node of the cluster, read as pages of one list (never one call per node). */
  listNodes(): Promise<ClusterNode[]>;
}

export class NodeGateway implements NodeReader {
  constructor(
    private readonly core: CoreV1Api,
    private readonly metrics: CallMeter,
  ) {}

  async listNodes(): Promise<ClusterNode[]> {
    return listAllPages(this.metrics, 'listNode', (page) => this.core.listNode(page), toClusterNode, 'the Nodes of the cluster');
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
