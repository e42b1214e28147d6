import { BOT_NAME, BotAnnotation, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import type { AwsWorld, StandInCertificate, StandInLoadBalancer, StandInTargetGroup } from './aws-api-server.js';
import type { DnsRecord } from './dns-server.js';
import type { KubeObject, KubeStore } from './kube-api-server.js';

/**
 * The shared-ingress world of the write-up, as seed data for the stand-ins: an ingress-nginx controller
 * Service of type LoadBalancer (NLB, TLS on 443 with an ACM certificate, 80 -> the 2443 redirect), the
 * NLB with one address per Availability Zone, its listeners, target groups (instance targets = every
 * node), ACM certificates, nodes, controller pods, team namespaces with Services and Ingresses.
 * Tests start from it and change what their case needs; the sandbox serves it as is.
 */

export const SAMPLE_REGION = 'eu-west-1';
export const SAMPLE_ACCOUNT = '111122223333';
export const SAMPLE_CONTROLLER = { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' } as const;
export const SAMPLE_NLB_NAME = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
export const SAMPLE_NLB_DNS = `${SAMPLE_NLB_NAME}-0123456789abcdef.elb.${SAMPLE_REGION}.amazonaws.com`;
export const SAMPLE_NLB_ARN = `arn:aws:elasticloadbalancing:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:loadbalancer/net/${SAMPLE_NLB_NAME}/0123456789abcdef`;
export const SAMPLE_DOMAIN = 'example.com';
export const SAMPLE_WILDCARD_CERT_ARN = `arn:aws:acm:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:certificate/11111111-1111-4111-8111-111111111111`;
export const SAMPLE_SNI_CERT_ARN = `arn:aws:acm:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:certificate/22222222-2222-4222-8222-222222222222`;
export const SAMPLE_HTTPS_TG_ARN = `arn:aws:elasticloadbalancing:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:targetgroup/k8s-ingressn-https-a1b2c3/1111111111111111`;
export const SAMPLE_HTTP_TG_ARN = `arn:aws:elasticloadbalancing:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:targetgroup/k8s-ingressn-http-a1b2c3/2222222222222222`;
export const SAMPLE_TEAM_NAMESPACES = ['team-a', 'team-b'] as const;

export interface SampleNode {
  readonly name: string;
  readonly instanceId: string;
  readonly zone: string;
  /** Runs an ingress-nginx controller pod. */
  readonly runsController: boolean;
}

export interface SampleWorldOptions {
  /** Elastic IPs on the NLB (default true). */
  readonly elasticIps?: boolean;
  readonly zones?: readonly string[];
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
  /** Nodes; by default three, one per zone a/b/c, with the only controller pod on the first. */
  readonly nodes?: readonly SampleNode[];
  /** Days until the wildcard certificate expires (default 200). */
  readonly wildcardCertDaysLeft?: number;
  readonly now?: Date;
}

export function sampleNodes(): SampleNode[] {
  return [
    { name: 'ip-10-0-1-10.eu-west-1.compute.internal', instanceId: 'i-0a1b2c3d4e5f60001', zone: 'eu-west-1a', runsController: true },
    { name: 'ip-10-0-2-20.eu-west-1.compute.internal', instanceId: 'i-0a1b2c3d4e5f60002', zone: 'eu-west-1b', runsController: false },
    { name: 'ip-10-0-3-30.eu-west-1.compute.internal', instanceId: 'i-0a1b2c3d4e5f60003', zone: 'eu-west-1c', runsController: false },
  ];
}

export function seedSampleWorld(kube: KubeStore, aws: AwsWorld, options: SampleWorldOptions = {}): void {
  const nodes = options.nodes ?? sampleNodes();
  const policy = options.externalTrafficPolicy ?? 'Cluster';
  for (const object of sampleKubeObjects(nodes, policy)) kube.upsert(object);
  seedSampleAws(aws, nodes, policy, options);
}

/** The NLB, its listeners and target groups, and the certificates: the same for every proxy behind it. */
export function seedSampleAws(
  aws: AwsWorld,
  nodes: readonly SampleNode[],
  policy: 'Local' | 'Cluster',
  options: Pick<SampleWorldOptions, 'elasticIps' | 'zones' | 'now' | 'wildcardCertDaysLeft'>,
): void {
  aws.loadBalancers.push(sampleLoadBalancer(options));
  aws.certificates.push(...sampleCertificates(options.now ?? new Date(), options.wildcardCertDaysLeft ?? 200));
  aws.listeners.push(
    {
      arn: `${SAMPLE_NLB_ARN.replace(':loadbalancer/', ':listener/')}/aaaaaaaaaaaaaaaa`,
      loadBalancerArn: SAMPLE_NLB_ARN,
      port: 443,
      protocol: 'TLS',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificateArns: [SAMPLE_WILDCARD_CERT_ARN, SAMPLE_SNI_CERT_ARN],
      targetGroupArn: SAMPLE_HTTPS_TG_ARN,
    },
    {
      arn: `${SAMPLE_NLB_ARN.replace(':loadbalancer/', ':listener/')}/bbbbbbbbbbbbbbbb`,
      loadBalancerArn: SAMPLE_NLB_ARN,
      port: 80,
      protocol: 'TCP',
      certificateArns: [],
      targetGroupArn: SAMPLE_HTTP_TG_ARN,
    },
  );
  aws.targetGroups.push(...sampleTargetGroups(nodes, policy));
}

export function sampleLoadBalancer(options: Pick<SampleWorldOptions, 'elasticIps' | 'zones'> = {}): StandInLoadBalancer {
  const zones = options.zones ?? ['eu-west-1a', 'eu-west-1b'];
  const elastic = options.elasticIps ?? true;
  return {
    arn: SAMPLE_NLB_ARN,
    name: SAMPLE_NLB_NAME,
    dnsName: SAMPLE_NLB_DNS,
    type: 'network',
    scheme: 'internet-facing',
    state: 'active',
    vpcId: 'vpc-0123456789abcdef0',
    zones: zones.map((zoneName, index) => ({
      zoneName,
      subnetId: `subnet-0${index + 1}23456789abcdef`,
      addresses: [
        {
          ipAddress: `52.17.${10 + index}.${100 + index}`,
          ...(elastic ? { allocationId: `eipalloc-0${index + 1}a2b3c4d5e6f7a8b` } : {}),
          privateIPv4Address: `10.0.${index + 1}.${200 + index}`,
        },
      ],
    })),
    tags: {
      'kubernetes.io/service-name': `${SAMPLE_CONTROLLER.namespace}/${SAMPLE_CONTROLLER.name}`,
      'kubernetes.io/cluster/sample-cluster': 'owned',
    },
  };
}

export function sampleCertificates(now: Date, wildcardDaysLeft: number): StandInCertificate[] {
  const day = 86_400_000;
  return [
    {
      arn: SAMPLE_WILDCARD_CERT_ARN,
      domainName: `*.${SAMPLE_DOMAIN}`,
      subjectAlternativeNames: [`*.${SAMPLE_DOMAIN}`, SAMPLE_DOMAIN],
      status: 'ISSUED',
      type: 'AMAZON_ISSUED',
      notBefore: new Date(now.getTime() - 100 * day),
      notAfter: new Date(now.getTime() + wildcardDaysLeft * day),
      inUseBy: [SAMPLE_NLB_ARN],
      renewalEligibility: 'ELIGIBLE',
    },
    {
      arn: SAMPLE_SNI_CERT_ARN,
      domainName: 'partner.example.net',
      subjectAlternativeNames: ['partner.example.net', 'api.partner.example.net'],
      status: 'ISSUED',
      type: 'IMPORTED',
      notBefore: new Date(now.getTime() - 30 * day),
      notAfter: new Date(now.getTime() + 90 * day),
      inUseBy: [SAMPLE_NLB_ARN],
      renewalEligibility: 'INELIGIBLE',
    },
  ];
}

/**
 * Instance targets: every node, on the Service's node ports. With externalTrafficPolicy Local the NLB
 * health-checks HTTP /healthz on the healthCheckNodePort and only nodes with a controller pod pass;
 * with Cluster it checks TCP on the traffic port and every node passes.
 */
export function sampleTargetGroups(nodes: readonly SampleNode[], policy: 'Local' | 'Cluster'): StandInTargetGroup[] {
  const local = policy === 'Local';
  const make = (arn: string, name: string, nodePort: number): StandInTargetGroup => ({
    arn,
    name,
    port: nodePort,
    protocol: 'TCP',
    targetType: 'instance',
    healthCheckProtocol: local ? 'HTTP' : 'TCP',
    healthCheckPort: local ? '32456' : 'traffic-port',
    ...(local ? { healthCheckPath: '/healthz' } : {}),
    loadBalancerArns: [SAMPLE_NLB_ARN],
    targets: nodes.map((node) =>
      !local || node.runsController
        ? { id: node.instanceId, port: nodePort, availabilityZone: node.zone, state: 'healthy' }
        : {
            id: node.instanceId,
            port: nodePort,
            availabilityZone: node.zone,
            state: 'unhealthy',
            reason: 'Target.FailedHealthChecks',
            description: 'Health checks failed',
          },
    ),
  });
  return [make(SAMPLE_HTTPS_TG_ARN, 'k8s-ingressn-https-a1b2c3', 30443), make(SAMPLE_HTTP_TG_ARN, 'k8s-ingressn-http-a1b2c3', 30080)];
}

export function sampleKubeObjects(nodes: readonly SampleNode[], policy: 'Local' | 'Cluster'): KubeObject[] {
  const controllerLabels = {
    'app.kubernetes.io/name': 'ingress-nginx',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/component': 'controller',
  };
  const objects: KubeObject[] = [
    ...[SAMPLE_CONTROLLER.namespace, ...SAMPLE_TEAM_NAMESPACES, 'default'].map((name) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name },
    })),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        namespace: SAMPLE_CONTROLLER.namespace,
        name: SAMPLE_CONTROLLER.name,
        labels: controllerLabels,
        annotations: sampleNlbAnnotations('https'),
      },
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: policy,
        ...(policy === 'Local' ? { healthCheckNodePort: 32456 } : {}),
        selector: controllerLabels,
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'tohttps', nodePort: 30080 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 'http', nodePort: 30443 },
        ],
      },
      status: { loadBalancer: { ingress: [{ hostname: SAMPLE_NLB_DNS }] } },
    },
    ...sampleNodeObjects(nodes),
    ...nodes
      .filter((node) => node.runsController)
      .map((node, index) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          namespace: SAMPLE_CONTROLLER.namespace,
          name: `ingress-nginx-controller-6d5f8b7c9-${'xkq2p'.slice(0, 4)}${index}`,
          labels: controllerLabels,
        },
        spec: { nodeName: node.name, containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.2' }] },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      })),
    ...sampleTeamServices(),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
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
        ingressClassName: 'nginx',
        rules: [
          {
            host: `orders.${SAMPLE_DOMAIN}`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders-api', port: { number: 80 } } } }] },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { namespace: 'team-b', name: 'legacy-reports' },
      spec: {
        ingressClassName: 'nginx',
        rules: [
          {
            host: `reports.${SAMPLE_DOMAIN}`,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'reports', port: { name: 'http' } } } }] },
          },
        ],
      },
    },
  ];
  return objects;
}

/** The teams' Services, which both the Ingress and the Gateway world route to. */
export function sampleTeamServices(): KubeObject[] {
  return [
    service('team-a', 'orders-api', [{ name: 'http', port: 80, targetPort: 8080 }]),
    service('team-a', 'billing', [
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'metrics', port: 9090, targetPort: 9090 },
    ]),
    service('team-b', 'partner-gateway', [
      { name: 'web', port: 443, targetPort: 8443 },
      { name: 'http', port: 80, targetPort: 8080 },
    ]),
    service('team-b', 'reports', [{ name: 'http', port: 80, targetPort: 3000 }]),
  ];
}

export function sampleNodeObjects(nodes: readonly SampleNode[]): KubeObject[] {
  return nodes.map((node) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: { 'topology.kubernetes.io/zone': node.zone, 'kubernetes.io/hostname': node.name } },
    spec: { providerID: `aws:///${node.zone}/${node.instanceId}` },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  }));
}

/** The annotations that make the proxy's Service the shared NLB: TLS on 443 with the ACM certificates, Elastic IPs. */
export function sampleNlbAnnotations(sslPorts: string): Record<string, string> {
  return {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
    'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': `${SAMPLE_WILDCARD_CERT_ARN},${SAMPLE_SNI_CERT_ARN}`,
    'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': sslPorts,
    'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
    'service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout': '60',
    'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': 'eipalloc-01a2b3c4d5e6f7a8b,eipalloc-02a2b3c4d5e6f7a8b',
  };
}

function service(namespace: string, name: string, ports: Array<{ name: string; port: number; targetPort: number }>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, labels: { app: name } },
    spec: { type: 'ClusterIP', selector: { app: name }, ports: ports.map((port) => ({ ...port, protocol: 'TCP' })) },
  };
}

/**
 * DNS as the sample world's zone would have it: the NLB's name resolves to its two addresses, the hosts
 * already served are CNAMEs to it, and payments.example.com points at the NLB before anyone exposed it
 * (so its DNS check passes); any other name does not exist yet.
 */
export function sampleDnsRecords(): Record<string, DnsRecord> {
  const nlbAddresses = sampleLoadBalancer().zones.flatMap((zone) =>
    zone.addresses.flatMap((address) => (address.ipAddress === undefined ? [] : [address.ipAddress])),
  );
  return {
    [SAMPLE_NLB_DNS]: { a: nlbAddresses },
    [`orders.${SAMPLE_DOMAIN}`]: { cname: SAMPLE_NLB_DNS },
    [`reports.${SAMPLE_DOMAIN}`]: { cname: SAMPLE_NLB_DNS },
    [`payments.${SAMPLE_DOMAIN}`]: { cname: SAMPLE_NLB_DNS },
  };
}
