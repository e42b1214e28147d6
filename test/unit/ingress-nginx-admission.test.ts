import { describe, expect, it } from '@jest/globals';
import { ingressNginxAdmission } from '../../dev/stand-ins/ingress-admission.js';
import { type KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';

const ingress = (namespace: string, name: string, host: string, path = '/', className: string | undefined = 'nginx'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { namespace, name },
  spec: {
    ...(className === undefined ? {} : { ingressClassName: className }),
    rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
  },
});

describe('ingressNginxAdmission', () => {
  const store = new KubeStore();
  store.upsert(ingress('team-a', 'orders', 'orders.example.com'));
  const admit = ingressNginxAdmission('nginx');

  it('refuses a host and path that another Ingress of the class already claims, naming it', () => {
    expect(admit('create', ingress('team-b', 'copy', 'Orders.example.com'), store)).toBe(
      'admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "orders.example.com" and path "/" is already defined in ingress team-a/orders',
    );
  });

  it('admits another path on the same host, an update of the same Ingress, another class and other kinds', () => {
    expect(admit('create', ingress('team-b', 'api', 'orders.example.com', '/api'), store)).toBeUndefined();
    expect(admit('update', ingress('team-a', 'orders', 'orders.example.com'), store)).toBeUndefined();
    expect(admit('create', ingress('team-b', 'other', 'orders.example.com', '/', 'alb'), store)).toBeUndefined();
    expect(
      admit('create', { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'team-a', name: 'orders' } }, store),
    ).toBeUndefined();
  });

  it('counts the legacy class annotation as the class', () => {
    const legacy = ingress('team-b', 'legacy', 'orders.example.com', '/', undefined);
    legacy.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' };
    expect(admit('create', legacy, store)).toContain('already defined in ingress team-a/orders');
  });
});
