import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Clock } from '../alerts/clock.js';
import { HealthMetrics } from '../alerts/health-metrics.js';
import { HealthMonitor } from '../alerts/health-monitor.js';
import { LeaderElector } from '../alerts/leader-election.js';
import { getHealth } from '../commands/health.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { LeaseGateway } from '../ports/kube/lease-gateway.js';
import { type ChatApi, SlackAlertPublisher } from '../slack/alert-publisher.js';
import { HEALTH_AWS_CONCURRENCY, LEASE_NAME, LEASE_RENEW_MS } from '../tuning.js';
import type { Clients } from './build-clients.js';
import type { Ports } from './build-ports.js';
import { healthDependencies } from './register-listeners.js';

export interface AlertLoopContext {
  readonly config: Config;
  readonly clients: Clients;
  readonly ports: Ports;
  readonly chat: ChatApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Least time between two alert messages; the default paces Slack's one message per second. */
  readonly alertPostSpacingMs: number | undefined;
}

/** The health loop that posts alerts, elected on a Lease; undefined without ALERT_CHANNEL. */
export function buildAlertLoop({
  config,
  clients,
  ports,
  chat,
  clock,
  logger,
  metrics,
  alertPostSpacingMs,
}: AlertLoopContext): HealthMonitor | undefined {
  if (config.alertChannel === undefined) return undefined;
  // The pod name plus a random suffix: a restarted pod is a new candidate.
  const identity = `${config.podName}-${randomBytes(3).toString('hex')}`;
  const health = healthDependencies(ports, clock);
  // The poll's own AWS limiter: it never queues behind /health.
  const pollLimit = pLimit(HEALTH_AWS_CONCURRENCY);
  return new HealthMonitor({
    elector: new LeaderElector({
      leases: new LeaseGateway(clients.coordination, metrics, config.podNamespace, LEASE_NAME),
      identity,
      clock,
      logger,
    }),
    readHealth: (signal) => getHealth(health, { awsLimit: pollLimit, signal }),
    publisher: new SlackAlertPublisher(chat, logger, alertPostSpacingMs),
    channel: config.alertChannel,
    clock,
    logger,
    metrics: new HealthMetrics(metrics.registry),
    pollIntervalMs: config.healthPollSeconds * 1000,
    renewIntervalMs: LEASE_RENEW_MS,
  });
}
