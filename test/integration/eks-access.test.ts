import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { type AwsApiServer, startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { STAND_IN_ACCOUNT } from '../../dev/stand-ins/aws-sigv4.js';
import { type KubeApiServer, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { STAND_IN_CA_DATA, UNRELATED_CA_PEM } from '../../dev/stand-ins/stand-in-tls.js';
import { ConfigError } from '../../src/errors.js';
import type { AwsCredentialProvider } from '../../src/ports/aws/aws-credentials.js';
import { type BearerTokenSource, createEksToken, EKS_TOKEN_PREFIX, EksTokenSource } from '../../src/ports/kube/eks-token.js';
import { loadEksKubeConfig, loadKubeContext } from '../../src/ports/kube/kube-config.js';

const CLUSTER = 'prod-euw1';
const REGION = 'eu-west-1';
const ROLE = `arn:aws:iam::${STAND_IN_ACCOUNT}:role/nlb-bot-read`;

/**
 * An EKS edge reached as the bot reaches it in production: client-node over HTTPS, trusting only the cluster's
 * certificateAuthorityData, with a token the bot signs itself from an SDK credential provider. The Kubernetes
 * stand-in checks the token as EKS and STS do (dev/stand-ins/eks-token-review.ts) with the keys the AWS
 * stand-in knows, including those its STS issues.
 */
let aws: AwsApiServer;
let kube: KubeApiServer;
const time = { offsetMs: 0 };
const now = () => Date.now() + time.offsetMs;

beforeAll(async () => {
  aws = await startAwsApiServer({ verifySignatures: true, now });
  aws.sts.roles.add(ROLE);
  kube = await startKubeApiServer({ tls: true, eks: { clusterName: CLUSTER, region: REGION, keyring: aws.keyring, now } });
  kube.store.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterAll(async () => {
  await kube?.close();
  await aws?.close();
});
beforeEach(() => {
  time.offsetMs = 0;
  kube.tokenReviews.length = 0;
});

const eksEdge = () => ({ cluster: CLUSTER, endpoint: kube.url, certificateAuthorityData: STAND_IN_CA_DATA });

function namespacesWith(tokens: BearerTokenSource, certificateAuthorityData = STAND_IN_CA_DATA): Promise<string[]> {
  const api = loadEksKubeConfig({ ...eksEdge(), certificateAuthorityData }, tokens, 5000).makeApiClient(CoreV1Api);
  return api.listNamespace().then((list) => list.items.map((item) => item.metadata?.name ?? ''));
}

const fixed = (token: string): BearerTokenSource => ({ token: async () => token });

async function refusedWith(token: string): Promise<string> {
  const error = await namespacesWith(fixed(token)).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ApiException);
  expect((error as ApiException<unknown>).code).toBe(401);
  const review = kube.tokenReviews.at(-1);
  return review?.authenticated === false ? review.reason : 'accepted';
}

describe('an EKS edge', () => {
  it('is reached with a token from the real SDK credential chain, over TLS checked against its CA data', async () => {
    const tokens = new EksTokenSource({ cluster: CLUSTER, region: REGION, credentials: fromNodeProviderChain() });
    expect(await namespacesWith(tokens)).toEqual(['shop']);
    expect(kube.tokenReviews).toEqual([
      {
        authenticated: true,
        arn: `arn:aws:iam::${STAND_IN_ACCOUNT}:user/nlb-ingress-bot-tests`,
        accessKeyId: 'AKIASTANDINEXAMPLE00',
        signedAt: expect.any(String),
      },
    ]);
  });

  it('is refused over TLS when the CA data is another CA’s, before any token is shown', async () => {
    const tokens = new EksTokenSource({ cluster: CLUSTER, region: REGION, credentials: fromNodeProviderChain() });
    const other = Buffer.from(UNRELATED_CA_PEM).toString('base64');
    const before = kube.requests.length;
    await expect(namespacesWith(tokens, other)).rejects.not.toBeInstanceOf(ApiException);
    expect(kube.requests.length).toBe(before);
    expect(kube.tokenReviews).toEqual([]);
  });

  describe('refuses a token that is not right, with 401', () => {
    const sign = (options: { cluster?: string; region?: string; at?: number; credentials?: AwsCredentialProvider } = {}) =>
      createEksToken(
        {
          cluster: options.cluster ?? CLUSTER,
          region: options.region ?? REGION,
          credentials: options.credentials ?? fromNodeProviderChain(),
        },
        new Date(options.at ?? Date.now()),
      );
    const url = (token: string) => Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8');
    const token = (text: string) => `${EKS_TOKEN_PREFIX}${Buffer.from(text).toString('base64url')}`;

    it('tampered: one character of the signature changed', async () => {
      const good = url(await sign());
      const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(good)![1]!;
      const changed = good.replace(signature, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
      expect(await refusedWith(token(changed))).toContain('SignatureDoesNotMatch');
    });

    it('tampered: another action smuggled in', async () => {
      expect(await refusedWith(token(url(await sign()).replace('GetCallerIdentity', 'AssumeRole')))).toContain('is not GetCallerIdentity');
    });

    it('expired: signed more than 15 minutes ago', async () => {
      expect(await refusedWith(await sign({ at: Date.now() - 16 * 60_000 }))).toContain('is expired');
    });

    it('for another cluster', async () => {
      expect(await refusedWith(await sign({ cluster: 'staging' }))).toContain('SignatureDoesNotMatch');
    });

    it('for another region', async () => {
      expect(await refusedWith(await sign({ region: 'us-east-1' }))).toContain('names https://sts.us-east-1.amazonaws.com');
    });

    it('unsigned: the URL without its signature', async () => {
      expect(await refusedWith(token(url(await sign()).replace(/&X-Amz-Signature=[0-9a-f]+/, '')))).toContain('X-Amz-Signature');
    });

    it('signed with a key STS does not know', async () => {
      const stranger = async () => ({ accessKeyId: 'AKIANOBODYKNOWSTHIS0', secretAccessKey: 'x' });
      expect(await refusedWith(await sign({ credentials: stranger }))).toContain('InvalidClientTokenId');
    });

    it('not base64url, or not a token at all', async () => {
      expect(await refusedWith(`${EKS_TOKEN_PREFIX}aGVsbG8=`)).toContain('is not base64url without padding');
      expect(await refusedWith('k8s-aws-v2.abc')).toContain('does not start with k8s-aws-v1.');
    });

    it('valid for 900 seconds at most', async () => {
      expect(await refusedWith(token(url(await sign()).replace('X-Amz-Expires=60', 'X-Amz-Expires=3600')))).toContain('at most 900');
    });
  });

  it('is reached with the credentials of an assumed role (fromTemporaryCredentials against the STS stand-in)', async () => {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: 'nlb-ingress-bot-prod' },
      clientConfig: { region: REGION, endpoint: aws.url },
    });
    const assumedBefore = aws.sts.count('AssumeRole');
    expect(await namespacesWith(new EksTokenSource({ cluster: CLUSTER, region: REGION, credentials }))).toEqual(['shop']);
    expect(aws.sts.count('AssumeRole')).toBe(assumedBefore + 1);
    expect(kube.tokenReviews[0]).toMatchObject({
      authenticated: true,
      arn: `arn:aws:sts::${STAND_IN_ACCOUNT}:assumed-role/nlb-bot-read/nlb-ingress-bot-prod`,
      accessKeyId: expect.stringMatching(/^ASIA/),
    });
  });

  it('gets a new token once the old one is ten minutes old, which EKS would refuse five minutes later', async () => {
    const source = new EksTokenSource({ cluster: CLUSTER, region: REGION, credentials: fromNodeProviderChain(), now });
    const shown: string[] = [];
    const tokens = { token: async () => shown[shown.push(await source.token()) - 1]! };
    for (const minutes of [0, 5, 11, 16]) {
      time.offsetMs = minutes * 60_000;
      expect(await namespacesWith(tokens)).toEqual(['shop']);
    }
    const signedAt = kube.tokenReviews.map((review) => (review.authenticated ? review.signedAt : review.reason));
    expect(new Set(signedAt.slice(0, 2)).size).toBe(1);
    expect(new Set(signedAt.slice(2)).size).toBe(1);
    expect(signedAt[2]).not.toBe(signedAt[0]);
    // The first token, shown again at 16 minutes, is refused.
    expect(await refusedWith(shown[0]!)).toContain('is expired');
  });

  it('is what STS answers GetCallerIdentity for, when the token is signed for the STS stand-in (as EKS asks STS)', async () => {
    const token = await createEksToken(
      { cluster: CLUSTER, region: REGION, credentials: fromNodeProviderChain(), stsEndpoint: aws.url },
      new Date(),
    );
    const url = Buffer.from(token.slice(EKS_TOKEN_PREFIX.length), 'base64url').toString('utf8');
    const asked = async (cluster: string) => {
      const response = await fetch(url, { headers: { 'x-k8s-aws-id': cluster } });
      return { status: response.status, body: await response.text() };
    };
    const answer = await asked(CLUSTER);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`<Arn>arn:aws:iam::${STAND_IN_ACCOUNT}:user/nlb-ingress-bot-tests</Arn>`);
    expect((await asked('staging')).body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(aws.sts.calls.filter((call) => call.presigned).map((call) => call.status)).toEqual([200, 403]);
  });
});

describe('an edge in a KUBECONFIG context', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-contexts-'));
  const path = join(dir, 'kubeconfig.yaml');

  beforeAll(() => {
    const contexts = kube
      .kubeconfig()
      .replace('current-context: stand-in', 'current-context: elsewhere')
      .replace('contexts:\n', 'contexts:\n- name: elsewhere\n  context: { cluster: nowhere, user: stand-in }\n');
    writeFileSync(path, contexts);
  });

  it('is reached with the named context, whatever the current context is', async () => {
    const api = loadKubeContext(path, 'stand-in', 5000).makeApiClient(CoreV1Api);
    expect((await api.listNamespace()).items.map((item) => item.metadata?.name)).toEqual(['shop']);
  });

  it('is a configuration error when the context does not exist, naming those that do', () => {
    expect(() => loadKubeContext(path, 'prod', 5000)).toThrow(ConfigError);
    expect(problems(() => loadKubeContext(path, 'prod', 5000))).toEqual([
      `KUBECONFIG ${path} has no context "prod" (its contexts: "elsewhere", "stand-in")`,
    ]);
  });

  it('is a configuration error when the context names a cluster the file does not define', () => {
    expect(problems(() => loadKubeContext(path, 'elsewhere', 5000))).toEqual([
      `KUBECONFIG ${path}: the context "elsewhere" names the cluster "nowhere", which it does not define`,
    ]);
  });

  it('is a configuration error when the file does not exist', () => {
    expect(problems(() => loadKubeContext(join(dir, 'missing.yaml'), 'stand-in', 5000))).toEqual([
      `KUBECONFIG points to ${join(dir, 'missing.yaml')}, which does not exist`,
    ]);
  });
});

function problems(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
