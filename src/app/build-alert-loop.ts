import { createHash, randomBytes } from 'node:crypto';
import type { LimitFunction } from 'p-limit';
import pLimit from 'p-limit';
import { ALERT_STATE_ANNOTATION } from '../alerts/alert-state.js';
import type { Clock } from '../alerts/clock.js';
import { HealthMetrics } from '../alerts/health-metrics.js';
import { HealthMonitor, type WatchedEdge } from '../alerts/health-monitor.js';
import { LeaderElector } from '../alerts/leader-election.js';
import { getHealth } from '../commands/health.js';
import { type Config, DEFAULT_EDGE_NAME } from '../config.js';
import type { Edge } from '../edges/edge.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { LeaseGateway } from '../ports/kube/lease-gateway.js';
import { type ChatApi, SlackAlertPublisher } from '../slack/alert-publisher.js';
import { HEALTH_AWS_CONCURRENCY, LEASE_NAME, LEASE_RENEW_MS } from '../tuning.js';
import type { OwnClients } from './build-clients.js';
import { healthDependencies } from './register-listeners.js';

export interface AlertLoopContext {
  readonly config: Config;
  readonly own: OwnClients;
  readonly edges: readonly Edge[];
  readonly chat: ChatApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Least time between two alert messages; the default paces Slack's one message per second. */
  readonly alertPostSpacingMs: number | undefined;
}

/**
 * The health loop that posts alerts, elected on one Lease in the bot's own cluster, over every edge with an
 * alert channel (its own, or ALERT_CHANNEL); undefined when no edge has one.
 */
export function buildAlertLoop({
  config,
  own,
  edges,
  chat,
  clock,
  logger,
  metrics,
  alertPostSpacingMs,
}: AlertLoopContext): HealthMonitor | undefined {
  const several = edges.length > 1;
  // The poll's own AWS limiters, one per account (its ELBv2 rate limit): the poll never queues behind /health.
  const limits = new Map<string, LimitFunction>();
  const limitOf = (account: string) => {
    let limit = limits.get(account);
    if (limit === undefined) {
      limit = pLimit(HEALTH_AWS_CONCURRENCY);
      limits.set(account, limit);
    }
    return limit;
  };
  const watched = edges.flatMap((edge): WatchedEdge[] => {
    if (edge.alertChannel === undefined) return [];
    const health = healthDependencies(edge, clock);
    const awsLimit = limitOf(edge.account);
    return [
      {
        name: edge.name,
        label: several ? { name: edge.name, region: edge.region } : undefined,
        readHealth: (signal) => getHealth(health, { awsLimit, signal }),
        channel: edge.alertChannel,
        stateKey: alertStateKey(edge.name),
      },
    ];
  });
  if (watched.length === 0) return undefined;
  // The pod name plus a random suffix: a restarted pod is a new candidate.
  const identity = `${config.podName}-${randomBytes(3).toString('hex')}`;
  return new HealthMonitor({
    elector: new LeaderElector({
      leases: new LeaseGateway(own.coordination, metrics, config.podNamespace, LEASE_NAME),
      identity,
      clock,
      logger,
    }),
    edges: watched,
    publisher: new SlackAlertPublisher(chat, logger, alertPostSpacingMs),
    clock,
    logger,
    metrics: new HealthMetrics(metrics.registry),
    pollIntervalMs: config.healthPollSeconds * 1000,
    renewIntervalMs: LEASE_RENEW_MS,
  });
}

/**
 * The Lease annotation of an edge's incident state: the one the bot always used for the default edge (so an
 * upgrade repeats no alert), `nlb-ingress-bot/alert-state.<edge>` for the others (hashed when too long for a key).
 */
export function alertStateKey(edge: string): string {
  if (edge === DEFAULT_EDGE_NAME) return ALERT_STATE_ANNOTATION;
  const name = `alert-state.${edge}`;
  const prefix = ALERT_STATE_ANNOTATION.split('/')[0];
  return name.length <= 63 ? `${prefix}/${name}` : `${prefix}/alert-state.${createHash('sha256').update(edge).digest('hex').slice(0, 32)}`;
}
