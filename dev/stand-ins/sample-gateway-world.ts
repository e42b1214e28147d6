import { BOT_NAME, BotAnnotation, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import type { AwsWorld } from './aws-api-server.js';
import { GATEWAY_API_GROUP } from './gateway-api-schema.js';
import type { KubeObject, KubeStore } from './kube-api-server.js';
import {
  SAMPLE_DOMAIN,
  SAMPLE_NLB_DNS,
  SAMPLE_TEAM_NAMESPACES,
  type SampleNode,
  type SampleWorldOptions,
  sampleNlbAnnotations,
  sampleNodeObjects,
  sampleNodes,
  sampleTeamServices,
  seedSampleAws,
} from './sample-world.js';

/**
 * The same shared NLB with Envoy Gateway behind it instead of ingress-nginx (manifests/gateway): the Gateway
 * edge/shared with an `https` listener (HTTP on 443, routes from namespaces labelled exposable) and an `http`
 * listener with the redirect, the data-plane Service Envoy Gateway creates in its own namespace (by default
 * `externalTrafficPolicy: Local`), its proxy pods, the bot's HTTPRoute for orders.example.com and two routes the
 * bot did not write. Seed it, then start the stand-in Gateway controller (startGatewayController) so status
 * appears as a real controller would write it.
 */
export const SAMPLE_GATEWAY = { namespace: 'edge', name: 'shared' } as const;
export const SAMPLE_GATEWAY_CLASS = 'shared-edge';
export const SAMPLE_GATEWAY_CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';
export const SAMPLE_ENVOY_NAMESPACE = 'envoy-gateway-system';
export const SAMPLE_DATA_PLANE_SERVICE = 'envoy-edge-shared-5c8a7d1f';
export const EXPOSABLE_LABEL = 'nlb-ingress-bot/exposable';

const V1 = `${GATEWAY_API_GROUP}/v1`;

export function seedSampleGatewayWorld(kube: KubeStore, aws: AwsWorld, options: SampleWorldOptions = {}): void {
  const nodes = options.nodes ?? sampleNodes();
  // Envoy Gateway's default; the shipped EnvoyProxy sets Cluster, the sample shows what the default does.
  const policy = options.externalTrafficPolicy ?? 'Local';
  for (const object of sampleGatewayObjects(nodes, policy)) kube.upsert(object);
  seedSampleAws(aws, nodes, policy, options);
}

export function sampleGatewayObjects(nodes: readonly SampleNode[], policy: 'Local' | 'Cluster'): KubeObject[] {
  const proxyLabels = {
    'app.kubernetes.io/name': 'envoy',
    'app.kubernetes.io/component': 'proxy',
    'app.kubernetes.io/managed-by': 'envoy-gateway',
    'gateway.envoyproxy.io/owning-gateway-name': SAMPLE_GATEWAY.name,
    'gateway.envoyproxy.io/owning-gateway-namespace': SAMPLE_GATEWAY.namespace,
  };
  const namespaces: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SAMPLE_ENVOY_NAMESPACE } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SAMPLE_GATEWAY.namespace } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    ...SAMPLE_TEAM_NAMESPACES.map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, [EXPOSABLE_LABEL]: 'true' } },
    })),
  ];
  return [
    ...namespaces,
    ...sampleNodeObjects(nodes),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        namespace: SAMPLE_ENVOY_NAMESPACE,
        name: SAMPLE_DATA_PLANE_SERVICE,
        labels: { ...proxyLabels, 'gateway.networking.k8s.io/gateway-name': SAMPLE_GATEWAY.name },
        annotations: sampleNlbAnnotations('443'),
      },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: policy,
        // The port the sample NLB's target groups health-check with Local (sampleTargetGroups), as the AWS
        // Load Balancer Controller sets it from the Service.
        ...(policy === 'Local' ? { healthCheckNodePort: 32456 } : {}),
        selector: proxyLabels,
        ports: [
          { name: 'http-80', port: 80, protocol: 'TCP', targetPort: 10080, nodePort: 30080 },
          { name: 'http-443', port: 443, protocol: 'TCP', targetPort: 10443, nodePort: 30443 },
        ],
      },
      status: { loadBalancer: { ingress: [{ hostname: SAMPLE_NLB_DNS }] } },
    },
    ...nodes
      .filter((node) => node.runsController)
      .map((node, index) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { namespace: SAMPLE_ENVOY_NAMESPACE, name: `${SAMPLE_DATA_PLANE_SERVICE}-7f9c6b5d4-qh${index}zt`, labels: proxyLabels },
        spec: { nodeName: node.name, containers: [{ name: 'envoy', image: 'docker.io/envoyproxy/envoy:distroless-v1.35.3' }] },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      })),
    ...sampleTeamServices(),
    {
      apiVersion: V1,
      kind: 'GatewayClass',
      metadata: { name: SAMPLE_GATEWAY_CLASS },
      spec: { controllerName: SAMPLE_GATEWAY_CONTROLLER_NAME },
    },
    {
      apiVersion: V1,
      kind: 'Gateway',
      metadata: { ...SAMPLE_GATEWAY },
      spec: {
        gatewayClassName: SAMPLE_GATEWAY_CLASS,
        listeners: [
          {
            name: 'https',
            port: 443,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { [EXPOSABLE_LABEL]: 'true' } } } },
          },
          { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
        ],
      },
    },
    {
      apiVersion: V1,
      kind: 'HTTPRoute',
      metadata: { ...SAMPLE_GATEWAY, name: 'redirect-to-https' },
      spec: {
        parentRefs: [{ name: SAMPLE_GATEWAY.name, sectionName: 'http' }],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    },
    {
      apiVersion: V1,
      kind: 'HTTPRoute',
      metadata: {
        namespace: 'team-a',
        name: `orders.${SAMPLE_DOMAIN}`,
        labels: { [MANAGED_BY_LABEL]: BOT_NAME },
        annotations: {
          [BotAnnotation.RequestedBy]: 'U0REQUESTER',
          [BotAnnotation.ApprovedBy]: 'U0ADMIN0001',
          [BotAnnotation.ApprovedAt]: '2026-10-01T09:30:00Z',
          [BotAnnotation.SlackChannel]: 'C0PLATFORM1',
        },
      },
      spec: {
        parentRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', ...SAMPLE_GATEWAY }],
        hostnames: [`orders.${SAMPLE_DOMAIN}`],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ group: '', kind: 'Service', name: 'orders-api', port: 80 }],
          },
        ],
      },
    },
    foreignRoute('team-b', 'legacy-reports', `reports.${SAMPLE_DOMAIN}`, 'reports', 80),
    foreignRoute('team-b', 'partner-portal', `portal.${SAMPLE_DOMAIN}`, 'partner-gateway', 443),
  ];
}

/** A route some team wrote by hand or through GitOps, on the https listener. */
function foreignRoute(namespace: string, name: string, hostname: string, service: string, port: number): KubeObject {
  return {
    apiVersion: V1,
    kind: 'HTTPRoute',
    metadata: { namespace, name, labels: { app: service } },
    spec: {
      parentRefs: [{ namespace: SAMPLE_GATEWAY.namespace, name: SAMPLE_GATEWAY.name, sectionName: 'https' }],
      hostnames: [hostname],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service, port }] }],
    },
  };
}
