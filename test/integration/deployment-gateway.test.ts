import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { AppsV1Api } from '@kubernetes/client-node';
import { type KubeApiServer, type KubeObject, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { externalDnsCoverage } from '../../src/domain/external-dns.js';
import { isUserFacingError } from '../../src/errors.js';
import { Metrics } from '../../src/metrics.js';
import { DeploymentGateway } from '../../src/ports/kube/deployment-gateway.js';
import { loadKubeConfig } from '../../src/ports/kube/kube-config.js';

let kube: KubeApiServer;
let dir: string;
let gateway: DeploymentGateway;
let metrics: Metrics;

function deployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  container: Record<string, unknown>,
  ready = 1,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace, name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'external-dns', ...container }] } },
    },
    status: { readyReplicas: ready },
  };
}

beforeEach(async () => {
  kube = await startKubeApiServer();
  dir = mkdtempSync(join(tmpdir(), 'deployments-'));
  const path = join(dir, 'kubeconfig.yaml');
  writeFileSync(path, kube.kubeconfig());
  metrics = new Metrics({ collectProcessMetrics: false });
  gateway = new DeploymentGateway(loadKubeConfig({ kubeconfigPath: path, inCluster: false }, 2000).makeApiClient(AppsV1Api), metrics);
  const label = { 'app.kubernetes.io/name': 'external-dns' };
  kube.store.upsert(
    deployment('external-dns', 'external-dns', label, {
      image: 'registry.k8s.io/external-dns/external-dns:v0.19.0',
      args: ['--source=service', '--source=ingress', '--domain-filter=example.com', '--provider=aws', '--txt-owner-id=prod'],
    }),
  );
  kube.store.upsert(
    deployment(
      'platform',
      'external-dns-gateway',
      label,
      {
        image: 'registry.k8s.io/external-dns/external-dns:v0.19.0',
        command: ['/bin/external-dns', '--source', 'gateway-httproute'],
        env: [{ name: 'EXTERNAL_DNS_TXT_OWNER_ID', value: 'gw' }],
      },
      0,
    ),
  );
  kube.store.upsert(
    deployment('team-a', 'orders-api', { 'app.kubernetes.io/name': 'orders-api' }, { image: 'orders:1', args: ['--source=ingress'] }),
  );
});

afterEach(async () => {
  await kube.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('finding ExternalDNS in the cluster', () => {
  it('lists the Deployments labelled app.kubernetes.io/name=external-dns in every namespace, with their flags', async () => {
    const found = await gateway.listExternalDns();
    expect(found.map((entry) => [entry.namespace, entry.name, entry.readyReplicas])).toEqual([
      ['external-dns', 'external-dns', 1],
      ['platform', 'external-dns-gateway', 0],
    ]);
    expect(found[0]?.settings).toMatchObject({
      sources: ['service', 'ingress'],
      domainFilters: ['example.com'],
      provider: 'aws',
      txtOwnerId: 'prod',
    });
    expect(found[1]?.settings).toMatchObject({ sources: ['gateway-httproute'], txtOwnerId: 'gw' });
    const request = kube.requests.find((entry) => entry.resource === 'deployments');
    expect(request).toMatchObject({
      verb: 'list',
      group: 'apps',
      namespace: undefined,
      query: { labelSelector: 'app.kubernetes.io/name=external-dns', limit: '500' },
    });
    expect(await metrics.registry.getSingleMetricAsString('nlb_bot_kubernetes_calls_total')).toContain(
      'operation="listDeploymentForAllNamespaces",outcome="ok"} 1',
    );
  });

  it('says which one publishes an Ingress host and which an HTTPRoute host', async () => {
    const [ingressDns, gatewayDns] = await gateway.listExternalDns();
    const host = { host: 'api.example.com', namespace: 'team-a' };
    expect(externalDnsCoverage(ingressDns!.settings, { kind: 'Ingress', ingressClass: 'nginx', ...host }).publishes).toBe(true);
    expect(externalDnsCoverage(ingressDns!.settings, { kind: 'HTTPRoute', ...host }).publishes).toBe(false);
    expect(externalDnsCoverage(gatewayDns!.settings, { kind: 'HTTPRoute', ...host }).publishes).toBe(true);
  });

  it('pages through a long list (limit/continue)', async () => {
    for (let index = 0; index < 510; index += 1) {
      kube.store.upsert(
        deployment(`ns-${String(index).padStart(3, '0')}`, 'external-dns', { 'app.kubernetes.io/name': 'external-dns' }, { args: [] }),
      );
    }
    expect((await gateway.listExternalDns()).length).toBe(512);
    expect(kube.requests.filter((entry) => entry.resource === 'deployments').length).toBe(2);
  });

  it('turns a refusal into a sentence about RBAC', async () => {
    kube.fail((request) => (request.resource === 'deployments' ? { status: 403, reason: 'Forbidden' } : undefined));
    const error = await gateway.listExternalDns().catch((caught: unknown) => caught);
    expect(isUserFacingError(error) && [error.code, error.message]).toEqual([
      'kube_forbidden',
      'Kubernetes refused to list the Deployments labelled app.kubernetes.io/name=external-dns (HTTP 403).',
    ]);
  });
});
