import { isIP } from 'node:net';
import { ingressClassOf } from '../../src/domain/ingress-route.js';
import { sameJson } from './http-util.js';
import type { KubeChange, KubeObject, KubeStore } from './kube-api-server.js';

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

export interface IngressController {
  /** Resolves once no change waits to be reconciled. */
  settled(): Promise<void>;
  readonly errors: readonly unknown[];
  stop(): void;
}

const INGRESS = 'networking.k8s.io/v1';

export function startIngressController(store: KubeStore, options: IngressControllerOptions): IngressController {
  const delayMs = options.delayMs ?? 20;
  const errors: unknown[] = [];
  const entry = isIP(options.address) !== 0 ? { ip: options.address } : { hostname: options.address };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const onChange = (change: KubeChange) => {
    if (change.type !== 'DELETED' && change.object.kind === 'Ingress') schedule();
  };
  store.on('change', onChange);
  schedule();

  function schedule(): void {
    if (stopped || timer !== undefined) return;
    // Listeners run inside the store's write: the status is written afterwards, as a controller's work queue does.
    timer = setTimeout(() => {
      timer = undefined;
      try {
        reconcile();
      } catch (error) {
        errors.push(error);
      }
    }, delayMs);
    timer.unref();
  }

  function reconcile(): void {
    for (const ingress of store.list(INGRESS, 'Ingress')) {
      if (classOf(ingress) !== options.ingressClass) continue;
      const status = (ingress['status'] ?? {}) as Record<string, unknown>;
      const wanted = { ...status, loadBalancer: { ingress: [entry] } };
      if (sameJson(status, wanted)) continue;
      store.modify(INGRESS, 'Ingress', ingress.metadata.namespace, ingress.metadata.name ?? '', (object) => {
        object['status'] = wanted;
      });
    }
  }

  return {
    errors,
    async settled() {
      while (timer !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.max(1, delayMs / 4)));
    },
    stop() {
      stopped = true;
      store.off('change', onChange);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

function classOf(ingress: KubeObject): string | undefined {
  const spec = ingress['spec'] as { ingressClassName?: string } | undefined;
  return ingressClassOf({ className: spec?.ingressClassName, annotations: ingress.metadata.annotations ?? {} });
}
