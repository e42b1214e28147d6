import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { GATEWAY_API_GROUP, type GatewayClassSummary, type GatewaySummary } from '../../domain/gateway.js';
import type { RouteSummary } from '../../domain/http-route.js';
import type { HttpRouteManifest } from '../../domain/managed-http-route.js';
import { BOT_NAME } from '../../domain/ownership.js';
import type { CallMeter } from '../../metrics.js';
import { toGatewayClassSummary, toGatewaySummary, toRouteSummary } from './gateway-api-objects.js';
import { kubeCall, kubeStatus, kubeWriteError, listAllPages } from './kube-call.js';

const VERSION = 'v1';

export interface GatewayReader {
  /** The Gateway, or undefined when there is none with that name. */
  readGateway(namespace: string, name: string): Promise<GatewaySummary | undefined>;
  /** The (cluster-scoped) GatewayClass, or undefined when there is none with that name. */
  readGatewayClass(name: string): Promise<GatewayClassSummary | undefined>;
}

export interface RouteReader {
  /**
   * Every HTTPRoute and GRPCRoute in the cluster (all namespaces), read as pages of a list: both take a host's
   * traffic on an HTTP listener. A cluster that serves no GRPCRoutes has none.
   */
  listRoutes(): Promise<RouteSummary[]>;
}

/** What a create found: the route it created, or that a route of that name already exists (409 AlreadyExists). */
export type HttpRouteCreateResult = { readonly kind: 'created'; readonly route: RouteSummary } | { readonly kind: 'exists' };

/**
 * The write side, for the HTTPRoutes the bot owns. As with Ingresses, the bot never updates one: it creates
 * (a create cannot replace anything) and deletes with preconditions.
 */
export interface HttpRouteWriter {
  /** The HTTPRoute, or undefined when there is none with that name. */
  readHttpRoute(namespace: string, name: string): Promise<RouteSummary | undefined>;
  /** A plain create (POST): of two writers of one name exactly one succeeds, the other learns `exists`. */
  createHttpRoute(manifest: HttpRouteManifest): Promise<HttpRouteCreateResult>;
  /** Deletes only the object with this uid and resourceVersion; 'gone' when it no longer exists. */
  deleteHttpRoute(
    namespace: string,
    name: string,
    preconditions: { readonly uid: string; readonly resourceVersion: string },
  ): Promise<'deleted' | 'gone'>;
}

export interface NamespaceReader {
  /** The namespace's labels (what a listener's allowedRoutes Selector matches), or undefined when it does not exist. */
  readNamespaceLabels(name: string): Promise<Readonly<Record<string, string>> | undefined>;
}

/** Gateway API objects through client-node's CustomObjectsApi (plain JSON), and Namespaces through CoreV1Api. */
export class GatewayApiGateway implements GatewayReader, RouteReader, HttpRouteWriter, NamespaceReader {
  constructor(
    private readonly customObjects: CustomObjectsApi,
    private readonly core: CoreV1Api,
    private readonly metrics: CallMeter,
  ) {}

  async readGateway(namespace: string, name: string): Promise<GatewaySummary | undefined> {
    return this.readOrUndefined('readNamespacedGateway', toGatewaySummary, `the Gateway ${namespace}/${name}`, () =>
      this.customObjects.getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: VERSION, namespace, plural: 'gateways', name }),
    );
  }

  async readGatewayClass(name: string): Promise<GatewayClassSummary | undefined> {
    return this.readOrUndefined('readGatewayClass', toGatewayClassSummary, `the GatewayClass ${name}`, () =>
      this.customObjects.getClusterCustomObject({ group: GATEWAY_API_GROUP, version: VERSION, plural: 'gatewayclasses', name }),
    );
  }

  async listRoutes(): Promise<RouteSummary[]> {
    const httpRoutes = await this.listAll('listHTTPRouteForAllNamespaces', 'httproutes');
    const grpcRoutes = await this.listAll('listGRPCRouteForAllNamespaces', 'grpcroutes').catch((error: unknown) => {
      // GRPCRoute is in the standard channel since Gateway API v1.1; an older install simply has none.
      if (kubeStatus(error) === 404) return [];
      throw error;
    });
    return [...httpRoutes, ...grpcRoutes];
  }

  async readHttpRoute(namespace: string, name: string): Promise<RouteSummary | undefined> {
    return this.readOrUndefined('readNamespacedHTTPRoute', toRouteSummary, `the HTTPRoute ${namespace}/${name}`, () =>
      this.customObjects.getNamespacedCustomObject({ group: GATEWAY_API_GROUP, version: VERSION, namespace, plural: 'httproutes', name }),
    );
  }

  async createHttpRoute(manifest: HttpRouteManifest): Promise<HttpRouteCreateResult> {
    const { namespace, name } = manifest.metadata;
    try {
      const created: unknown = await kubeCall(
        this.metrics,
        'createNamespacedHTTPRoute',
        () =>
          this.customObjects.createNamespacedCustomObject({
            group: GATEWAY_API_GROUP,
            version: VERSION,
            namespace,
            plural: 'httproutes',
            body: structuredClone(manifest),
            fieldManager: BOT_NAME,
          }),
        { verb: 'create', object: `the HTTPRoute ${namespace}/${name}` },
      );
      return { kind: 'created', route: toRouteSummary(created) };
    } catch (error) {
      if (kubeStatus(error) === 409) return { kind: 'exists' };
      throw writeError(error, `${namespace}/${name}`);
    }
  }

  async deleteHttpRoute(
    namespace: string,
    name: string,
    preconditions: { readonly uid: string; readonly resourceVersion: string },
  ): Promise<'deleted' | 'gone'> {
    try {
      await kubeCall(
        this.metrics,
        'deleteNamespacedHTTPRoute',
        () =>
          this.customObjects.deleteNamespacedCustomObject({
            group: GATEWAY_API_GROUP,
            version: VERSION,
            namespace,
            plural: 'httproutes',
            name,
            body: { preconditions: { uid: preconditions.uid, resourceVersion: preconditions.resourceVersion } },
          }),
        { verb: 'delete', object: `the HTTPRoute ${namespace}/${name}` },
      );
      return 'deleted';
    } catch (error) {
      if (kubeStatus(error) === 404) return 'gone';
      throw writeError(error, `${namespace}/${name}`);
    }
  }

  async readNamespaceLabels(name: string): Promise<Readonly<Record<string, string>> | undefined> {
    try {
      const namespace = await kubeCall(this.metrics, 'readNamespace', () => this.core.readNamespace({ name }), {
        verb: 'read',
        object: `the Namespace ${name}`,
      });
      return namespace.metadata?.labels ?? {};
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }

  private async readOrUndefined<T>(
    operation: string,
    map: (raw: unknown) => T,
    object: string,
    read: () => Promise<unknown>,
  ): Promise<T | undefined> {
    try {
      return map(await kubeCall(this.metrics, operation, read, { verb: 'read', object }));
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }

  private listAll(operation: string, plural: 'httproutes' | 'grpcroutes'): Promise<RouteSummary[]> {
    return listAllPages(
      this.metrics,
      operation,
      async (page) => {
        // CustomObjectsApi hands back the raw list: its continue token is metadata.continue.
        const list = (await this.customObjects.listCustomObjectForAllNamespaces({
          group: GATEWAY_API_GROUP,
          version: VERSION,
          resourcePlural: plural,
          ...page,
        })) as { items?: unknown[]; metadata?: { continue?: string } };
        const next = list.metadata?.continue;
        return { items: list.items ?? [], metadata: next === undefined ? {} : { _continue: next } };
      },
      toRouteSummary,
      plural === 'httproutes' ? 'the HTTPRoutes of the cluster' : 'the GRPCRoutes of the cluster',
    );
  }
}

/** 409: someone else changed the route since it was read; 422: the API server's validation or a policy refused it. */
function writeError(error: unknown, route: string): unknown {
  return kubeWriteError(
    error,
    `HTTPRoute ${route}`,
    'The Gateway API schema, a validating admission policy or a webhook rejected it. Nothing was written.',
  );
}
