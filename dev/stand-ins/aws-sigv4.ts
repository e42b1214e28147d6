import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, checked the way AWS checks it, written from the specification rather than with the
 * SDK's signer (so a mistake in how the bot signs shows up here instead of being repeated). Used by the AWS
 * stand-in (the Authorization header of every call), its STS (GetCallerIdentity as a presigned URL) and the
 * Kubernetes stand-in's EKS mode (the URL inside an EKS token).
 */

/** A key the stand-ins know: long-term (an IAM user's) or temporary (from the STS stand-in's AssumeRole). */
export interface StandInCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Temporary credentials only: must come with every request they sign. */
  readonly sessionToken?: string;
  /** Temporary credentials only: epoch milliseconds after which they are refused (ExpiredToken). */
  readonly expiresAt?: number;
  /** Who signs with it, as GetCallerIdentity answers: `arn:aws:iam::<account>:user/<name>` or an assumed role. */
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

export const STAND_IN_ACCOUNT = '111122223333';

/** The made-up long-term keys the tests (test/support/jest-setup.ts) and the sandbox put in the environment. */
export const STAND_IN_KEYS: readonly StandInCredentials[] = [
  {
    accessKeyId: 'AKIASTANDINEXAMPLE00',
    secretAccessKey: 'stand-in-secret-access-key-not-real',
    arn: `arn:aws:iam::${STAND_IN_ACCOUNT}:user/nlb-ingress-bot-tests`,
    account: STAND_IN_ACCOUNT,
    userId: 'AIDASTANDINEXAMPLE01',
  },
  {
    accessKeyId: 'AKIASANDBOXEXAMPLE00',
    secretAccessKey: 'sandbox-secret-access-key-not-real',
    arn: `arn:aws:iam::${STAND_IN_ACCOUNT}:user/nlb-ingress-bot-sandbox`,
    account: STAND_IN_ACCOUNT,
    userId: 'AIDASANDBOXEXAMPLE01',
  },
];

/** The keys a stand-in accepts; STS adds the temporary ones it issues. */
export class AwsKeyring {
  private readonly keys = new Map<string, StandInCredentials>();

  constructor(keys: readonly StandInCredentials[] = STAND_IN_KEYS) {
    for (const key of keys) this.add(key);
  }

  add(key: StandInCredentials): void {
    this.keys.set(key.accessKeyId, key);
  }

  find(accessKeyId: string): StandInCredentials | undefined {
    return this.keys.get(accessKeyId);
  }
}

export type SignatureCheck =
  | { readonly ok: true; readonly key: StandInCredentials; readonly region: string; readonly service: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** What a verifier needs of a request: the raw target (path and query as sent) and the headers, lower-case. */
export interface SignedRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60_000;

/** A request signed in its Authorization header (what every SDK call sends). */
export function verifyAuthorizationHeader(request: SignedRequest, keyring: AwsKeyring, now: number): SignatureCheck {
  const header = headerValue(request.headers, 'authorization') ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
  if (match === null) return refused('IncompleteSignature', 'The Authorization header is not a complete AWS4-HMAC-SHA256 signature.');
  const [, credential = '', signedHeaders = '', signature = ''] = match;
  const date = headerValue(request.headers, 'x-amz-date') ?? '';
  const token = headerValue(request.headers, 'x-amz-security-token');
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256') ?? sha256(request.body);
  const { path, query } = splitTarget(request.target);
  return verify(
    { credential, signedHeaders, signature, date, token, request, path, query, payloadHash, validForMs: MAX_SKEW_MS },
    keyring,
    now,
  );
}

/**
 * A presigned URL (the query carries the signature). `validForMs` is how long after X-Amz-Date it is honoured:
 * STS honours a presigned GetCallerIdentity for 15 minutes whatever X-Amz-Expires says, which is why an EKS token
 * made with X-Amz-Expires=60 is good for 15 minutes.
 */
export function verifyPresignedUrl(request: SignedRequest, keyring: AwsKeyring, now: number, validForMs: number): SignatureCheck {
  const { path, query } = splitTarget(request.target);
  const get = (name: string) => query.find(([key]) => key === name)?.[1];
  if (get('X-Amz-Algorithm') !== ALGORITHM) return refused('IncompleteSignature', `X-Amz-Algorithm must be ${ALGORITHM}.`);
  const signature = get('X-Amz-Signature') ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) return refused('IncompleteSignature', 'X-Amz-Signature is missing or malformed.');
  return verify(
    {
      credential: get('X-Amz-Credential') ?? '',
      signedHeaders: get('X-Amz-SignedHeaders') ?? '',
      signature,
      date: get('X-Amz-Date') ?? '',
      token: get('X-Amz-Security-Token'),
      request,
      path,
      query: query.filter(([key]) => key !== 'X-Amz-Signature'),
      payloadHash: sha256(request.body),
      validForMs,
    },
    keyring,
    now,
  );
}

interface Parts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly date: string;
  readonly token: string | undefined;
  readonly request: SignedRequest;
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly payloadHash: string;
  readonly validForMs: number;
}

function verify(parts: Parts, keyring: AwsKeyring, now: number): SignatureCheck {
  const [accessKeyId = '', day = '', region = '', service = '', terminator, ...extra] = parts.credential.split('/');
  if (terminator !== 'aws4_request' || extra.length > 0 || !/^\d{8}$/.test(day) || region === '' || service === '') {
    return refused('IncompleteSignature', `The credential scope ${JSON.stringify(parts.credential)} is malformed.`);
  }
  const signedAt = parseAmzDate(parts.date);
  if (signedAt === undefined || !parts.date.startsWith(day))
    return refused('IncompleteSignature', 'X-Amz-Date is missing or not the scope’s day.');
  if (now - signedAt > parts.validForMs) return refused('SignatureExpired', `Signature expired: ${parts.date} is too old.`);
  if (signedAt - now > MAX_SKEW_MS) return refused('SignatureExpired', `Signature not yet current: ${parts.date} is in the future.`);
  const key = keyring.find(accessKeyId);
  if (key === undefined) return refused('InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (key.sessionToken !== parts.token) return refused('InvalidClientTokenId', 'The security token included in the request is invalid.');
  if (key.expiresAt !== undefined && now >= key.expiresAt)
    return refused('ExpiredToken', 'The security token included in the request is expired');
  const names = parts.signedHeaders.split(';');
  if (!names.includes('host') || names.some((name) => name !== name.toLowerCase()) || [...names].sort().join(';') !== parts.signedHeaders) {
    return refused('SignatureDoesNotMatch', 'SignedHeaders must be sorted, lower-case and include host.');
  }
  const headerLines = names.map((name) => `${name}:${canonicalHeaderValue(parts.request.headers[name])}`);
  const canonicalRequest = [
    parts.request.method.toUpperCase(),
    canonicalPath(parts.path),
    canonicalQuery(parts.query),
    ...headerLines,
    '',
    parts.signedHeaders,
    parts.payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, parts.date, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = [day, region, service, 'aws4_request'].reduce<Buffer>(
    (secret, part) => hmac(secret, part),
    Buffer.from(`AWS4${key.secretAccessKey}`),
  );
  const expected = hmac(signingKey, stringToSign);
  const given = Buffer.from(parts.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refused(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { ok: true, key, region, service };
}

/** The path and the query's pairs, decoded as sent (`+` stays `+`: SigV4 encodes a space as %20). */
export function splitTarget(target: string): { path: string; query: Array<[string, string]> } {
  const at = target.indexOf('?');
  const path = at === -1 ? target : target.slice(0, at);
  const search = at === -1 ? '' : target.slice(at + 1);
  const query = search
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const equals = pair.indexOf('=');
      const [key, value] = equals === -1 ? [pair, ''] : [pair.slice(0, equals), pair.slice(equals + 1)];
      return [safeDecode(key), safeDecode(value)];
    });
  return { path: path === '' ? '/' : path, query };
}

/** RFC 3986 encoding, as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
}

function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20240101T120000Z` as epoch milliseconds. */
export function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function refused(code: string, message: string): SignatureCheck {
  return { ok: false, code, message };
}
