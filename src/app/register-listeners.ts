import type { App } from '@slack/bolt';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Clock } from '../alerts/clock.js';
import { EgressCache } from '../commands/egress.js';
import { getHealth, type HealthDependencies } from '../commands/health.js';
import { HealthSnapshots } from '../commands/health-snapshots.js';
import { IpsCache } from '../commands/ips.js';
import type { Config } from '../config.js';
import type { Edge, ServedEdge } from '../edges/edge.js';
import { EdgeDirectory } from '../edges/edge-directory.js';
import type { Logger } from '../logger.js';
import type { DnsReader } from '../ports/dns/dns-gateway.js';
import type { DecisionStore } from '../ports/kube/decision-gateway.js';
import { ButtonValueSigner } from '../slack/button-value-signer.js';
import { registerCheckCommand } from '../slack/listeners/check-listener.js';
import type { LiveFollowUp } from '../slack/listeners/expose-context.js';
import { registerExposeListeners } from '../slack/listeners/expose-listener.js';
import { registerHealthCommand } from '../slack/listeners/health-listener.js';
import { registerHomeTab } from '../slack/listeners/home-listener.js';
import { registerIpsCommand } from '../slack/listeners/ips-listener.js';
import { registerUnexposeListeners } from '../slack/listeners/unexpose-listener.js';
import type { RunnerDependencies } from '../slack/runner/run-and-answer.js';
import { HEALTH_COMMAND_AWS_CONCURRENCY, HEALTH_SNAPSHOT_MAX_AGE_MS, IPS_FRESH_MS, NLB_CACHE_TTL_MS } from '../tuning.js';

export interface ListenerContext {
  readonly config: Config;
  readonly edges: readonly Edge[];
  /** The bot's resolvers, for /expose's DNS check on every edge. */
  readonly dns: DnsReader;
  /** In the bot's own cluster: who decided an approval request first. */
  readonly decisions: DecisionStore;
  /** The live checks after every apply, and /check's probes (at most two in flight, for every edge). */
  readonly live: LiveFollowUp;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What /health and the alert poll read of one edge, and the clock for the report's time. */
export function healthDependencies(edge: Edge, clock: Clock): HealthDependencies {
  return { ...edge, now: () => new Date(clock.now()) };
}

/** Every slash command, button and event of the bot, on the Bolt app; answers the edges as the commands serve them. */
export function registerListeners(
  app: App,
  runner: RunnerDependencies,
  { config, edges, dns, decisions, live, clock, logger }: ListenerContext,
): readonly ServedEdge[] {
  // /health's AWS calls are bounded per account (the alert poll has its own limiters).
  const limits = new Map<string, LimitFunction>();
  const served = edges.map((edge): ServedEdge => {
    let healthLimit = limits.get(edge.account);
    if (healthLimit === undefined) {
      healthLimit = pLimit(HEALTH_COMMAND_AWS_CONCURRENCY);
      limits.set(edge.account, healthLimit);
    }
    const awsLimit = healthLimit;
    const health = healthDependencies(edge, clock);
    return {
      ...edge,
      ips: new IpsCache(
        { locator: edge.locator, routing: edge.routing },
        {
          freshMs: IPS_FRESH_MS,
          staleMs: NLB_CACHE_TTL_MS,
          now: () => clock.now(),
          onRefreshError: (error) => logger.warn({ err: error, edge: edge.name }, '/ips: refreshing the cached answer failed'),
        },
      ),
      egress: new EgressCache({ locator: edge.locator, ec2: edge.ec2 }, { ttlMs: NLB_CACHE_TTL_MS, now: () => clock.now() }),
      health: new HealthSnapshots({
        read: () => getHealth(health, { awsLimit }),
        maxAgeMs: HEALTH_SNAPSHOT_MAX_AGE_MS,
        now: () => clock.now(),
      }),
    };
  });
  const directory = new EdgeDirectory(served);
  registerIpsCommand(app, runner, directory);
  const buttons = { signer: new ButtonValueSigner(config.slack.signingSecret), edges: directory, now: () => new Date(clock.now()) };
  registerExposeListeners(app, runner, { ...buttons, dns, decisions, live });
  registerUnexposeListeners(app, runner, { ...buttons, liveChecks: live.checks });
  registerCheckCommand(app, runner, { edges: directory, dns, probe: live.probe, now: buttons.now });
  registerHealthCommand(app, runner, directory, { docsUrl: config.docsUrl });
  registerHomeTab(app, runner, { edges: directory, now: () => new Date(clock.now()) });
  return served;
}
