import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { GatewayClass } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { parse, parseAllDocuments } from 'yaml';
import { startGatewayController } from '../../dev/stand-ins/gateway-controller.js';
import { type KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { isProgrammed, listenerAdmission } from '../../src/domain/gateway.js';
import { toGatewaySummary } from '../../src/ports/kube/gateway-api-objects.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are YAML documents of any shape; the assertions check them
type Loose = any;

const manifests = join(import.meta.dirname, '..', '..', 'manifests');
const envoyGatewayFile = join(manifests, 'gateway', 'envoy-gateway.yaml');
const objects = parseAllDocuments(readFileSync(envoyGatewayFile, 'utf8')).map((document) => document.toJS() as Loose);
const find = (kind: string): Loose => {
  const found = objects.find((object) => object.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} in manifests/gateway/envoy-gateway.yaml`);
  return found;
};

const nginxAnnotations = (parse(readFileSync(join(manifests, 'ingress-nginx', 'values.yaml'), 'utf8')) as Loose).controller.service
  .annotations as Record<string, string>;
const SSL_PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'gateway.networking.k8s.io/v1 GatewayClass': GatewayClass as never,
  'gateway.networking.k8s.io/v1 Gateway': Gateway as never,
  'gateway.networking.k8s.io/v1 HTTPRoute': HTTPRoute as never,
  'v1 Namespace': Namespace as never,
};

function validate(object: Loose): void {
  const Model = MODELS[`${object.apiVersion} ${object.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  new Model(structuredClone(object) as never).validate();
}

/** The NLB annotations must be those of the ingress-nginx values, but for ssl-ports, which Envoy and Traefik need by number. */
function expectSameNlbAnnotations(annotations: Record<string, string>): void {
  const { [SSL_PORTS]: sslPorts, ...rest } = annotations;
  const { [SSL_PORTS]: nginxSslPorts, ...nginxRest } = nginxAnnotations;
  expect(rest).toEqual(nginxRest);
  // ingress-nginx's chart names its 443 Service port "https"; the others do not, so port 443 is named by number.
  expect(nginxSslPorts).toBe('https');
  expect(sslPorts).toBe('443');
}

describe('the shared edge on Envoy Gateway (manifests/gateway/envoy-gateway.yaml)', () => {
  it('holds a Namespace, a GatewayClass, an EnvoyProxy, the Gateway and the redirect route', () => {
    expect(objects.map((object) => `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`)).toEqual([
      'Namespace /edge',
      'GatewayClass /shared-edge',
      'EnvoyProxy edge/shared-edge',
      'Gateway edge/shared',
      'HTTPRoute edge/redirect-to-https',
    ]);
  });

  it('validates every Gateway API object against the Gateway API schemas', () => {
    for (const object of objects.filter((candidate) => candidate.kind !== 'EnvoyProxy')) expect(() => validate(object)).not.toThrow();
  });

  it('rejects a broken Gateway, so the schema check can fail', () => {
    const broken = structuredClone(find('Gateway'));
    broken.spec.listeners[0].port = 'https';
    expect(() => validate(broken)).toThrow(/port/);
  });

  it('puts the NLB annotations of the ingress-nginx values, and externalTrafficPolicy Cluster, on the Envoy Service', () => {
    const proxy = find('EnvoyProxy');
    expect(proxy.apiVersion).toBe('gateway.envoyproxy.io/v1alpha1');
    expect(proxy.spec.provider.type).toBe('Kubernetes');
    const service = proxy.spec.provider.kubernetes.envoyService;
    expect(service.type).toBe('LoadBalancer');
    expect(service.externalTrafficPolicy).toBe('Cluster');
    expectSameNlbAnnotations(service.annotations);
  });

  it('attaches the EnvoyProxy to the Gateway, whose class Envoy Gateway implements', () => {
    const gateway = find('Gateway');
    const proxy = find('EnvoyProxy');
    expect(find('GatewayClass').spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    expect(gateway.spec.gatewayClassName).toBe(find('GatewayClass').metadata.name);
    expect(gateway.spec.infrastructure.parametersRef).toEqual({
      group: 'gateway.envoyproxy.io',
      kind: 'EnvoyProxy',
      name: proxy.metadata.name,
    });
    // A Gateway's parametersRef is local: the EnvoyProxy lives in the Gateway's namespace.
    expect(proxy.metadata.namespace).toBe(gateway.metadata.namespace);
  });

  it('listens with plain HTTP on 443 (TLS ends at the NLB) for labelled namespaces, and on 80 for the redirect', () => {
    const listeners = find('Gateway').spec.listeners;
    expect(listeners.map((listener: Loose) => `${listener.name} ${listener.port} ${listener.protocol}`)).toEqual([
      'https 443 HTTP',
      'http 80 HTTP',
    ]);
    expect(listeners[0].allowedRoutes.namespaces).toEqual({
      from: 'Selector',
      selector: { matchLabels: { 'nlb-ingress-bot/exposable': 'true' } },
    });
    expect(listeners[1].allowedRoutes.namespaces).toEqual({ from: 'Same' });
    for (const listener of listeners) expect(listener).not.toHaveProperty('tls');
  });

  it('redirects port 80 to https with a 301, from the Gateway’s namespace', () => {
    const redirect = find('HTTPRoute');
    expect(redirect.metadata.namespace).toBe(find('Gateway').metadata.namespace);
    expect(redirect.spec.parentRefs).toEqual([{ name: 'shared', sectionName: 'http' }]);
    expect(redirect.spec).not.toHaveProperty('hostnames');
    expect(redirect.spec.rules).toEqual([
      { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] },
    ]);
  });

  it('works as intended under a Gateway controller: the redirect attaches, labelled namespaces do, others do not', async () => {
    const store = new KubeStore();
    for (const object of objects.filter((candidate) => candidate.kind !== 'EnvoyProxy')) store.upsert(object as KubeObject);
    store.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'nlb-ingress-bot/exposable': 'true' } } });
    store.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-z' } });
    for (const namespace of ['team-a', 'team-z']) {
      store.upsert({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { namespace, name: 'api.example.com' },
        spec: { parentRefs: [{ namespace: 'edge', name: 'shared', sectionName: 'https' }], hostnames: ['api.example.com'] },
      });
    }
    const controller = startGatewayController(store, {
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      address: 'nlb.example.com',
      delayMs: 1,
    });
    try {
      await controller.settled();
      const accepted = (namespace: string, name: string) =>
        (store.get('gateway.networking.k8s.io/v1', 'HTTPRoute', namespace, name) as Loose).status.parents[0].conditions[0];
      expect(accepted('edge', 'redirect-to-https')).toMatchObject({ status: 'True', reason: 'Accepted' });
      expect(accepted('team-a', 'api.example.com')).toMatchObject({ status: 'True', reason: 'Accepted' });
      expect(accepted('team-z', 'api.example.com')).toMatchObject({ status: 'False', reason: 'NotAllowedByListeners' });
      const gateway = toGatewaySummary(store.get('gateway.networking.k8s.io/v1', 'Gateway', 'edge', 'shared'));
      expect(isProgrammed(gateway)).toEqual({ programmed: true });
      expect(gateway.listeners.map((listener) => listener.attachedRoutes)).toEqual([1, 1]);
      // What the bot would predict before writing agrees with the controller.
      const predict = (namespace: string, labels: Record<string, string>) =>
        listenerAdmission(gateway, { routeNamespace: namespace, namespaceLabels: labels, host: 'api.example.com', sectionName: 'https' })[0]
          ?.admitted;
      expect(predict('team-a', { 'nlb-ingress-bot/exposable': 'true' })).toBe(true);
      expect(predict('team-z', {})).toBe(false);
      expect(controller.errors).toEqual([]);
    } finally {
      controller.stop();
    }
  });

  it('marks every value to replace as a placeholder', () => {
    expectPlaceholders(readFileSync(envoyGatewayFile, 'utf8'));
  });
});

describe('the Traefik alternative for the existing Ingresses (manifests/traefik/values.yaml)', () => {
  const file = join(manifests, 'traefik', 'values.yaml');
  const values = parse(readFileSync(file, 'utf8')) as Loose;

  it('serves the bot’s ingressClassName nginx through the Ingress NGINX provider, and no Ingress twice', () => {
    expect(values.providers.kubernetesIngressNginx).toMatchObject({
      enabled: true,
      ingressClass: 'nginx',
      controllerClass: 'k8s.io/ingress-nginx',
    });
    expect(values.providers.kubernetesIngress.enabled).toBe(false);
    expect(values.ingressClass.enabled).toBe(false);
  });

  it('puts the same NLB annotations, and externalTrafficPolicy Cluster, on its Service', () => {
    expect(values.service.type).toBe('LoadBalancer');
    expect(values.service.spec.externalTrafficPolicy).toBe('Cluster');
    expectSameNlbAnnotations(values.service.annotations);
  });

  it('takes plain HTTP on 443 (TLS ends at the NLB) and redirects port 80 to https', () => {
    expect(values.ports.websecure.tls.enabled).toBe(false);
    expect(values.ports.web.redirections.entryPoint).toEqual({ to: 'websecure', scheme: 'https', permanent: true });
  });

  it('marks every value to replace as a placeholder', () => {
    expectPlaceholders(readFileSync(file, 'utf8'));
  });
});

function expectPlaceholders(text: string): void {
  const lines = text.split('\n');
  for (const key of ['aws-load-balancer-ssl-cert', 'aws-load-balancer-eip-allocations', 'aws-load-balancer-subnets']) {
    const line = lines.findIndex((candidate) => candidate.includes(`${key}:`));
    expect(line).toBeGreaterThan(0);
    expect(lines.slice(Math.max(0, line - 4), line).join('\n')).toContain('PLACEHOLDER');
  }
}
