import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer as createHttpsServer, Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach } from '@jest/globals';
import { stringify } from 'yaml';
import type { AwsWorld } from '../../dev/stand-ins/aws-api-server.js';
import { type KubeApiServer, type KubeRequestRecord, type KubeStore, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import {
  SAMPLE_HTTPS_TG_ARN,
  SAMPLE_NLB_DNS,
  SAMPLE_NLB_NAME,
  type SampleWorldOptions,
  sampleKubeObjects,
  sampleNodes,
  seedSampleAws,
  seedSampleWorld,
} from '../../dev/stand-ins/sample-world.js';
import { STAND_IN_CA_DATA, STAND_IN_CA_PEM, STAND_IN_SERVER_CERT_PEM, STAND_IN_SERVER_KEY_PEM } from '../../dev/stand-ins/stand-in-tls.js';
import { LEASE_NAME } from '../../src/tuning.js';
import { startBlackHole } from './black-hole.js';
import { ADMIN, CHANNEL, type Harness, type HarnessOptions, messageText, startHarness } from './harness.js';

/**
 * One bot serving two edges, as an EDGES_FILE describes them: `prod` (eu-west-1) and `staging` (us-east-1), each
 * its own Kubernetes stand-in reached through its own context of one kubeconfig, each its own AWS region on the one
 * AWS stand-in (worldFor: the SigV4 scope of a request picks the region's ELBv2 and ACM).
 *
 * The bot's own cluster, where its Lease and its ConfigMap of approval decisions live, is a third stand-in, the
 * harness's `kube` (the kubeconfig's current-context `bot-ctx`). Not prod's: with the bookkeeping elsewhere, "writes
 * only in prod's cluster" means every write in prod's request log is the exposure's, and either edge's API server
 * can be taken down while the Lease (which every alert poll needs) stays reachable, as when the bot runs in a
 * management cluster of its own.
 */

export const GLOBAL_ADMIN = ADMIN;

export interface EdgeFixture {
  readonly name: string;
  readonly context: string;
  readonly region: string;
  readonly admin: string;
  readonly alertChannel: string;
  readonly exposeNamespaces: readonly string[];
  readonly nlbName: string;
  readonly nlbDns: string;
  /** The NLB's public addresses, one per zone. */
  readonly ips: readonly string[];
  readonly httpsTargetGroupArn: string;
  /** The Lease annotation with this edge's incident state. */
  readonly stateKey: string;
}

const STAGING_NLB_NAME = 'b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2';

/** What makes staging's world its own: another NLB (name, id, addresses), another region, other nodes. */
const TO_STAGING: ReadonlyArray<readonly [string, string]> = [
  [SAMPLE_NLB_NAME, STAGING_NLB_NAME],
  ['0123456789abcdef', 'fedcba9876543210'],
  ['eu-west-1', 'us-east-1'],
  ['52.17.', '3.210.'],
  ['eipalloc-0', 'eipalloc-7'],
  ['i-0a1b2c3d4e5f6', 'i-0f6e5d4c3b2a1'],
  ['sample-cluster', 'staging-cluster'],
  ['10.0.', '10.20.'],
];

function toStaging(text: string): string {
  return TO_STAGING.reduce((changed, [from, to]) => changed.split(from).join(to), text);
}

/** A copy of a sample-world value with every string moved to staging (Dates and other objects kept as they are). */
function restage<T>(value: T): T {
  if (typeof value === 'string') return toStaging(value) as T;
  if (Array.isArray(value)) return value.map((item) => restage(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [toStaging(key), restage(item)])) as T;
  }
  return value;
}

export const PROD: EdgeFixture = {
  name: 'prod',
  context: 'prod-ctx',
  region: 'eu-west-1',
  admin: 'U0PRODADMIN',
  alertChannel: 'C0PRODALRT',
  exposeNamespaces: ['team-a'],
  nlbName: SAMPLE_NLB_NAME,
  nlbDns: SAMPLE_NLB_DNS,
  ips: ['52.17.10.100', '52.17.11.101'],
  httpsTargetGroupArn: SAMPLE_HTTPS_TG_ARN,
  stateKey: 'nlb-ingress-bot/alert-state.prod',
};

export const STAGING: EdgeFixture = {
  name: 'staging',
  context: 'staging-ctx',
  region: 'us-east-1',
  admin: 'U0STAGEADM',
  alertChannel: 'C0STAGEALRT',
  exposeNamespaces: ['team-a', 'team-b'],
  nlbName: STAGING_NLB_NAME,
  nlbDns: toStaging(SAMPLE_NLB_DNS),
  ips: ['3.210.10.100', '3.210.11.101'],
  httpsTargetGroupArn: toStaging(SAMPLE_HTTPS_TG_ARN),
  stateKey: 'nlb-ingress-bot/alert-state.staging',
};

/** The sample world of the write-up, moved to staging: us-east-1, its own NLB, nodes and certificates. */
export function seedStagingWorld(kube: KubeStore, aws: AwsWorld, options: SampleWorldOptions = {}): void {
  const nodes = options.nodes ?? sampleNodes();
  const policy = options.externalTrafficPolicy ?? 'Cluster';
  for (const object of sampleKubeObjects(nodes, policy)) kube.upsert(restage(object));
  const seeded: AwsWorld = { loadBalancers: [], listeners: [], targetGroups: [], certificates: [] };
  seedSampleAws(seeded, nodes, policy, options);
  aws.loadBalancers.push(...restage(seeded.loadBalancers));
  aws.listeners.push(...restage(seeded.listeners));
  aws.targetGroups.push(...restage(seeded.targetGroups));
  aws.certificates.push(...restage(seeded.certificates));
}

export interface EdgesHarness extends Harness {
  /** Prod's Kubernetes API server (context prod-ctx; with `prod.hang` the context points at a black hole instead). */
  readonly prod: KubeApiServer;
  /** Staging's: context staging-ctx, or with `staging.via: 'eks'` an HTTPS stand-in that takes only EKS tokens. */
  readonly staging: KubeApiServer;
  /** The AWS world of each edge's region. */
  readonly prodAws: AwsWorld;
  readonly stagingAws: AwsWorld;
  /** The EDGES_FILE the bot read, and its text. */
  readonly edgesFile: string;
  readonly edgesYaml: string;
  /** EKS staging: the Authorization header of every request the bot sent to staging's API server, in order. */
  readonly stagingAuthorizations: readonly string[];
}

export interface EdgesHarnessOptions extends Omit<HarnessOptions, 'seed' | 'prepare'> {
  /** How each edge's sample world is seeded (the sample world's options); changes after seeding go in `seed`. */
  readonly prodWorld?: SampleWorldOptions;
  readonly stagingWorld?: SampleWorldOptions;
  readonly seed?: (worlds: {
    readonly prod: KubeStore;
    readonly prodAws: AwsWorld;
    readonly staging: KubeStore;
    readonly stagingAws: AwsWorld;
  }) => void;
  /**
   * `eks`: staging is an EKS cluster (`eks:` in the edges file), an HTTPS stand-in that accepts only EKS tokens for
   * the cluster `cluster`, bound to us-east-1 and signed with keys the AWS stand-in knows (or its STS issued).
   */
  readonly staging?: {
    readonly via?: 'kube-context' | 'eks';
    readonly cluster?: string;
    /** EKS: the cluster name the stand-in accepts tokens for, when not `cluster` (a token for another cluster). */
    readonly reviewedCluster?: string;
    readonly roleArn?: string;
  };
  /** `hang`: prod's context points at an endpoint that accepts connections and never answers (a hung API server). */
  readonly prod?: { readonly roleArn?: string; readonly hang?: boolean };
}

/** Starts the stand-ins (the bot's own cluster, prod's, staging's, AWS, Slack, DNS) and the bot with both edges. */
export async function startEdgesHarness(options: EdgesHarnessOptions = {}): Promise<EdgesHarness> {
  const { prodWorld, stagingWorld, seed, staging: stagingOptions = {}, prod: prodOptions = {}, ...rest } = options;
  const eks = stagingOptions.via === 'eks';
  const cluster = stagingOptions.cluster ?? 'staging-use1';
  let parts:
    | {
        prod: KubeApiServer;
        staging: KubeApiServer;
        prodAws: AwsWorld;
        stagingAws: AwsWorld;
        edgesFile: string;
        edgesYaml: string;
        authorizations: string[];
      }
    | undefined;
  const harness = await startHarness({
    ...rest,
    prepare: async ({ aws, kube, dir }) => {
      for (const role of [prodOptions.roleArn, stagingOptions.roleArn]) if (role !== undefined) aws.sts.roles.add(role);
      const prod = await startKubeApiServer();
      const staging = await startKubeApiServer(
        eks
          ? {
              tls: true,
              eks: {
                clusterName: stagingOptions.reviewedCluster ?? cluster,
                region: STAGING.region,
                keyring: aws.keyring,
                stsEndpoint: aws.url,
              },
            }
          : {},
      );
      const proxy = eks ? await startRecordingProxy(staging.url) : undefined;
      const blackHole = prodOptions.hang === true ? await startBlackHole() : undefined;
      const prodAws = aws.worldFor(PROD.region);
      const stagingAws = aws.worldFor(STAGING.region);
      seedSampleWorld(prod.store, prodAws, prodWorld);
      seedStagingWorld(staging.store, stagingAws, stagingWorld);
      seed?.({ prod: prod.store, prodAws, staging: staging.store, stagingAws });

      const kubeconfigPath = join(dir, 'edges-kubeconfig.yaml');
      const clusters = [
        { context: 'bot-ctx', server: kube },
        { context: PROD.context, server: prod, url: blackHole?.url },
        ...(eks ? [] : [{ context: STAGING.context, server: staging }]),
      ];
      writeFileSync(kubeconfigPath, kubeconfig(clusters, 'bot-ctx'));
      const edges = [
        edgeEntry(PROD, { kubeContext: PROD.context }, prodOptions.roleArn),
        edgeEntry(
          STAGING,
          eks
            ? { eks: { cluster, endpoint: proxy?.url ?? staging.url, certificateAuthorityData: STAND_IN_CA_DATA } }
            : { kubeContext: STAGING.context },
          stagingOptions.roleArn,
        ),
      ];
      const edgesYaml = stringify({ edges });
      const edgesFile = join(dir, 'edges.yaml');
      writeFileSync(edgesFile, edgesYaml);
      parts = { prod, staging, prodAws, stagingAws, edgesFile, edgesYaml, authorizations: proxy?.authorizations ?? [] };
      return {
        // The edges file sets what EXPOSE_NAMESPACES and AWS_REGION set for one edge; EXPOSE_ADMINS stays global.
        env: { KUBECONFIG: kubeconfigPath, EDGES_FILE: edgesFile, EXPOSE_NAMESPACES: '', AWS_REGION: '', EXPOSE_ADMINS: GLOBAL_ADMIN },
        close: async () => {
          await Promise.all([proxy?.close(), blackHole?.close()]);
          await Promise.all([prod.close(), staging.close()]);
        },
      };
    },
  });
  if (parts === undefined) throw new Error('the edges harness was not prepared');
  return {
    ...harness,
    prod: parts.prod,
    staging: parts.staging,
    prodAws: parts.prodAws,
    stagingAws: parts.stagingAws,
    edgesFile: parts.edgesFile,
    edgesYaml: parts.edgesYaml,
    stagingAuthorizations: parts.authorizations,
  };
}

/** One edges harness per test, closed after it (like harnessPerTest). */
export function edgesHarnessPerTest(defaults: EdgesHarnessOptions = {}): (options?: EdgesHarnessOptions) => Promise<EdgesHarness> {
  let current: EdgesHarness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startEdgesHarness({ ...defaults, ...options, env: { ...defaults.env, ...options.env } });
    return current;
  };
}

function edgeEntry(edge: EdgeFixture, cluster: Record<string, unknown>, roleArn: string | undefined): Record<string, unknown> {
  return {
    name: edge.name,
    ...cluster,
    region: edge.region,
    ...(roleArn === undefined ? {} : { roleArn }),
    ingressClass: 'nginx',
    controllerService: 'ingress-nginx/ingress-nginx-controller',
    exposeNamespaces: [...edge.exposeNamespaces],
    admins: [edge.admin],
    alertChannel: edge.alertChannel,
  };
}

/** One kubeconfig with a cluster, user and context per stand-in (http: TLS verification off, as kube.kubeconfig()). */
function kubeconfig(entries: ReadonlyArray<{ context: string; server: KubeApiServer; url?: string | undefined }>, current: string): string {
  const name = (context: string) => context.replace(/-ctx$/, '');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map(({ context, server, url }) => ({
      name: name(context),
      cluster: { server: url ?? server.url, 'insecure-skip-tls-verify': true },
    })),
    users: entries.map(({ context, server }) => ({ name: name(context), user: { token: server.token } })),
    contexts: entries.map(({ context }) => ({ name: context, context: { cluster: name(context), user: name(context) } })),
    'current-context': current,
  });
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Every write a Kubernetes stand-in served (or refused). */
export function writesIn(server: KubeApiServer): KubeRequestRecord[] {
  return server.requests.filter((request) => WRITE_VERBS.has(request.verb));
}

/** The bot's Lease in its own cluster, with the incident state of every edge in its annotations. */
export function leaseAnnotations(harness: EdgesHarness): Readonly<Record<string, string>> {
  return harness.kube.store.get('coordination.k8s.io/v1', 'Lease', 'default', LEASE_NAME)?.metadata.annotations ?? {};
}

/** The messages the bot posted with chat.postMessage to a channel (top level and replies). */
export function postedTo(harness: Harness, channel: string) {
  return harness.slack.messages.filter((message) => message.channel === channel && message.via === 'chat.postMessage');
}

/**
 * An HTTPS front of an HTTPS stand-in, with the stand-in's certificate (so the edge's certificateAuthorityData
 * holds): it records the Authorization header of every request, the EKS token as it went over the wire.
 */
async function startRecordingProxy(target: string): Promise<{ url: string; authorizations: string[]; close(): Promise<void> }> {
  const authorizations: string[] = [];
  const agent = new HttpsAgent({ ca: STAND_IN_CA_PEM });
  const server = createHttpsServer({ cert: STAND_IN_SERVER_CERT_PEM, key: STAND_IN_SERVER_KEY_PEM }, (request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    const upstream = httpsRequest(
      new URL(request.url ?? '/', target),
      { method: request.method ?? 'GET', headers: request.headers, agent },
      (answer: IncomingMessage) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/**
 * Runs a slash command in CHANNEL and returns its answer: the acknowledgement's own body when the bot answered
 * at once (a cached /ips, a help text), otherwise what it posted to the response_url.
 */
export async function ask(
  harness: Harness,
  name: string,
  text: string,
  user: string,
): Promise<{ text: string; body: Readonly<Record<string, unknown>>; immediate: boolean }> {
  const sent = await harness.slash(name, text, { user, channel: CHANNEL });
  if (sent.status !== 200) throw new Error(`${name} was answered with HTTP ${sent.status}`);
  if (sent.body.trim() !== '') {
    const body = JSON.parse(sent.body) as Record<string, unknown>;
    return { text: messageText(body), body, immediate: true };
  }
  const answer = await harness.response(sent.responseUrl);
  return { text: messageText(answer.body), body: answer.body, immediate: false };
}
