import type { App } from '@slack/bolt';
import type { LimitFunction } from 'p-limit';
import type { Clock } from '../alerts/clock.js';
import { getHealth, type HealthDependencies } from '../commands/health.js';
import { HealthSnapshots } from '../commands/health-snapshots.js';
import { IpsCache } from '../commands/ips.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { ButtonValueSigner } from '../slack/button-value-signer.js';
import { registerExposeListeners } from '../slack/listeners/expose-listener.js';
import { registerHealthCommand } from '../slack/listeners/health-listener.js';
import { registerIpsCommand } from '../slack/listeners/ips-listener.js';
import { registerUnexposeListeners } from '../slack/listeners/unexpose-listener.js';
import type { RunnerDependencies } from '../slack/runner/run-and-answer.js';
import { HEALTH_SNAPSHOT_MAX_AGE_MS, IPS_FRESH_MS, NLB_CACHE_TTL_MS } from '../tuning.js';
import type { Ports } from './build-ports.js';

export interface ListenerContext {
  readonly config: Config;
  readonly ports: Ports;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Bounds the AWS calls of /health reads (the alert poll has its own). */
  readonly healthCommandLimit: LimitFunction;
}

/** What /health and the alert poll read: the ports, and the clock for the report's time. */
export function healthDependencies(ports: Ports, clock: Clock): HealthDependencies {
  return { ...ports, now: () => new Date(clock.now()) };
}

/** Every slash command and button of the bot, on the Bolt app. */
export function registerListeners(
  app: App,
  runner: RunnerDependencies,
  { config, ports, clock, logger, healthCommandLimit }: ListenerContext,
): void {
  const ips = new IpsCache(
    { locator: ports.locator, routing: ports.routing },
    {
      freshMs: IPS_FRESH_MS,
      staleMs: NLB_CACHE_TTL_MS,
      now: () => clock.now(),
      onRefreshError: (error) => logger.warn({ err: error }, '/ips: refreshing the cached answer failed'),
    },
  );
  registerIpsCommand(app, runner, ips);
  const buttons = {
    signer: new ButtonValueSigner(config.slack.signingSecret),
    admins: config.exposeAdmins,
    alertChannel: config.alertChannel,
    now: () => new Date(clock.now()),
  };
  const { services, routing, locator, elbv2, acm, dns } = ports;
  const exposeNamespaces = config.exposeNamespaces;
  const expose = { services, routing, locator, certificates: { elbv2, acm }, dns, exposeNamespaces };
  registerExposeListeners(app, runner, { ...buttons, expose, decisions: ports.decisions });
  registerUnexposeListeners(app, runner, { ...buttons, unexpose: { routing, exposeNamespaces } });
  const health = healthDependencies(ports, clock);
  const snapshots = new HealthSnapshots({
    read: () => getHealth(health, { awsLimit: healthCommandLimit }),
    maxAgeMs: HEALTH_SNAPSHOT_MAX_AGE_MS,
    now: () => clock.now(),
  });
  registerHealthCommand(app, runner, snapshots, { docsUrl: config.docsUrl });
}
