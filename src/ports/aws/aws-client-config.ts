import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AWS_CONNECT_TIMEOUT_MS, AWS_MAX_ATTEMPTS, CALL_TIMEOUT_MS } from '../../tuning.js';
import { type AwsCredentialProvider, shareCredentials } from './aws-credentials.js';

/** What of an edge decides how its AWS clients are built. */
export interface EdgeAwsAccess {
  readonly name: string;
  readonly region: string;
  /** Assumed for every call of this edge; undefined: the bot's own credentials. */
  readonly roleArn: string | undefined;
  /** An endpoint override (AWS_ENDPOINT_URL: a local stand-in); undefined: AWS's own endpoints. */
  readonly endpointUrl: string | undefined;
}

/** The options every AWS SDK client of one edge is built with (ELBv2, ACM, ...), and its EKS token is signed with. */
export interface EdgeAwsClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number; readonly throwOnRequestTimeout: true };
  readonly endpoint?: string;
  /** One provider for every client of the edge: one AssumeRole per session, not one per client. */
  readonly credentials: AwsCredentialProvider;
}

export interface AwsClientConfigOptions {
  /** Deadline of one AWS call; each attempt gets half of it, as the SDK retries a timed-out attempt. */
  readonly callTimeoutMs?: number;
  /** The bot's own credentials, the base of every assumed role; default: the SDK's default chain (IRSA in EKS). */
  readonly baseCredentials?: AwsCredentialProvider;
  readonly now?: () => number;
}

/** RoleSessionName allows 64 characters: CloudTrail shows which edge a call was made for. */
export function roleSessionName(edgeName: string): string {
  return `nlb-ingress-bot-${edgeName}`.slice(0, 64);
}

export function buildAwsClientConfig(edge: EdgeAwsAccess, options: AwsClientConfigOptions = {}): EdgeAwsClientConfig {
  const callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const base = options.baseCredentials ?? fromNodeProviderChain();
  const clientSettings = {
    region: edge.region,
    maxAttempts: AWS_MAX_ATTEMPTS,
    // Without these the SDK waits for a silent endpoint forever.
    requestHandler: {
      connectionTimeout: Math.min(AWS_CONNECT_TIMEOUT_MS, callTimeoutMs),
      requestTimeout: callTimeoutMs / 2,
      throwOnRequestTimeout: true,
    },
    ...(edge.endpointUrl === undefined ? {} : { endpoint: edge.endpointUrl }),
  } as const;
  const credentials =
    edge.roleArn === undefined
      ? base
      : fromTemporaryCredentials({
          params: { RoleArn: edge.roleArn, RoleSessionName: roleSessionName(edge.name) },
          masterCredentials: base,
          // STS of the edge's region (or the stand-in), with the same retries and deadlines as every other call.
          clientConfig: clientSettings,
        });
  return { ...clientSettings, credentials: shareCredentials(credentials, options.now) };
}
