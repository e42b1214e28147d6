import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialProvider, AwsCredentials } from '../aws/aws-credentials.js';

/**
 * The bearer token EKS accepts, made by the bot itself instead of `aws eks get-token` (the image has no AWS CLI):
 * a presigned STS GetCallerIdentity URL, signed (SigV4, service sts) over the header `x-k8s-aws-id: <cluster>`,
 * so the token is good for that cluster only. EKS asks STS who signed it and maps that IAM identity to
 * Kubernetes through the cluster's access entries. Signed with X-Amz-Expires=60 like the CLI; EKS honours it for
 * 15 minutes after X-Amz-Date, so a token is reused for 10 and then replaced.
 */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
export const EKS_TOKEN_REFRESH_MS = 10 * 60_000;
/** A token is never kept closer than this to the expiry of the credentials that signed it (STS would refuse it). */
const CREDENTIALS_MARGIN_MS = 60_000;

export interface EksTokenOptions {
  /** The EKS cluster's name, as `aws eks get-token --cluster-name` takes it. */
  readonly cluster: string;
  readonly region: string;
  readonly credentials: AwsCredentialProvider;
  /** The STS endpoint the URL is signed for; default `https://sts.<region>.amazonaws.com` (a stand-in's URL in tests). */
  readonly stsEndpoint?: string;
  readonly now?: () => number;
}

/** Gives a bearer token for each Kubernetes request (see loadEksKubeConfig). */
export interface BearerTokenSource {
  token(): Promise<string>;
}

/** One token, made at `signingDate` with credentials from the provider. */
export async function createEksToken(options: EksTokenOptions, signingDate: Date): Promise<string> {
  return signToken(options, await options.credentials(), signingDate);
}

/** Tokens for one cluster: one is shared by every request until it is 10 minutes old, then the next call makes a new one. */
export class EksTokenSource implements BearerTokenSource {
  private current: { readonly token: string; readonly refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: EksTokenOptions) {
    this.now = options.now ?? Date.now;
  }

  token(): Promise<string> {
    if (this.current !== undefined && this.now() < this.current.refreshAt) return Promise.resolve(this.current.token);
    // Requests that arrive while a token is made wait for that one; a failure is not kept (the next request tries again).
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<string> {
    const credentials = await this.options.credentials();
    const signedAt = this.now();
    const token = await signToken(this.options, credentials, new Date(signedAt));
    const credentialsEnd =
      credentials.expiration === undefined ? Number.POSITIVE_INFINITY : credentials.expiration.getTime() - CREDENTIALS_MARGIN_MS;
    this.current = { token, refreshAt: Math.min(signedAt + EKS_TOKEN_REFRESH_MS, credentialsEnd) };
    return token;
  }
}

async function signToken(options: EksTokenOptions, credentials: AwsCredentials, signingDate: Date): Promise<string> {
  const endpoint = new URL(options.stsEndpoint ?? `https://sts.${options.region}.amazonaws.com`);
  const signer = new SignatureV4({ service: 'sts', region: options.region, credentials, sha256: NodeSha256 });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port === '' ? {} : { port: Number(endpoint.port) }),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, 'x-k8s-aws-id': options.cluster },
    },
    { expiresIn: 60, signingDate },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${uriEncode(key)}=${uriEncode(String(value))}`)
    .join('&');
  const url = `${endpoint.protocol}//${endpoint.host}/?${query}`;
  return `${EKS_TOKEN_PREFIX}${Buffer.from(url).toString('base64url')}`;
}

/** RFC 3986, as SigV4 encodes the query it signs: the URL must carry the same bytes. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 and HMAC-SHA256 for the signer, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
