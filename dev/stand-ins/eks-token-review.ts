import { type AwsKeyring, parseAmzDate, splitTarget, verifyPresignedUrl } from './aws-sigv4.js';

/**
 * What EKS does with a bearer token `k8s-aws-v1.<base64url URL>` (aws-iam-authenticator's checks, then STS's):
 * the URL must be exactly a presigned STS GetCallerIdentity for this region, signed over `host` and
 * `x-k8s-aws-id`, at most 15 minutes old; STS then verifies the signature with `x-k8s-aws-id` set to the
 * cluster's name, so a token made for another cluster (or changed in any byte) does not verify.
 */
export interface EksTokenReviewOptions {
  /** The name the token must be bound to (x-k8s-aws-id). */
  readonly clusterName: string;
  readonly region: string;
  readonly keyring: AwsKeyring;
  /** The STS endpoint the URL must name: `https://sts.<region>.amazonaws.com` unless a test signs for a stand-in. */
  readonly stsEndpoint?: string;
  readonly now?: () => number;
}

export type TokenReview =
  | { readonly authenticated: true; readonly arn: string; readonly accessKeyId: string; readonly signedAt: string }
  | { readonly authenticated: false; readonly reason: string };

const PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_LENGTH = 4096;
const LIFETIME_MS = 15 * 60_000;
const PARAMETERS = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
];

export function reviewEksToken(token: string, options: EksTokenReviewOptions): TokenReview {
  const now = (options.now ?? Date.now)();
  if (!token.startsWith(PREFIX)) return refuse(`does not start with ${PREFIX}`);
  if (token.length > MAX_TOKEN_LENGTH) return refuse(`is longer than ${MAX_TOKEN_LENGTH} characters`);
  const encoded = token.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return refuse('is not base64url without padding');
  const text = Buffer.from(encoded, 'base64url').toString('utf8');
  if (Buffer.from(text).toString('base64url') !== encoded) return refuse('does not decode to a URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('does not decode to a URL');
  }
  const expected = new URL(options.stsEndpoint ?? `https://sts.${options.region}.amazonaws.com`);
  const origin = `${expected.protocol}//${expected.host}`;
  if (url.protocol !== expected.protocol || url.host !== expected.host) return refuse(`names ${url.protocol}//${url.host}, not ${origin}`);
  if (!text.startsWith(`${origin}/?`) || url.hash !== '') return refuse(`is not ${origin}/?<query>`);
  const target = text.slice(origin.length);
  const { query } = splitTarget(target);
  const values = new Map<string, string>();
  for (const [key, value] of query) {
    if (!PARAMETERS.includes(key)) return refuse(`has the parameter ${key}, which EKS does not allow`);
    if (values.has(key)) return refuse(`has ${key} twice`);
    values.set(key, value);
  }
  if (values.get('Action') !== 'GetCallerIdentity') return refuse('is not GetCallerIdentity');
  if (values.get('Version') !== '2011-06-15') return refuse('is not Version 2011-06-15');
  if (values.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return refuse('is not signed with AWS4-HMAC-SHA256');
  const expires = Number(values.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > 900) return refuse('has no X-Amz-Expires of at most 900 seconds');
  const signedHeaders = (values.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-k8s-aws-id')) return refuse('does not sign host and x-k8s-aws-id');
  const date = values.get('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return refuse('has no valid X-Amz-Date');
  if (now - signedAt > LIFETIME_MS) return refuse('is expired: signed more than 15 minutes ago');
  const [, , region, service] = (values.get('X-Amz-Credential') ?? '').split('/');
  if (service !== 'sts' || region !== options.region)
    return refuse(`is signed for ${service ?? '?'} in ${region ?? '?'}, not sts in ${options.region}`);
  const headers = { host: url.host, 'x-k8s-aws-id': options.clusterName };
  const check = verifyPresignedUrl({ method: 'GET', target, headers, body: '' }, options.keyring, now, LIFETIME_MS);
  if (!check.ok) return refuse(`is refused by STS: ${check.code} (${check.message})`);
  return { authenticated: true, arn: check.key.arn, accessKeyId: check.key.accessKeyId, signedAt: date };
}

function refuse(reason: string): TokenReview {
  return { authenticated: false, reason: `the token ${reason}` };
}
