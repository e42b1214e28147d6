import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import { ACMClient } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CoordinationV1Api, CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { systemClock, type Clock } from './alerts/clock.js';
import { HealthMetrics } from './alerts/health-metrics.js';
import { HealthMonitor } from './alerts/health-monitor.js';
import { LeaderElector } from './alerts/leader-election.js';
import { SlackAlertPublisher } from './slack/alert-publisher.js';
import { getHealth, type HealthDependencies } from './commands/health.js';
import { HealthSnapshots } from './commands/health-snapshots.js';
import { IpsCache } from './commands/ips.js';
import { loadConfig, type Config } from './config.js';
import { SharedNlbLocator } from './nlb/shared-nlb-locator.js';
import { createHttpServer } from './http/http-server.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { AcmGateway } from './ports/aws/acm-gateway.js';
import { Elbv2Gateway } from './ports/aws/elbv2-gateway.js';
import { instrumentAwsClient } from './ports/aws/instrument.js';
import { NodeDnsResolver } from './ports/dns/dns-resolver.js';
import { IngressGateway } from './ports/kube/ingress-gateway.js';
import { loadKubeConfig } from './ports/kube/kube-config.js';
import { LeaseGateway } from './ports/kube/lease-gateway.js';
import { NodeGateway } from './ports/kube/node-gateway.js';
import { PodGateway } from './ports/kube/pod-gateway.js';
import { ServiceGateway } from './ports/kube/service-gateway.js';
import { ButtonValueSigner } from './slack/button-value-signer.js';
import { InFlightWork } from './slack/runner/in-flight-work.js';
import { type RunnerDependencies } from './slack/runner/run-and-answer.js';
import { registerExposeListeners } from './slack/listeners/expose-listener.js';
import { registerHealthCommand } from './slack/listeners/health-listener.js';
import { registerIpsCommand } from './slack/listeners/ips-listener.js';
import { registerUnexposeListeners } from './slack/listeners/unexpose-listener.js';
import { checkBotToken, createSlackRuntime, SLACK_EVENTS_PATH } from './slack/slack-runtime.js';

export interface BotOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where JSON log lines go; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Listen address; all interfaces when absent (a Pod is reached on its own IP). */
  readonly host?: string;
  /** Time for the alert loop, the Lease and certificate days; the system clock when absent. */
  readonly clock?: Clock;
  /**
   * "timer" (default): the alert loop polls every HEALTH_POLL_SECONDS on its own. "manual": it never
   * runs by itself; the caller drives it through RunningBot.healthMonitor (tests, with a fake clock).
   */
  readonly healthPolling?: 'timer' | 'manual';
  /** Deadline of each Kubernetes call (default 10 s; an AWS call attempt gets half); tests shorten it. */
  readonly callTimeoutMs?: number;
  /** Least time between two alert messages (default 1100 ms: Slack allows about one per second per channel). */
  readonly alertPostSpacingMs?: number;
}

export interface RunningBot {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The port the HTTP server listens on (useful with PORT=0). */
  readonly port: number;
  readonly url: string;
  isReady(): boolean;
  /** The slash commands the Slack app answers (manifests/slack-app.yaml must declare exactly these). */
  readonly slashCommands: readonly string[];
  /** The alert loop; undefined without ALERT_CHANNEL. */
  readonly healthMonitor: HealthMonitor | undefined;
  /** Graceful stop: not ready at once, in-flight answers finish (up to drainMs), then everything closes. */
  stop(drainMs?: number): Promise<void>;
}

/** Each Kubernetes call is given up after this long, and each AWS call attempt after half of it. */
const CALL_TIMEOUT_MS = 10_000;
/** How long a found NLB is reused by /ips and the other commands before AWS is asked again. */
const NLB_CACHE_TTL_MS = 5 * 60_000;
/** Answers sent to Slack at once, at most (see RunnerDependencies.answerLimit). */
const SLACK_ANSWER_CONCURRENCY = 16;
/** /ips answers from its cache for this long; after it, the next /ips still answers at once and refreshes. */
const IPS_FRESH_MS = 30_000;
/** DNS is only a warning in /expose: its lookup may not hold the answer up for longer than this. */
const DNS_TIMEOUT_MS = 2000;
/** AWS calls the alert poll may have in flight; /health has its own bound, so the poll never waits behind it. */
const HEALTH_AWS_CONCURRENCY = 10;
const HEALTH_COMMAND_AWS_CONCURRENCY = 5;
/** /health answers from a snapshot at most this old; several at once share one read. */
const HEALTH_SNAPSHOT_MAX_AGE_MS = 5_000;
const LEASE_NAME = 'nlb-ingress-bot-leader';
const LEASE_RENEW_MS = 5_000;

/** The composition root: the only place that builds clients and wires them together. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel, options.logDestination);
  const metrics = new Metrics();
  const inFlight = new InFlightWork();

  const callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const kubeConfig = loadKubeConfig(config.kubeconfigPath, callTimeoutMs);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const networking = kubeConfig.makeApiClient(NetworkingV1Api);
  const clock = options.clock ?? systemClock;

  const awsClientConfig = {
    region: config.aws.region,
    maxAttempts: 5,
    // Without these the SDK waits for a silent endpoint forever. Each attempt gets half the call deadline,
    // as the SDK retries a timed-out attempt.
    requestHandler: { connectionTimeout: Math.min(3000, callTimeoutMs), requestTimeout: callTimeoutMs / 2, throwOnRequestTimeout: true },
    ...(config.aws.endpointUrl === undefined ? {} : { endpoint: config.aws.endpointUrl }),
  };
  const elbv2Client = new ElasticLoadBalancingV2Client(awsClientConfig);
  const acmClient = new ACMClient(awsClientConfig);
  instrumentAwsClient(elbv2Client, metrics);
  instrumentAwsClient(acmClient, metrics);

  const services = new ServiceGateway(core, metrics);
  const ingresses = new IngressGateway(networking, metrics);
  const elbv2 = new Elbv2Gateway(elbv2Client);
  const acm = new AcmGateway(acmClient);
  const locator = new SharedNlbLocator({
    services,
    elbv2,
    controller: config.ingressController,
    region: config.aws.region,
    cacheTtlMs: NLB_CACHE_TTL_MS,
  });

  const slack = createSlackRuntime(config.slack, logger);
  const runner: RunnerDependencies = { logger, metrics, inFlight, slashCommands: new Set(), answerLimit: pLimit(SLACK_ANSWER_CONCURRENCY) };
  const ips = new IpsCache(
    { locator, ingresses, ingressClass: config.ingressClass },
    { freshMs: IPS_FRESH_MS, staleMs: NLB_CACHE_TTL_MS, now: () => clock.now(), onRefreshError: (error) => logger.warn({ err: error }, '/ips: refreshing the cached answer failed') },
  );
  registerIpsCommand(slack.app, runner, ips);
  const exposeSlack = {
    signer: new ButtonValueSigner(config.slack.signingSecret),
    admins: config.exposeAdmins,
    alertChannel: config.alertChannel,
    now: () => new Date(clock.now()),
  };
  registerExposeListeners(slack.app, runner, {
    ...exposeSlack,
    expose: {
      services,
      ingresses,
      locator,
      certificates: { elbv2, acm },
      dns: new NodeDnsResolver({ servers: config.dnsServers, timeoutMs: DNS_TIMEOUT_MS }),
      ingressClass: config.ingressClass,
      exposeNamespaces: config.exposeNamespaces,
    },
  });
  registerUnexposeListeners(slack.app, runner, { ...exposeSlack, unexpose: { ingresses, exposeNamespaces: config.exposeNamespaces } });
  const health: HealthDependencies = {
    locator,
    elbv2,
    acm,
    nodes: new NodeGateway(core, metrics),
    pods: new PodGateway(core, metrics),
    now: () => new Date(clock.now()),
  };
  const [pollLimit, commandLimit] = [pLimit(HEALTH_AWS_CONCURRENCY), pLimit(HEALTH_COMMAND_AWS_CONCURRENCY)];
  const snapshots = new HealthSnapshots({ read: () => getHealth(health, { awsLimit: commandLimit }), maxAgeMs: HEALTH_SNAPSHOT_MAX_AGE_MS, now: () => clock.now() });
  registerHealthCommand(slack.app, runner, snapshots);

  let healthMonitor: HealthMonitor | undefined;
  if (config.alertChannel !== undefined) {
    // The pod name (HOSTNAME in a Pod) plus a random suffix: a restarted pod is a new candidate.
    const identity = `${options.env['HOSTNAME'] ?? hostname()}-${randomBytes(3).toString('hex')}`;
    healthMonitor = new HealthMonitor({
      elector: new LeaderElector({
        leases: new LeaseGateway(kubeConfig.makeApiClient(CoordinationV1Api), metrics, config.podNamespace, LEASE_NAME),
        identity,
        clock,
        logger,
      }),
      readHealth: (signal) => getHealth(health, { awsLimit: pollLimit, signal }),
      publisher: new SlackAlertPublisher(slack.client, logger, options.alertPostSpacingMs),
      channel: config.alertChannel,
      clock,
      logger,
      metrics: new HealthMetrics(metrics.registry),
      pollIntervalMs: config.healthPollSeconds * 1000,
      renewIntervalMs: LEASE_RENEW_MS,
    });
  }

  let listening = false;
  let stopping = false;
  const isReady = () => listening && !stopping && slack.isConnected();
  const server = createHttpServer({
    metrics,
    logger,
    isReady,
    slack: slack.requestListener === undefined ? undefined : { path: SLACK_EVENTS_PATH, listener: slack.requestListener },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  listening = true;
  const port = (server.address() as AddressInfo).port;
  await slack.start();
  // In the background and not waited for at shutdown: with Slack unreachable its retries take seconds.
  void checkBotToken(slack.client, logger);
  if (healthMonitor === undefined) logger.info('health alerts are off: ALERT_CHANNEL is not set (/health still works)');
  else {
    if (options.healthPolling !== 'manual') healthMonitor.start();
    logger.info(
      { channel: config.alertChannel, pollSeconds: config.healthPollSeconds, lease: `${config.podNamespace}/${LEASE_NAME}` },
      'health alerts are on: the replica holding the Lease polls and posts',
    );
  }
  logger.info(
    { mode: config.slack.mode, port, controller: `${config.ingressController.namespace}/${config.ingressController.name}`, region: config.aws.region },
    'bot started',
  );

  let stopped: Promise<void> | undefined;
  return {
    config,
    logger,
    metrics,
    port,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    isReady,
    slashCommands: [...runner.slashCommands].sort(),
    healthMonitor,
    stop: (drainMs = 10_000) => {
      stopped ??= (async () => {
        stopping = true;
        logger.info({ inFlight: inFlight.size }, 'shutting down');
        // Socket Mode: no new events from here on. HTTP mode: requests still arriving while the Pod leaves the
        // Service's endpoints are served, and drained too, until the HTTP server closes below.
        await slack.stop().catch((error: unknown) => logger.warn({ err: error }, 'Slack connection did not close cleanly'));
        const [drained] = await Promise.all([inFlight.drain(drainMs), healthMonitor?.stop(drainMs)]);
        if (!drained) logger.warn({ inFlight: inFlight.size }, 'shutdown: some answers did not finish in time');
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        elbv2Client.destroy();
        acmClient.destroy();
        logger.info('stopped');
      })();
      return stopped;
    },
  };
}
