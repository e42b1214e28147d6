import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AwsKeyring,
  type SignatureCheck,
  type StandInCredentials,
  verifyAuthorizationHeader,
  verifyPresignedUrl,
} from './aws-sigv4.js';
import { sendText } from './http-util.js';

/**
 * STS inside the AWS stand-in (one server for every service, like AWS_ENDPOINT_URL expects): the Query API's
 * AssumeRole and GetCallerIdentity, the latter also as a presigned GET, which is how EKS checks a token.
 * Every request must be signed by a key of the keyring; AssumeRole adds the temporary credentials it issues
 * to that keyring, so ELBv2, ACM and the Kubernetes stand-in's EKS mode accept them until they expire.
 */
export interface StsCall {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
  /** The key that signed the call, when its signature verified. */
  readonly accessKeyId: string | undefined;
  /** GetCallerIdentity as a presigned URL (an EKS token's), rather than a signed POST. */
  readonly presigned: boolean;
}

export interface StsStandIn {
  readonly calls: StsCall[];
  /** Roles AssumeRole may assume (their trust policy lets any known key in); any other role is AccessDenied. */
  readonly roles: Set<string>;
  count(action?: string): number;
  /** Serves the request and returns true when it is an STS action; false leaves it to the other services. */
  serve(request: IncomingMessage, body: string, response: ServerResponse): boolean;
}

const ACTIONS = new Set(['AssumeRole', 'GetCallerIdentity']);
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** STS honours a presigned GetCallerIdentity for 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
export const PRESIGNED_VALIDITY_MS = 15 * 60_000;

export function createStsStandIn(keyring: AwsKeyring, now: () => number): StsStandIn {
  const calls: StsCall[] = [];
  const roles = new Set<string>();

  function serve(request: IncomingMessage, body: string, response: ServerResponse): boolean {
    const presigned = request.method === 'GET';
    const target = request.url ?? '/';
    const fields = new URLSearchParams(presigned ? target.slice(target.indexOf('?') + 1) : body);
    const action = fields.get('Action') ?? '';
    if (!ACTIONS.has(action)) return false;
    const params = Object.fromEntries([...fields.entries()].filter(([key]) => !key.startsWith('X-Amz-')));
    const signed = { method: request.method ?? 'GET', target, headers: request.headers, body };
    const check: SignatureCheck = presigned
      ? verifyPresignedUrl(signed, keyring, now(), PRESIGNED_VALIDITY_MS)
      : verifyAuthorizationHeader(signed, keyring, now());
    const answer = (status: number, xml: string) => {
      calls.push({ action, params, status, accessKeyId: check.ok ? check.key.accessKeyId : undefined, presigned });
      sendText(response, status, xml, 'text/xml');
    };
    if (!check.ok) {
      answer(403, errorXml(check.code, check.message));
      return true;
    }
    if (action === 'GetCallerIdentity') {
      answer(200, resultXml(action, { Arn: check.key.arn, UserId: check.key.userId, Account: check.key.account }));
      return true;
    }
    const assumed = assumeRole(params, check.key);
    answer(assumed.status, assumed.status === 200 ? resultXml(action, assumed.result) : errorXml(assumed.code, assumed.message));
    return true;
  }

  type Assumed = { status: 200; result: Record<string, unknown> } | { status: 400 | 403; code: string; message: string };

  function assumeRole(params: Record<string, string>, caller: StandInCredentials): Assumed {
    const roleArn = params['RoleArn'] ?? '';
    const session = params['RoleSessionName'] ?? '';
    const duration = Number(params['DurationSeconds'] ?? '3600');
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
      return { status: 400, code: 'ValidationError', message: `1 validation error detected: Value '${session}' at 'roleSessionName'` };
    }
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
      return { status: 400, code: 'ValidationError', message: 'DurationSeconds must be between 900 and 43200' };
    }
    const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (role === null || !roles.has(roleArn)) {
      return {
        status: 403,
        code: 'AccessDenied',
        message: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      };
    }
    const [, account = '', roleName = ''] = role;
    const roleId = `AROA${randomId(17)}`;
    const issued: StandInCredentials = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real session tokens hold + / and =: they must survive query and header encoding.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString('base64')}`,
      expiresAt: now() + duration * 1000,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
      account,
      userId: `${roleId}:${session}`,
    };
    keyring.add(issued);
    const result = {
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        Expiration: new Date(issued.expiresAt ?? 0).toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: issued.userId, Arn: issued.arn },
    };
    return { status: 200, result };
  }

  return {
    calls,
    roles,
    count: (action) => calls.filter((call) => action === undefined || call.action === action).length,
    serve,
  };
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

function resultXml(action: string, result: Record<string, unknown>): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><${action}Result>${xml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function errorXml(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function xml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(
      ([key, item]) =>
        `<${key}>${typeof item === 'object' && item !== null ? xml(item as Record<string, unknown>) : escapeXml(String(item))}</${key}>`,
    )
    .join('');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
