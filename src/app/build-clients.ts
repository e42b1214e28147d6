import { ACMClient } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CoordinationV1Api, CoreV1Api, CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { instrumentAwsClient } from '../ports/aws/instrument.js';
import { loadKubeConfig } from '../ports/kube/kube-config.js';
import { AWS_MAX_ATTEMPTS } from '../tuning.js';

/** The SDK clients, built once: the Kubernetes API groups the bot calls, and the AWS services. */
export interface Clients {
  readonly core: CoreV1Api;
  readonly networking: NetworkingV1Api;
  readonly coordination: CoordinationV1Api;
  /** Gateway API objects (Gateways, HTTPRoutes, GRPCRoutes), as plain JSON. */
  readonly customObjects: CustomObjectsApi;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly acm: ACMClient;
  /** Closes the AWS clients' sockets (the Kubernetes clients hold none between calls). */
  destroy(): void;
}

export function buildClients(config: Config, metrics: Metrics, callTimeoutMs: number): Clients {
  const kubeConfig = loadKubeConfig({ kubeconfigPath: config.kubeconfigPath, inCluster: config.inCluster }, callTimeoutMs);
  const awsClientConfig = {
    region: config.aws.region,
    maxAttempts: AWS_MAX_ATTEMPTS,
    // Without these the SDK waits for a silent endpoint forever. Each attempt gets half the call deadline,
    // as the SDK retries a timed-out attempt.
    requestHandler: { connectionTimeout: Math.min(3000, callTimeoutMs), requestTimeout: callTimeoutMs / 2, throwOnRequestTimeout: true },
    ...(config.aws.endpointUrl === undefined ? {} : { endpoint: config.aws.endpointUrl }),
  };
  const elbv2 = new ElasticLoadBalancingV2Client(awsClientConfig);
  const acm = new ACMClient(awsClientConfig);
  instrumentAwsClient(elbv2, metrics);
  instrumentAwsClient(acm, metrics);
  return {
    core: kubeConfig.makeApiClient(CoreV1Api),
    networking: kubeConfig.makeApiClient(NetworkingV1Api),
    coordination: kubeConfig.makeApiClient(CoordinationV1Api),
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    elbv2,
    acm,
    destroy: () => {
      elbv2.destroy();
      acm.destroy();
    },
  };
}
