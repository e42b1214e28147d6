import type { HealthReport } from '../domain/health-report.js';
import type { Verdict } from '../domain/health-verdict.js';
import { isUserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { newErrorId } from '../slack/command-runner.js';
import { ALERT_STATE_ANNOTATION, parseAlertState, serializeAlertState, type AlertState } from './alert-state.js';
import type { Clock } from './clock.js';
import type { HealthMetrics } from './health-metrics.js';
import type { LeaderElector } from './leader-election.js';
import { planAlerts, recordPosted, type AlertAction, type Observation } from './plan-alerts.js';
import type { AlertPublisher } from './slack-alert-publisher.js';

export interface HealthMonitorOptions {
  readonly elector: LeaderElector;
  readonly readHealth: () => Promise<HealthReport>;
  readonly publisher: AlertPublisher;
  readonly channel: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: HealthMetrics;
  readonly pollIntervalMs: number;
  /** How often the Lease is renewed (leader) or checked (the others), independently of the polls. */
  readonly renewIntervalMs: number;
}

export interface PollOutcome {
  /** "unknown": the Lease could not be read or written, or the monitor is stopped. */
  readonly role: 'leader' | 'follower' | 'unknown';
  readonly verdict?: Verdict;
  readonly posted: ReadonlyArray<AlertAction['kind']>;
}

/**
 * The alert loop. Every replica runs it; only the Lease holder reads the NLB's health and posts. After
 * each poll the planned alerts are posted one by one, and the state is saved in the Lease after each
 * post, so a new leader continues where this one stopped.
 */
export class HealthMonitor {
  private running: Promise<PollOutcome> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  /** Production scheduling: a poll at once and every pollIntervalMs, the Lease every renewIntervalMs. */
  start(): void {
    this.every(() => this.pollOnce(), this.options.pollIntervalMs, 0);
    this.every(() => this.renewLease(), this.options.renewIntervalMs, this.options.renewIntervalMs);
  }

  /** One poll; a poll still running is joined, never doubled. */
  pollOnce(): Promise<PollOutcome> {
    if (this.stopped) return Promise.resolve({ role: 'unknown', posted: [] });
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Renews the Lease (or checks whether it can be taken); a replica that just became leader polls at once. */
  async renewLease(): Promise<boolean> {
    return (await this.lease()) === 'leader';
  }

  /** Stops the timers, lets a running poll finish (up to timeoutMs) and hands the Lease over. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.running !== undefined) {
      await Promise.race([this.running.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    }
    await this.options.elector.release().catch((error: unknown) => this.options.logger.warn({ err: error }, 'leader election: could not release the Lease'));
    this.options.metrics.leader.set(0);
  }

  private async poll(): Promise<PollOutcome> {
    const { elector, logger, metrics } = this.options;
    const started = performance.now();
    const role = await this.lease();
    if (role !== 'leader') {
      metrics.polls.inc({ outcome: role === 'error' ? 'lease_error' : 'follower' });
      return { role: role === 'error' ? 'unknown' : 'follower', posted: [] };
    }
    const stored = elector.annotations()[ALERT_STATE_ANNOTATION];
    const parsed = parseAlertState(stored);
    if (parsed.problem !== undefined) logger.warn({ problem: parsed.problem }, 'the alert state in the Lease is not valid; starting afresh');
    const observation = await this.observe();
    const plan = planAlerts(parsed.state, observation);
    const posted: Array<AlertAction['kind']> = [];
    let state = plan.state;
    let saved = serializeAlertState(parsed.state);
    for (const action of plan.actions) {
      const result = await this.post(action, state, observation);
      if (result === 'lost') return { role: 'unknown', posted };
      if (result === undefined) continue;
      state = result;
      saved = serializeAlertState(state);
      posted.push(action.kind);
    }
    // The two-poll progress changed without a post: saved too, so a new leader keeps counting.
    if (serializeAlertState(state) !== saved && !(await this.save(state))) return { role: 'unknown', posted };
    const verdict = 'report' in observation ? observation.report.verdict : undefined;
    logger.debug({ verdict, posted, durationMs: Math.round(performance.now() - started) }, 'health poll');
    return { role: 'leader', ...(verdict === undefined ? {} : { verdict }), posted };
  }

  /** Posts one action and saves what it announced; undefined when the post failed, "lost" when the Lease was. */
  private async post(action: AlertAction, state: AlertState, observation: Observation): Promise<AlertState | 'lost' | undefined> {
    const { elector, publisher, channel, clock, logger, metrics } = this.options;
    if (!elector.isLeader()) return 'lost';
    const now = new Date(clock.now());
    let ts: string | undefined;
    try {
      ts = await publisher.publish(action, { channel, report: 'report' in observation ? observation.report : undefined, now });
    } catch (error) {
      logger.error({ err: error, kind: action.kind }, 'could not post an alert; the next poll tries again');
      return undefined;
    }
    metrics.alerts.inc({ kind: action.kind });
    logger.info({ kind: action.kind, channel, ts }, 'alert posted');
    const next = recordPosted(state, action, { channel, ts, at: now });
    return (await this.save(next)) ? next : 'lost';
  }

  private async lease(): Promise<'leader' | 'follower' | 'error'> {
    const { elector, logger, metrics } = this.options;
    const wasLeader = elector.isLeader();
    try {
      const leader = await elector.tryAcquireOrRenew();
      metrics.leader.set(leader ? 1 : 0);
      if (leader && !wasLeader && !this.stopped) void this.pollOnce();
      return leader ? 'leader' : 'follower';
    } catch (error) {
      logger.warn({ err: error, identity: elector.identity }, 'leader election: could not read or renew the Lease');
      metrics.leader.set(elector.isLeader() ? 1 : 0);
      return 'error';
    }
  }

  private async save(state: AlertState): Promise<boolean> {
    try {
      return await this.options.elector.writeAnnotation(ALERT_STATE_ANNOTATION, serializeAlertState(state));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not save the alert state in the Lease');
      return false;
    }
  }

  private async observe(): Promise<Observation> {
    const { readHealth, logger, metrics } = this.options;
    try {
      const report = await readHealth();
      metrics.polls.inc({ outcome: 'ok' });
      for (const verdict of ['healthy', 'degraded', 'down'] as const) metrics.verdict.set({ verdict }, verdict === report.verdict ? 1 : 0);
      return { report };
    } catch (error) {
      metrics.polls.inc({ outcome: 'failed' });
      if (isUserFacingError(error)) {
        logger.warn({ reason: error.code, detail: error.message }, 'health poll failed');
        return { failure: `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}` };
      }
      const errorId = newErrorId();
      logger.error({ err: error, errorId }, 'health poll failed unexpectedly');
      return { failure: `an unexpected error (reference ${errorId} in the bot's log).` };
    }
  }

  private every(work: () => Promise<unknown>, intervalMs: number, firstDelayMs: number): void {
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const started = performance.now();
        void work()
          .catch((error: unknown) => this.options.logger.error({ err: error }, 'health loop step failed'))
          .finally(() => {
            if (!this.stopped) schedule(Math.max(0, intervalMs - (performance.now() - started)));
          });
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
    };
    schedule(firstDelayMs);
  }
}
