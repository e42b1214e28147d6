import type { CoreV1Api, V1Service } from '@kubernetes/client-node';
import type { ControllerService } from '../../domain/controller-service.js';
import type { CallMeter } from '../../metrics.js';
import { kubeCall, kubeStatus, listAllPages } from './kube-call.js';

export interface ServiceReader {
  /** The Service, or undefined when it does not exist. */
  readService(namespace: string, name: string): Promise<ControllerService | undefined>;
  /** Every Service of the cluster with these labels (a label selector), read as pages of one list. */
  listLabelled(labelSelector: string): Promise<ControllerService[]>;
}

export class ServiceGateway implements ServiceReader {
  constructor(
    private readonly core: CoreV1Api,
    private readonly metrics: CallMeter,
  ) {}

  async readService(namespace: string, name: string): Promise<ControllerService | undefined> {
    try {
      const service = await kubeCall(this.metrics, 'readNamespacedService', () => this.core.readNamespacedService({ namespace, name }), {
        verb: 'read',
        object: `the Service ${namespace}/${name}`,
      });
      return toControllerService(service);
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async listLabelled(labelSelector: string): Promise<ControllerService[]> {
    return listAllPages(
      this.metrics,
      'listServiceForAllNamespaces',
      (page) => this.core.listServiceForAllNamespaces({ labelSelector, ...page }),
      toControllerService,
      `the Services labelled ${labelSelector}`,
    );
  }
}

export function toControllerService(service: V1Service): ControllerService {
  return {
    namespace: service.metadata?.namespace ?? '',
    name: service.metadata?.name ?? '',
    type: service.spec?.type ?? 'ClusterIP',
    externalTrafficPolicy: service.spec?.externalTrafficPolicy,
    healthCheckNodePort: service.spec?.healthCheckNodePort,
    selector: service.spec?.selector ?? {},
    ports: (service.spec?.ports ?? []).map((port) => ({
      name: port.name,
      port: port.port,
      protocol: port.protocol ?? 'TCP',
      targetPort: port.targetPort,
      nodePort: port.nodePort,
    })),
    annotations: service.metadata?.annotations ?? {},
    labels: service.metadata?.labels ?? {},
    loadBalancerHostnames: (service.status?.loadBalancer?.ingress ?? []).flatMap((entry) =>
      entry.hostname === undefined ? [] : [entry.hostname],
    ),
  };
}
