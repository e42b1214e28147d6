import { describe, expect, it } from '@jest/globals';
import { buildAwsClientConfig, roleSessionName } from '../../src/ports/aws/aws-client-config.js';
import { type AwsCredentials, CREDENTIALS_REFRESH_MARGIN_MS, shareCredentials } from '../../src/ports/aws/aws-credentials.js';
import { AWS_MAX_ATTEMPTS, CALL_TIMEOUT_MS } from '../../src/tuning.js';

const edge = { name: 'prod', region: 'eu-west-1', roleArn: undefined, endpointUrl: undefined };
const KEY = { accessKeyId: 'AKIASTANDINEXAMPLE00', secretAccessKey: 'secret' };

describe('the AWS client options of an edge', () => {
  it('carry the region, the standard retry and the deadlines the bot’s clients use', () => {
    const config = buildAwsClientConfig(edge, { baseCredentials: async () => KEY });
    expect(config).toEqual({
      region: 'eu-west-1',
      maxAttempts: AWS_MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: 3000, requestTimeout: CALL_TIMEOUT_MS / 2, throwOnRequestTimeout: true },
      credentials: expect.any(Function),
    });
    expect(config).not.toHaveProperty('endpoint');
  });

  it('follow a shorter call deadline, and an endpoint override', () => {
    const config = buildAwsClientConfig({ ...edge, endpointUrl: 'http://127.0.0.1:4566' }, { callTimeoutMs: 2000 });
    expect(config.requestHandler).toEqual({ connectionTimeout: 2000, requestTimeout: 1000, throwOnRequestTimeout: true });
    expect(config.endpoint).toBe('http://127.0.0.1:4566');
  });

  it('use the bot’s own credentials when the edge has no role', async () => {
    await expect(buildAwsClientConfig(edge, { baseCredentials: async () => KEY }).credentials()).resolves.toEqual(KEY);
  });

  it('name the role session after the edge, within the 64 characters STS allows', () => {
    expect(roleSessionName('prod')).toBe('nlb-ingress-bot-prod');
    expect(roleSessionName('e'.repeat(63))).toHaveLength(64);
  });
});

describe('shared credentials', () => {
  function counting(expiresInMs: number | undefined, now: () => number) {
    const provider = async (): Promise<AwsCredentials> => {
      provider.calls += 1;
      return {
        ...KEY,
        accessKeyId: `ASIA${provider.calls}`,
        ...(expiresInMs === undefined ? {} : { expiration: new Date(now() + expiresInMs) }),
      };
    };
    provider.calls = 0;
    return provider;
  }

  it('ask the provider once for callers that come together, and keep long-term keys for good', async () => {
    const provider = counting(undefined, Date.now);
    const shared = shareCredentials(provider);
    await Promise.all([shared(), shared(), shared()]);
    await shared();
    expect(provider.calls).toBe(1);
  });

  it(`are replaced ${CREDENTIALS_REFRESH_MARGIN_MS / 60_000} minutes before they expire`, async () => {
    const state = { now: 0 };
    const provider = counting(60 * 60_000, () => state.now);
    const shared = shareCredentials(provider, () => state.now);
    expect((await shared()).accessKeyId).toBe('ASIA1');
    state.now = 50 * 60_000 - 1;
    expect((await shared()).accessKeyId).toBe('ASIA1');
    state.now = 50 * 60_000;
    expect((await shared()).accessKeyId).toBe('ASIA2');
  });

  it('do not keep a failure', async () => {
    let fail = true;
    const shared = shareCredentials(async () => {
      if (fail) throw new Error('STS is down');
      return KEY;
    });
    await expect(shared()).rejects.toThrow('STS is down');
    fail = false;
    await expect(shared()).resolves.toEqual(KEY);
  });
});
