import type { NetworkingV1Api, V1Ingress } from '@kubernetes/client-node';
import type { IngressSummary } from '../../domain/ingress-route.js';
import type { IngressManifest } from '../../domain/managed-ingress.js';
import { BOT_NAME } from '../../domain/ownership.js';
import type { CallMeter } from '../../metrics.js';
import { kubeCall, kubeStatus, kubeWriteError, listAllPages } from './kube-call.js';

export interface IngressReader {
  /** Every Ingress in the cluster (all namespaces, all classes), read as pages of a list. */
  listIngresses(): Promise<IngressSummary[]>;
}

/** An Ingress read by name, with the uid a delete precondition needs. */
export interface StoredIngress extends IngressSummary {
  readonly uid: string | undefined;
  /** spec.defaultBackend, which the bot never writes: traffic the Ingress serves beyond its rules. */
  readonly defaultBackend: { readonly serviceName: string | undefined; readonly servicePort: number | string | undefined } | undefined;
}

/** What a create found: the object it created, or that an object of that name already exists (409 AlreadyExists). */
export type CreateResult = { readonly kind: 'created'; readonly ingress: StoredIngress } | { readonly kind: 'exists' };

/**
 * The write side, used only for Ingresses the bot owns (manifests/bot/rbac-expose-namespace.yaml grants
 * get, create and delete on ingresses in the EXPOSE_NAMESPACES only). The bot never updates an Ingress:
 * it creates one (a create cannot replace anything) and deletes it with preconditions.
 */
export interface IngressWriter {
  /** The Ingress, or undefined when there is none with that name. */
  readIngress(namespace: string, name: string): Promise<StoredIngress | undefined>;
  /**
   * A plain create (POST). Of two writers of the same name exactly one succeeds; the other learns
   * `exists` and must read what is there, instead of replacing it as a second apply would.
   */
  createIngress(manifest: IngressManifest): Promise<CreateResult>;
  /** Deletes only the object with this uid and resourceVersion; 'gone' when it no longer exists. */
  deleteIngress(
    namespace: string,
    name: string,
    preconditions: { readonly uid: string; readonly resourceVersion: string },
  ): Promise<'deleted' | 'gone'>;
}

export class IngressGateway implements IngressReader, IngressWriter {
  constructor(
    private readonly networking: NetworkingV1Api,
    private readonly metrics: CallMeter,
  ) {}

  async listIngresses(): Promise<IngressSummary[]> {
    return listAllPages(
      this.metrics,
      'listIngressForAllNamespaces',
      (page) => this.networking.listIngressForAllNamespaces(page),
      toIngressSummary,
      'the Ingresses of the cluster',
    );
  }

  async readIngress(namespace: string, name: string): Promise<StoredIngress | undefined> {
    try {
      return toStoredIngress(
        await kubeCall(this.metrics, 'readNamespacedIngress', () => this.networking.readNamespacedIngress({ namespace, name }), {
          verb: 'read',
          object: `the Ingress ${namespace}/${name}`,
        }),
      );
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async createIngress(manifest: IngressManifest): Promise<CreateResult> {
    const { namespace, name } = manifest.metadata;
    try {
      const created = await kubeCall(
        this.metrics,
        'createNamespacedIngress',
        () => this.networking.createNamespacedIngress({ namespace, body: toV1Ingress(manifest), fieldManager: BOT_NAME }),
        { verb: 'create', object: `the Ingress ${namespace}/${name}` },
      );
      return { kind: 'created', ingress: toStoredIngress(created) };
    } catch (error) {
      if (kubeStatus(error) === 409) return { kind: 'exists' };
      throw writeError(error, `${namespace}/${name}`);
    }
  }

  async deleteIngress(
    namespace: string,
    name: string,
    preconditions: { readonly uid: string; readonly resourceVersion: string },
  ): Promise<'deleted' | 'gone'> {
    try {
      await kubeCall(
        this.metrics,
        'deleteNamespacedIngress',
        () =>
          this.networking.deleteNamespacedIngress({
            namespace,
            name,
            body: { preconditions: { uid: preconditions.uid, resourceVersion: preconditions.resourceVersion } },
          }),
        { verb: 'delete', object: `the Ingress ${namespace}/${name}` },
      );
      return 'deleted';
    } catch (error) {
      if (kubeStatus(error) === 404) return 'gone';
      throw writeError(error, `${namespace}/${name}`);
    }
  }
}

/** 409: someone else changed the Ingress since it was read; 422: the API server or a webhook refused it. */
function writeError(error: unknown, ingress: string): unknown {
  return kubeWriteError(
    error,
    `Ingress ${ingress}`,
    'An admission webhook (such as ingress-nginx’s) or a policy rejected it. Nothing was written.',
  );
}

export function toIngressSummary(ingress: V1Ingress): IngressSummary {
  return {
    namespace: ingress.metadata?.namespace ?? '',
    name: ingress.metadata?.name ?? '',
    loadBalancerAddresses: (ingress.status?.loadBalancer?.ingress ?? []).flatMap((entry) => {
      const address = entry.hostname ?? entry.ip;
      return address === undefined ? [] : [address];
    }),
    className: ingress.spec?.ingressClassName,
    labels: ingress.metadata?.labels ?? {},
    annotations: ingress.metadata?.annotations ?? {},
    resourceVersion: ingress.metadata?.resourceVersion,
    creationTimestamp: ingress.metadata?.creationTimestamp,
    routes: (ingress.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((path) => ({
        host: rule.host?.toLowerCase(),
        path: path.path ?? '/',
        pathType: path.pathType,
        serviceName: path.backend.service?.name,
        servicePort: path.backend.service?.port?.number ?? path.backend.service?.port?.name,
      })),
    ),
  };
}

function toStoredIngress(ingress: V1Ingress): StoredIngress {
  const fallback = ingress.spec?.defaultBackend;
  return {
    ...toIngressSummary(ingress),
    uid: ingress.metadata?.uid,
    defaultBackend:
      fallback === undefined
        ? undefined
        : { serviceName: fallback.service?.name, servicePort: fallback.service?.port?.number ?? fallback.service?.port?.name },
  };
}

function toV1Ingress(manifest: IngressManifest): V1Ingress {
  const { metadata, spec } = manifest;
  return {
    apiVersion: manifest.apiVersion,
    kind: manifest.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      labels: { ...metadata.labels },
      annotations: { ...metadata.annotations },
    },
    spec: {
      ingressClassName: spec.ingressClassName,
      rules: spec.rules.map((rule) => ({
        host: rule.host,
        http: {
          paths: rule.http.paths.map((path) => ({
            path: path.path,
            pathType: path.pathType,
            backend: { service: { name: path.backend.service.name, port: { ...path.backend.service.port } } },
          })),
        },
      })),
    },
  };
}
