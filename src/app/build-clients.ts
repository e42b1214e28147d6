import { ACMClient } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import type { EdgeConfig } from '../config/edges-file.js';
import type { Config } from '../config.js';
import type { CallMeter } from '../metrics.js';
import { buildAwsClientConfig } from '../ports/aws/aws-client-config.js';
import type { Ec2Reader } from '../ports/aws/ec2-gateway.js';
import { instrumentAwsClient } from '../ports/aws/instrument.js';
import { EksTokenSource } from '../ports/kube/eks-token.js';
import { loadEksKubeConfig, loadKubeConfig, loadKubeContext } from '../ports/kube/kube-config.js';

/** The bot's own cluster: where its Lease and its ConfigMap of decisions live (KUBECONFIG, or the Pod's). */
export interface OwnClients {
  readonly kubeConfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;
}

/** Route 53's SDK client and gateway, as startBot loads them with DNS_PROVIDER=route53. */
export type Route53Sdk = typeof import('./route53-sdk.js');

/** The SDK clients of one edge: the Kubernetes API groups of its cluster, and the AWS services of its account and region. */
export interface EdgeClients {
  readonly core: CoreV1Api;
  readonly networking: NetworkingV1Api;
  /** Gateway API objects (Gateways, HTTPRoutes, GRPCRoutes), as plain JSON. */
  readonly customObjects: CustomObjectsApi;
  /** Deployments: where ExternalDNS runs, if it does. */
  readonly apps: AppsV1Api;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** DNS_PROVIDER=route53 only: Route 53 (a global service) with the edge's credentials. */
  readonly route53: Route53Client | undefined;
  /**
   * EC2 (NAT gateways, for /ips egress), made on first use: its SDK client is a large module (about 50 MiB
   * of memory once loaded), which a bot that is never asked for egress IPs should not carry.
   */
  ec2(): Promise<Ec2Reader>;
  readonly acm: ACMClient;
  /** Closes the AWS clients' sockets (the Kubernetes clients hold none between calls). */
  destroy(): void;
}

export function buildOwnClients(config: Config, callTimeoutMs: number): OwnClients {
  const kubeConfig = loadKubeConfig({ kubeconfigPath: config.kubeconfigPath, inCluster: config.inCluster }, callTimeoutMs);
  return { kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api), coordination: kubeConfig.makeApiClient(CoordinationV1Api) };
}

/**
 * One edge's clients. Its cluster: the bot's own, a context of KUBECONFIG, or an EKS cluster reached with a
 * token the bot signs itself (no exec plugin). Its AWS calls: its region, and its role assumed through the
 * SDK's own credential providers (one session shared by its clients and its EKS token).
 */
export function buildEdgeClients(
  edge: EdgeConfig,
  context: {
    readonly config: Config;
    readonly own: OwnClients;
    readonly meter: CallMeter;
    readonly callTimeoutMs: number;
    /** Loaded when DNS_PROVIDER=route53, absent otherwise. */
    readonly route53Sdk: Route53Sdk | undefined;
  },
): EdgeClients {
  const { config, own, meter, callTimeoutMs, route53Sdk } = context;
  const aws = buildAwsClientConfig(
    { name: edge.name, region: edge.region, roleArn: edge.roleArn, endpointUrl: config.aws.endpointUrl },
    { callTimeoutMs },
  );
  const kubeConfig =
    edge.cluster.kind === 'own'
      ? own.kubeConfig
      : edge.cluster.kind === 'kube-context'
        ? loadKubeContext(config.kubeconfigPath, edge.cluster.context, callTimeoutMs)
        : loadEksKubeConfig(
            edge.cluster,
            new EksTokenSource({
              cluster: edge.cluster.cluster,
              region: edge.region,
              credentials: aws.credentials,
              ...(config.aws.endpointUrl === undefined ? {} : { stsEndpoint: config.aws.endpointUrl }),
            }),
            callTimeoutMs,
          );
  const elbv2 = new ElasticLoadBalancingV2Client(aws);
  const acm = new ACMClient(aws);
  // Route 53's API lives in us-east-1 (aws partition) whatever the edge's region.
  const route53 = route53Sdk === undefined ? undefined : new route53Sdk.Route53Client({ ...aws, region: 'us-east-1' });
  for (const client of [elbv2, acm, route53]) if (client !== undefined) instrumentAwsClient(client, meter);
  let ec2: Promise<{ reader: Ec2Reader; destroy(): void }> | undefined;
  const loadEc2 = async () => {
    const [{ EC2Client }, { Ec2Gateway }] = await Promise.all([import('@aws-sdk/client-ec2'), import('../ports/aws/ec2-gateway.js')]);
    const client = new EC2Client(aws);
    instrumentAwsClient(client, meter);
    return { reader: new Ec2Gateway(client), destroy: () => client.destroy() };
  };
  return {
    core: edge.cluster.kind === 'own' ? own.core : kubeConfig.makeApiClient(CoreV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    elbv2,
    acm,
    route53,
    ec2: () => {
      ec2 ??= loadEc2();
      // A failed load is not kept: the next /ips egress tries again.
      ec2.catch(() => {
        ec2 = undefined;
      });
      return ec2.then((loaded) => loaded.reader);
    },
    destroy: () => {
      elbv2.destroy();
      acm.destroy();
      route53?.destroy();
      void ec2?.then(
        (loaded) => loaded.destroy(),
        () => undefined,
      );
    },
  };
}
