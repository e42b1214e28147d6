import { isIP } from 'node:net';
import { ingressClassOf } from '../../src/domain/ingress-route.js';
import { sameJson } from './http-util.js';
import type { KubeObject, KubeStore } from './kube-api-server.js';
import { type StatusWriter, startStatusWriter } from './status-writer.js';

/**
 * An ingress controller for the stand-in cluster, as far as status goes (what ingress-nginx, or any controller
 * of the class, writes once it has loaded an Ingress): every Ingress of `ingressClass` gets
 * status.loadBalancer.ingress = [{ hostname: address }] (the NLB's DNS name, from the controller Service), written
 * through the store `delayMs` after a change, bumping resourceVersion only. Ingresses of other classes are left
 * alone, as another controller's. Nothing routes traffic (edge-proxy.ts stands in for that).
 */

export interface IngressControllerOptions {
  /** The class this controller serves, e.g. nginx. */
  readonly ingressClass: string;
  /** What it reports as the load balancer: the NLB's DNS name (an IP address goes in `ip`). */
  readonly address: string;
  /** Milliseconds between a change and the status it causes (default 20). */
  readonly delayMs?: number;
}

export type IngressController = StatusWriter;

const INGRESS = 'networking.k8s.io/v1';

export function startIngressController(store: KubeStore, options: IngressControllerOptions): IngressController {
  const entry = isIP(options.address) !== 0 ? { ip: options.address } : { hostname: options.address };
  return startStatusWriter(store, {
    delayMs: options.delayMs ?? 20,
    watches: (change) => change.type !== 'DELETED' && change.object.kind === 'Ingress',
    reconcile: () => {
      for (const ingress of store.list(INGRESS, 'Ingress')) {
        if (classOf(ingress) !== options.ingressClass) continue;
        const status = (ingress['status'] ?? {}) as Record<string, unknown>;
        const wanted = { ...status, loadBalancer: { ingress: [entry] } };
        if (sameJson(status, wanted)) continue;
        store.modify(INGRESS, 'Ingress', ingress.metadata.namespace, ingress.metadata.name ?? '', (object) => {
          object['status'] = wanted;
        });
      }
    },
  });
}

function classOf(ingress: KubeObject): string | undefined {
  const spec = ingress['spec'] as { ingressClassName?: string } | undefined;
  return ingressClassOf({ className: spec?.ingressClassName, annotations: ingress.metadata.annotations ?? {} });
}
