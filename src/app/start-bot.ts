import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pLimit from 'p-limit';
import type { DestinationStream } from 'pino';
import { type Clock, systemClock } from '../alerts/clock.js';
import type { HealthMonitor } from '../alerts/health-monitor.js';
import { LiveChecks, type LiveCheckTiming } from '../commands/live-checks.js';
import { type Config, describeEdge, loadConfig } from '../config.js';
import { ConfigError, isUserFacingError } from '../errors.js';
import { createHttpServer } from '../http/http-server.js';
import { createLogger, type Logger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { DnsGateway } from '../ports/dns/dns-gateway.js';
import { DecisionGateway } from '../ports/kube/decision-gateway.js';
import { PROBE_CONCURRENCY, ReachabilityProbe } from '../ports/probe/reachability-probe.js';
import { loadTrustStore } from '../ports/probe/trust-store.js';
import { InFlightWork } from '../slack/runner/in-flight-work.js';
import type { RunnerDependencies } from '../slack/runner/run-and-answer.js';
import { checkBotToken, createSlackRuntime, SLACK_EVENTS_PATH, type SlackRuntime } from '../slack/slack-runtime.js';
import {
  BUTTON_VALUE_MAX_AGE_MS,
  CALL_TIMEOUT_MS,
  DECISIONS_CONFIGMAP,
  DECISIONS_KEPT,
  DNS_TIMEOUT_MS,
  LEASE_NAME,
  LIVE_CHECK_TIMING,
  ROUTE_STATUS_WAIT_MS,
  SHUTDOWN_DRAIN_MS,
  SLACK_ANSWER_CONCURRENCY,
} from '../tuning.js';
import { buildAlertLoop } from './build-alert-loop.js';
import { buildOwnClients } from './build-clients.js';
import { buildEdges } from './build-edges.js';
import { registerListeners } from './register-listeners.js';

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
  /** Gateway mode: how long Apply waits for the controller's word on a route written (default 15 s); tests shorten it. */
  readonly routeStatusWaitMs?: number;
  /** The live check after an apply: its first delay and its retries while DNS is missing (default 5 s, 15 s, 10 min). */
  readonly liveCheckTiming?: LiveCheckTiming;
  /**
   * Where the live check's connections to an NLB address really go (default: the address itself). Only the
   * sandbox sets it, to send its made-up NLB addresses to a local stand-in of the proxy.
   */
  readonly probeDial?: (address: string, port: number) => { readonly address: string; readonly port: number };
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
  /** The events it listens to (the manifest's event subscriptions). */
  readonly eventTypes: readonly string[];
  /** The alert loop; undefined without ALERT_CHANNEL. */
  readonly healthMonitor: HealthMonitor | undefined;
  /** Graceful stop: not ready at once, in-flight answers finish (up to drainMs), then everything closes. */
  stop(drainMs?: number): Promise<void>;
  /** Settles when Slack refuses the app-level token after the start (Socket Mode): the process must end. */
  readonly fatal: Promise<ConfigError>;
}

/** The composition root: the only place that builds clients and wires them together. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const config = loadConfig(options.env);
  const logger = createLogger(config.logLevel, options.logDestination);
  const metrics = new Metrics();
  const clock = options.clock ?? systemClock;
  const callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const trust = await loadTrustStore(config.extraCaFile).catch((error: unknown) => {
    throw isUserFacingError(error) ? new ConfigError([`NODE_EXTRA_CA_CERTS: ${error.message}`]) : error;
  });
  const own = buildOwnClients(config, callTimeoutMs);
  const route53Sdk = config.dnsProvider === undefined ? undefined : await import('./route53-sdk.js');
  const clients = buildEdges(config, own, metrics, {
    callTimeoutMs,
    routeStatusWaitMs: options.routeStatusWaitMs ?? ROUTE_STATUS_WAIT_MS,
    route53Sdk,
  });
  const { edges } = clients;
  const decisions = new DecisionGateway(own.core, metrics, {
    namespace: config.podNamespace,
    name: DECISIONS_CONFIGMAP,
    maxAgeMs: BUTTON_VALUE_MAX_AGE_MS,
    maxEntries: DECISIONS_KEPT,
  });
  const dns = new DnsGateway({ servers: config.dnsServers, timeoutMs: DNS_TIMEOUT_MS });
  const listeners = { slashCommands: new Set<string>(), actionIds: new Set<string>(), eventTypes: new Set<string>() };
  const slack = createSlackRuntime(config.slack, logger, listeners);
  const runner: RunnerDependencies = {
    logger,
    metrics,
    inFlight: new InFlightWork(),
    ...listeners,
    answerLimit: pLimit(SLACK_ANSWER_CONCURRENCY),
  };
  const live = {
    checks: new LiveChecks(options.liveCheckTiming ?? LIVE_CHECK_TIMING, logger),
    probe: new ReachabilityProbe({
      ca: trust.ca,
      limit: pLimit(PROBE_CONCURRENCY),
      ...(options.probeDial === undefined ? {} : { dial: options.probeDial }),
    }),
    retryForMinutes: Math.round((options.liveCheckTiming ?? LIVE_CHECK_TIMING).retryForMs / 60_000),
  };
  registerListeners(slack.app, runner, { config, edges, dns, decisions, live, clock, logger });
  const healthMonitor = buildAlertLoop({
    config,
    own,
    edges,
    chat: slack.client,
    clock,
    logger,
    metrics,
    alertPostSpacingMs: options.alertPostSpacingMs,
  });

  const lifecycle = { listening: false, stopping: false };
  const isReady = () => lifecycle.listening && !lifecycle.stopping && slack.isConnected();
  const slackEndpoint = slack.requestListener === undefined ? undefined : { path: SLACK_EVENTS_PATH, listener: slack.requestListener };
  const server = createHttpServer({ metrics, logger, isReady, slack: slackEndpoint });
  const port = await listen(server, config.port, options.host);
  lifecycle.listening = true;
  await slack.start().catch(async (error: unknown) => {
    // A token Slack refuses at start: nothing else may keep the process alive.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clients.destroy();
    throw error;
  });
  // In the background and not waited for at shutdown: with Slack unreachable its retries take seconds.
  void checkBotToken(slack.client, logger);
  startAlertLoop(healthMonitor, config, options.healthPolling ?? 'timer', logger);
  logger.info(
    {
      mode: config.slack.mode,
      port,
      edges: config.edges.map((edge) => `${edge.name} (${edge.region}): ${describeEdge(edge)}`),
      ...(config.edgesFile === undefined ? {} : { edgesFile: config.edgesFile }),
    },
    'bot started',
  );

  let stopped: Promise<void> | undefined;
  const stop = (drainMs = SHUTDOWN_DRAIN_MS) => {
    lifecycle.stopping = true;
    live.checks.stop();
    stopped ??= stopBot({ logger, slack, runner, healthMonitor, server, clients, drainMs });
    return stopped;
  };
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const slashCommands = [...runner.slashCommands].sort();
  const eventTypes = [...runner.eventTypes].sort();
  return { config, logger, metrics, port, url, isReady, slashCommands, eventTypes, healthMonitor, stop, fatal: slack.fatal };
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function startAlertLoop(healthMonitor: HealthMonitor | undefined, config: Config, polling: 'timer' | 'manual', logger: Logger): void {
  if (healthMonitor === undefined) {
    logger.info('health alerts are off: ALERT_CHANNEL is not set (/health still works)');
    return;
  }
  if (polling === 'timer') healthMonitor.start();
  logger.info(
    {
      channels: [
        ...new Set(config.edges.map((edge) => edge.alertChannel ?? config.alertChannel).filter((channel) => channel !== undefined)),
      ],
      pollSeconds: config.healthPollSeconds,
      lease: `${config.podNamespace}/${LEASE_NAME}`,
    },
    'health alerts are on: the replica holding the Lease polls and posts',
  );
}

interface StopContext {
  readonly logger: Logger;
  readonly slack: SlackRuntime;
  readonly runner: RunnerDependencies;
  readonly healthMonitor: HealthMonitor | undefined;
  readonly server: Server;
  readonly clients: { destroy(): void };
  readonly drainMs: number;
}

/**
 * Socket Mode: no new events from the moment the socket closes. HTTP mode: requests still arriving while
 * the Pod leaves the Service's endpoints are served, and drained too, until the HTTP server closes.
 */
async function stopBot({ logger, slack, runner, healthMonitor, server, clients, drainMs }: StopContext): Promise<void> {
  logger.info({ inFlight: runner.inFlight.size }, 'shutting down');
  await slack.stop().catch((error: unknown) => logger.warn({ err: error }, 'Slack connection did not close cleanly'));
  const [drained] = await Promise.all([runner.inFlight.drain(drainMs), healthMonitor?.stop(drainMs)]);
  if (!drained) logger.warn({ inFlight: runner.inFlight.size }, 'shutdown: some answers did not finish in time');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clients.destroy();
  logger.info('stopped');
}
