import { describe, expect, it } from '@jest/globals';
import { STAND_IN_ACCOUNT } from '../../dev/stand-ins/aws-sigv4.js';
import { ask, edgesHarnessPerTest, PROD, STAGING } from '../support/edges-harness.js';
import { DEVELOPER } from '../support/harness.js';

const ROLE = `arn:aws:iam::${STAND_IN_ACCOUNT}:role/nlb-bot-read`;
const SESSION_ARN = `arn:aws:sts::${STAND_IN_ACCOUNT}:assumed-role/nlb-bot-read/nlb-ingress-bot-staging`;
const OWN_KEY = 'AKIASTANDINEXAMPLE00';
const PREFIX = 'k8s-aws-v1.';

/**
 * Staging as an EKS edge (`eks:` in the edges file, no kubeconfig context): an HTTPS stand-in that trusts only EKS
 * tokens, checked as EKS and STS check them (dev/stand-ins/eks-token-review.ts), with the edge's role assumed
 * through STS for its token and its AWS calls. The AWS stand-in verifies every signature. Prod stays a context.
 */
describe('an EKS edge with a role', () => {
  const start = edgesHarnessPerTest({ aws: { verifySignatures: true } });

  it('is reached with an EKS token the bot signs itself, of the shape EKS expects, which the cluster accepts', async () => {
    const h = await start({ staging: { via: 'eks', cluster: 'staging-use1', roleArn: ROLE } });
    const ips = await ask(h, '/ips', 'staging', DEVELOPER);
    for (const ip of STAGING.ips) expect(ips.text).toContain(`${ip}/32`);
    const health = await ask(h, '/health', 'staging', DEVELOPER);
    expect(health.text).toContain('staging (us-east-1): healthy');

    const authorizations = h.stagingAuthorizations;
    expect(authorizations.length).toBeGreaterThanOrEqual(3);
    // One token, reused (it is renewed after ten minutes); never the stand-in's static token.
    expect(new Set(authorizations).size).toBe(1);
    const token = authorizations[0]!.replace(/^Bearer /, '');
    expect(token).not.toBe(h.staging.token);
    expect(token.startsWith(PREFIX)).toBe(true);
    const encoded = token.slice(PREFIX.length);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const text = Buffer.from(encoded, 'base64url').toString('utf8');
    expect(Buffer.from(text).toString('base64url')).toBe(encoded);
    const url = new URL(text);
    // The presigned GetCallerIdentity of the edge's region, for the STS the bot is pointed at (AWS_ENDPOINT_URL).
    expect(url.origin).toBe(h.aws.url);
    expect(url.pathname).toBe('/');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': expect.stringMatching(/^ASIA[A-Z0-9]{16}\/\d{8}\/us-east-1\/sts\/aws4_request$/),
      'X-Amz-Date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Security-Token': expect.any(String),
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const tokenKey = query['X-Amz-Credential']!.split('/')[0];

    // The stand-in reviewed it as EKS does (bound to the cluster by x-k8s-aws-id, within 15 minutes) and accepted it.
    expect(h.staging.tokenReviews.length).toBe(authorizations.length);
    for (const review of h.staging.tokenReviews) {
      expect(review).toEqual({ authenticated: true, arn: SESSION_ARN, accessKeyId: tokenKey, signedAt: query['X-Amz-Date'] });
    }

    // The role was assumed once, with the bot's own credentials, for the token and the AWS calls alike.
    expect(h.aws.sts.calls).toEqual([
      {
        action: 'AssumeRole',
        params: expect.objectContaining({ RoleArn: ROLE, RoleSessionName: 'nlb-ingress-bot-staging' }),
        status: 200,
        accessKeyId: OWN_KEY,
        presigned: false,
      },
    ]);
    const stagingCalls = h.aws.calls.filter((call) => call.region === STAGING.region);
    expect(stagingCalls.map((call) => call.action)).toEqual(expect.arrayContaining(['DescribeLoadBalancers', 'DescribeTargetHealth']));
    expect(stagingCalls.some((call) => call.service === 'acm')).toBe(true);
    expect(new Set(stagingCalls.map((call) => `${call.accessKeyId} ${call.status}`))).toEqual(new Set([`${tokenKey} 200`]));
    expect(h.aws.keyring.find(tokenKey!)?.arn).toBe(SESSION_ARN);
  });

  it('leaves the other edge on the bot’s own credentials and its own kubeconfig context', async () => {
    const h = await start({ staging: { via: 'eks', roleArn: ROLE } });
    const both = await ask(h, '/ips', '', DEVELOPER);
    for (const ip of [...PROD.ips, ...STAGING.ips]) expect(both.text).toContain(`${ip}/32`);
    const prodCalls = h.aws.calls.filter((call) => call.region === PROD.region);
    expect(prodCalls.length).toBeGreaterThan(0);
    expect(new Set(prodCalls.map((call) => `${call.accessKeyId} ${call.status}`))).toEqual(new Set([`${OWN_KEY} 200`]));
    expect(h.aws.sts.count('AssumeRole')).toBe(1);
    expect(h.prod.requests.length).toBeGreaterThan(0);
    expect(h.prod.tokenReviews).toEqual([]);
  });

  it('is refused when its token is not for the cluster the API server is, and the other edge still answers', async () => {
    const h = await start({ staging: { via: 'eks', cluster: 'staging-use1', reviewedCluster: 'staging-use2' } });
    const one = await ask(h, '/ips', 'staging', DEVELOPER);
    expect(one.text).toContain('Kubernetes did not accept the bot’s credentials when it tried to read the Service');
    expect(one.text).toContain('(HTTP 401)');
    expect(one.text).toContain('access entry for the bot’s IAM role');
    expect(h.staging.tokenReviews.length).toBeGreaterThan(0);
    for (const review of h.staging.tokenReviews) {
      expect(review).toEqual({ authenticated: false, reason: expect.stringContaining('refused by STS: SignatureDoesNotMatch') });
    }
    const both = await ask(h, '/ips', '', DEVELOPER);
    for (const ip of PROD.ips) expect(both.text).toContain(`${ip}/32`);
    expect(both.text).toContain('*Edge `staging`* · us-east-1\n:x: Could not be read: Kubernetes did not accept the bot’s credentials');
  });
});
