import { describe, expect, it } from '@jest/globals';
import { AwsKeyring } from '../../dev/stand-ins/aws-sigv4.js';
import { reviewEksToken } from '../../dev/stand-ins/eks-token-review.js';
import type { AwsCredentials } from '../../src/ports/aws/aws-credentials.js';
import { createEksToken, EKS_TOKEN_PREFIX, EksTokenSource } from '../../src/ports/kube/eks-token.js';

const KEY = { accessKeyId: 'AKIASTANDINEXAMPLE00', secretAccessKey: 'stand-in-secret-access-key-not-real' };
const SESSION = { accessKeyId: 'ASIAEXAMPLESESSION01', secretAccessKey: 'c2Vzc2lvbi1zZWNyZXQ=', sessionToken: 'IQoJb3+/Jp==' };
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  return new URL(Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8'));
}

/** A credential provider that counts its calls and gives what `next` says. */
function counted(next: () => AwsCredentials = () => KEY) {
  const provider = async () => {
    provider.calls += 1;
    return next();
  };
  provider.calls = 0;
  return provider;
}

function clock(start = T0) {
  const state = { now: start };
  return { now: () => state.now, advance: (ms: number) => (state.now += ms) };
}

describe('an EKS token', () => {
  it('is what aws eks get-token makes: k8s-aws-v1. and a presigned STS GetCallerIdentity URL, base64url without padding', async () => {
    const token = await createEksToken({ cluster: 'prod-euw1', region: 'eu-west-1', credentials: async () => KEY }, new Date(T0));
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    const url = decode(token);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-west-1.amazonaws.com/');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIASTANDINEXAMPLE00/20260501/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20260501T120000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('carries the session token of temporary credentials, encoded so + / and = survive', async () => {
    const token = await createEksToken({ cluster: 'prod', region: 'eu-west-1', credentials: async () => SESSION }, new Date(T0));
    const url = decode(token);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(SESSION.sessionToken);
    expect(url.search).toContain('X-Amz-Security-Token=IQoJb3%2B%2FJp%3D%3D');
  });

  it('verifies as EKS verifies it, for its cluster only (the signature covers x-k8s-aws-id)', async () => {
    const keyring = new AwsKeyring([
      { ...SESSION, arn: 'arn:aws:sts::111122223333:assumed-role/r/s', account: '111122223333', userId: 'AROA:s' },
    ]);
    const token = await createEksToken({ cluster: 'prod', region: 'eu-west-1', credentials: async () => SESSION }, new Date(T0));
    const review = (clusterName: string) => reviewEksToken(token, { clusterName, region: 'eu-west-1', keyring, now: () => T0 + 1000 });
    expect(review('prod')).toMatchObject({ authenticated: true, arn: 'arn:aws:sts::111122223333:assumed-role/r/s' });
    expect(review('staging')).toMatchObject({ authenticated: false, reason: expect.stringContaining('SignatureDoesNotMatch') });
  });

  it('is signed for the STS endpoint it is given (a stand-in in tests)', async () => {
    const options = { cluster: 'prod', region: 'eu-west-1', credentials: async () => KEY, stsEndpoint: 'http://127.0.0.1:4566' };
    const url = decode(await createEksToken(options, new Date(T0)));
    expect(url.origin).toBe('http://127.0.0.1:4566');
  });
});

describe('the EKS token source', () => {
  const options = { cluster: 'prod', region: 'eu-west-1' };

  it('shares one token until it is ten minutes old, then makes a new one', async () => {
    const time = clock();
    const credentials = counted();
    const tokens = new EksTokenSource({ ...options, credentials, now: time.now });
    const first = await tokens.token();
    time.advance(10 * 60_000 - 1);
    expect(await tokens.token()).toBe(first);
    expect(credentials.calls).toBe(1);
    time.advance(1);
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20260501T121000Z');
    expect(credentials.calls).toBe(2);
  });

  it('makes one token for requests that arrive together', async () => {
    const credentials = counted();
    const tokens = new EksTokenSource({ ...options, credentials, now: clock().now });
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set(all).size).toBe(1);
    expect(credentials.calls).toBe(1);
  });

  it('replaces a token before the credentials that signed it expire', async () => {
    const time = clock();
    const credentials = counted(() => ({ ...SESSION, expiration: new Date(time.now() + 3 * 60_000) }));
    const tokens = new EksTokenSource({ ...options, credentials, now: time.now });
    const first = await tokens.token();
    time.advance(2 * 60_000 - 1);
    expect(await tokens.token()).toBe(first);
    time.advance(1);
    expect(await tokens.token()).not.toBe(first);
  });

  it('does not keep a failure: the next request tries again', async () => {
    let fail = true;
    const tokens = new EksTokenSource({
      ...options,
      credentials: async () => {
        if (fail) throw new Error('no credentials yet');
        return KEY;
      },
    });
    await expect(tokens.token()).rejects.toThrow('no credentials yet');
    fail = false;
    await expect(tokens.token()).resolves.toMatch(/^k8s-aws-v1\./);
  });
});
