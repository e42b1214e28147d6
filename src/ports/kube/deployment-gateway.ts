import type { AppsV1Api, V1Container, V1Deployment } from '@kubernetes/client-node';
import { type ExternalDnsSettings, parseExternalDnsArgs } from '../../domain/external-dns.js';
import type { CallMeter } from '../../metrics.js';
import { listAllPages } from './kube-call.js';

/** An ExternalDNS Deployment of the cluster and what its flags say. */
export interface ExternalDnsDeployment {
  readonly namespace: string;
  readonly name: string;
  readonly image: string | undefined;
  readonly replicas: number;
  /** 0 means it is not running: it publishes nothing, whatever its flags. */
  readonly readyReplicas: number;
  readonly settings: ExternalDnsSettings;
}

/** list deployments, cluster-wide (a ClusterRole: ExternalDNS may run in any namespace). */
export interface DeploymentReader {
  listExternalDns(): Promise<ExternalDnsDeployment[]>;
}

/** The label ExternalDNS's Helm chart and manifests put on its Deployment. */
export const EXTERNAL_DNS_SELECTOR = 'app.kubernetes.io/name=external-dns';

export class DeploymentGateway implements DeploymentReader {
  constructor(
    private readonly apps: AppsV1Api,
    private readonly metrics: CallMeter,
  ) {}

  listExternalDns(): Promise<ExternalDnsDeployment[]> {
    return listAllPages(
      this.metrics,
      'listDeploymentForAllNamespaces',
      (page) => this.apps.listDeploymentForAllNamespaces({ labelSelector: EXTERNAL_DNS_SELECTOR, ...page }),
      toExternalDnsDeployment,
      `the Deployments labelled ${EXTERNAL_DNS_SELECTOR}`,
    );
  }
}

export function toExternalDnsDeployment(deployment: V1Deployment): ExternalDnsDeployment {
  const container = externalDnsContainer(deployment.spec?.template.spec?.containers ?? []);
  const env: Record<string, string> = {};
  for (const variable of container?.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  return {
    namespace: deployment.metadata?.namespace ?? '',
    name: deployment.metadata?.name ?? '',
    image: container?.image,
    replicas: deployment.spec?.replicas ?? 1,
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    settings: parseExternalDnsArgs([...(container?.command ?? []), ...(container?.args ?? [])], env),
  };
}

/** The container that runs ExternalDNS: named so, or running its image, else the first (sidecars come after it). */
function externalDnsContainer(containers: readonly V1Container[]): V1Container | undefined {
  return (
    containers.find((container) => container.name === 'external-dns') ??
    containers.find((container) => container.image?.includes('external-dns') === true) ??
    containers[0]
  );
}
