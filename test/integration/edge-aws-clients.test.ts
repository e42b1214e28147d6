import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsApiServer, startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { STAND_IN_ACCOUNT } from '../../dev/stand-ins/aws-sigv4.js';
import { KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_NLB_NAME, SAMPLE_REGION, SAMPLE_WILDCARD_CERT_ARN, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import { buildAwsClientConfig } from '../../src/ports/aws/aws-client-config.js';

const ROLE = `arn:aws:iam::${STAND_IN_ACCOUNT}:role/nlb-bot-read`;
const ENV_KEY = 'AKIASTANDINEXAMPLE00';

/**
 * The AWS clients of one edge, built from buildAwsClientConfig, against the AWS stand-in with signature
 * verification on: a call verifies only when it is signed with a key the stand-in knows, so a call made with
 * an assumed role's credentials shows that role's key (and session token) in the record.
 */
let aws: AwsApiServer;

beforeAll(async () => {
  aws = await startAwsApiServer({ verifySignatures: true });
  seedSampleWorld(new KubeStore(), aws.world);
  aws.sts.roles.add(ROLE);
});
afterAll(() => aws?.close());
beforeEach(() => {
  aws.calls.length = 0;
  aws.sts.calls.length = 0;
});

const edge = (roleArn: string | undefined) => ({ name: 'prod', region: SAMPLE_REGION, roleArn, endpointUrl: aws.url });

describe('the AWS clients of an edge', () => {
  it('use the bot’s own credentials (the SDK’s default chain) when the edge has no role', async () => {
    const elbv2 = new ElasticLoadBalancingV2Client(buildAwsClientConfig(edge(undefined)));
    const answer = await elbv2.send(new DescribeLoadBalancersCommand({ Names: [SAMPLE_NLB_NAME] }));
    expect(answer.LoadBalancers?.[0]?.LoadBalancerName).toBe(SAMPLE_NLB_NAME);
    expect(aws.calls.map((call) => call.accessKeyId)).toEqual([ENV_KEY]);
    expect(aws.sts.calls).toEqual([]);
  });

  it('assume the edge’s role once for all its clients, and sign ELBv2 and ACM calls with the role’s credentials', async () => {
    const config = buildAwsClientConfig(edge(ROLE));
    const elbv2 = new ElasticLoadBalancingV2Client(config);
    const acm = new ACMClient(config);
    await Promise.all([
      elbv2.send(new DescribeLoadBalancersCommand({ Names: [SAMPLE_NLB_NAME] })),
      acm.send(new DescribeCertificateCommand({ CertificateArn: SAMPLE_WILDCARD_CERT_ARN })),
    ]);
    await elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(aws.sts.calls).toEqual([
      {
        action: 'AssumeRole',
        params: expect.objectContaining({ RoleArn: ROLE, RoleSessionName: 'nlb-ingress-bot-prod' }),
        status: 200,
        accessKeyId: ENV_KEY,
        presigned: false,
      },
    ]);
    const signers = new Set(aws.calls.map((call) => call.accessKeyId));
    expect(aws.calls.map((call) => call.status)).toEqual([200, 200, 200]);
    expect(signers.size).toBe(1);
    const [assumed] = signers;
    expect(assumed).toMatch(/^ASIA/);
    expect(aws.keyring.find(assumed!)?.arn).toBe(`arn:aws:sts::${STAND_IN_ACCOUNT}:assumed-role/nlb-bot-read/nlb-ingress-bot-prod`);
  });

  it('make no ELBv2 call when STS refuses the role', async () => {
    const elbv2 = new ElasticLoadBalancingV2Client(buildAwsClientConfig(edge(`arn:aws:iam::${STAND_IN_ACCOUNT}:role/not-trusted`)));
    await expect(elbv2.send(new DescribeLoadBalancersCommand({}))).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
    expect(aws.sts.calls.map((call) => [call.action, call.status])).toEqual([['AssumeRole', 403]]);
    expect(aws.calls).toEqual([]);
  });
});

describe('the AWS stand-in with signature verification', () => {
  const sts = () => new STSClient({ region: SAMPLE_REGION, endpoint: aws.url });

  it('answers GetCallerIdentity for the key that signed it, and AssumeRole with credentials it then accepts', async () => {
    expect((await sts().send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${STAND_IN_ACCOUNT}:user/nlb-ingress-bot-tests`);
    const { Credentials } = await sts().send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'check' }));
    const assumed = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
    const asRole = new STSClient({ region: SAMPLE_REGION, endpoint: aws.url, credentials: assumed });
    expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${STAND_IN_ACCOUNT}:assumed-role/nlb-bot-read/check`,
    );
    expect(Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
  });

  it('refuses temporary credentials once they expire, and without their session token', async () => {
    const { Credentials } = await sts().send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'short', DurationSeconds: 900 }));
    const keys = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey! };
    const elbv2 = (credentials: typeof keys & { sessionToken?: string }) =>
      new ElasticLoadBalancingV2Client({ region: SAMPLE_REGION, endpoint: aws.url, credentials, maxAttempts: 1 });
    await expect(elbv2(keys).send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    const withToken = elbv2({ ...keys, sessionToken: Credentials!.SessionToken! });
    await expect(withToken.send(new DescribeLoadBalancersCommand({}))).resolves.toBeDefined();
    // Their 15 minutes are over (the stand-in's clock stays near the SDK's: AWS also refuses a skewed request).
    const issued = aws.keyring.find(keys.accessKeyId)!;
    expect(issued.expiresAt).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    aws.keyring.add({ ...issued, expiresAt: Date.now() - 1 });
    await expect(withToken.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
  });

  it('refuses a wrong secret and an unknown key, on the Query (ELBv2) and the JSON (ACM) protocol alike', async () => {
    const wrongSecret = { accessKeyId: ENV_KEY, secretAccessKey: 'not-the-secret' };
    const unknown = { accessKeyId: 'AKIANOBODYKNOWSTHIS0', secretAccessKey: 'x' };
    const client = { region: SAMPLE_REGION, endpoint: aws.url, maxAttempts: 1 };
    await expect(
      new ElasticLoadBalancingV2Client({ ...client, credentials: wrongSecret }).send(new DescribeLoadBalancersCommand({})),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(
      new ACMClient({ ...client, credentials: unknown }).send(new DescribeCertificateCommand({ CertificateArn: SAMPLE_WILDCARD_CERT_ARN })),
    ).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(
      new ACMClient({ ...client, credentials: wrongSecret }).send(
        new DescribeCertificateCommand({ CertificateArn: SAMPLE_WILDCARD_CERT_ARN }),
      ),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    expect(aws.calls).toEqual([]);
  });

  it('keeps its old leniency without verifySignatures: any signed request is served', async () => {
    const lenient = await startAwsApiServer();
    try {
      const credentials = { accessKeyId: 'AKIANOBODYKNOWSTHIS0', secretAccessKey: 'x' };
      await new ElasticLoadBalancingV2Client({ region: SAMPLE_REGION, endpoint: lenient.url, credentials }).send(
        new DescribeLoadBalancersCommand({}),
      );
      expect(lenient.calls.map((call) => [call.action, call.status, call.accessKeyId])).toEqual([
        ['DescribeLoadBalancers', 200, 'AKIANOBODYKNOWSTHIS0'],
      ]);
    } finally {
      await lenient.close();
    }
  });
});
