import pLimit from 'p-limit';
import type { HealthReport } from '../domain/health-report.js';
import type { Verdict } from '../domain/health-verdict.js';
import { isUserFacingError, newErrorId } from '../errors.js';
import type { Logger } from '../logger.js';
import { EDGE_POLL_CONCURRENCY, MIN_POLL_DEADLINE_MS } from '../tuning.js';
import type { AlertPublisher } from './alert-publisher.js';
import { type AlertState, parseAlertState, serializeAlertState } from './alert-state.js';
import type { Clock } from './clock.js';
import type { HealthMetrics } from './health-metrics.js';
import type { LeaderElector } from './leader-election.js';
import { type AlertAction, type Observation, planAlerts, recordPosted } from './plan-alerts.js';

/** One edge the loop watches: how to read its NLB, where its alerts go, where its incident state is kept. */
export interface WatchedEdge {
  readonly name: string;
  /** Shown in its alerts when the bot watches several edges; undefined with one. */
  readonly label: { readonly name: string; readonly region: string } | undefined;
  /** Reads the NLB's health; when `signal` aborts (the poll's deadline passed) the read is given up. */
  readonly readHealth: (signal: AbortSignal) => Promise<HealthReport>;
  readonly channel: string;
  /** The Lease annotation that holds this edge's incident state. */
  readonly stateKey: string;
}

export interface HealthMonitorOptions {
  readonly elector: LeaderElector;
  /** Every edge with an alert channel; each is read, judged and posted on its own within one poll. */
  readonly edges: readonly WatchedEdge[];
  readonly publisher: AlertPublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: HealthMetrics;
  readonly pollIntervalMs: number;
  /** How often the Lease is renewed (leader) or checked (the others), independently of the polls. */
  readonly renewIntervalMs: number;
}

export interface PollOutcome {
  /**
   * "unknown": the Lease could not be read or written, the monitor is stopped, or a poll of this replica
   * is stuck past its deadline (no other poll starts while it runs).
   */
  readonly role: 'leader' | 'follower' | 'unknown';
  /** The worst verdict over the edges read (the one edge's, with one). */
  readonly verdict?: Verdict;
  /** Why the leader could not read an NLB's health in this poll (the first edge that failed). */
  readonly failure?: string;
  readonly posted: ReadonlyArray<AlertAction['kind']>;
  /** Each edge's own outcome, by name. */
  readonly edges?: Readonly<Record<string, EdgePollOutcome>>;
}

export interface EdgePollOutcome {
  readonly verdict?: Verdict;
  readonly failure?: string;
  readonly posted: ReadonlyArray<AlertAction['kind']>;
  /** The Lease was lost while this edge was polled (to another replica, or not known): the rest is left to the new leader. */
  readonly lost?: 'follower' | 'unknown';
}

/**
 * A poll's deadline: 30 s, or the poll interval when that is longer (a poll is never given up before
 * the next one would be due anyway). A poll that has not read the NLB by then counts as failed.
 */
export function pollDeadlineMs(pollIntervalMs: number): number {
  return Math.max(MIN_POLL_DEADLINE_MS, pollIntervalMs);
}

const NOTHING: PollOutcome = { role: 'unknown', posted: [] };

/**
 * The alert loop. Every replica runs it; only the Lease holder reads the NLB's health and posts. After
 * each poll the planned alerts are posted one by one, and the state is saved in the Lease after each
 * post, so a new leader continues where this one stopped.
 *
 * Every poll has a deadline (pollDeadlineMs). A read of the NLB still running then is given up and the
 * poll counts as failed, so hung AWS or Kubernetes calls end in the "cannot check" notice like refused
 * ones. Once a poll has passed its deadline, the renewal timer leaves the Lease alone until a poll ends
 * in time again; such a replica renews only as a poll starts and when it gives up a read. A poll that
 * misses its deadline lasts longer than the Lease (30 s or more against 15 s), so a replica that can
 * still read takes over meanwhile; when none can, the stuck one keeps leading and counting failed polls.
 */
export class HealthMonitor {
  private running: Promise<PollOutcome> | undefined;
  /** The running poll is past its deadline. */
  private runningOverdue = false;
  /** The last poll missed its deadline: the Lease is renewed only when the next poll starts. */
  private missedDeadline = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly deadlineMs: number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.deadlineMs = pollDeadlineMs(options.pollIntervalMs);
    for (const edge of options.edges) options.metrics.lastSuccess.set({ edge: edge.name }, 0);
  }

  /** Production scheduling: a poll at once and every pollIntervalMs, the Lease every renewIntervalMs. */
  start(): void {
    this.every(() => this.pollOnce(), this.options.pollIntervalMs, 0);
    this.every(() => this.renewLease(), this.options.renewIntervalMs, this.options.renewIntervalMs);
  }

  /**
   * One poll; a poll still running is joined, never doubled. A poll stuck past its deadline is not
   * waited for, and no other starts while it runs: a second poll would plan the same posts again.
   */
  pollOnce(): Promise<PollOutcome> {
    if (this.stopped) return Promise.resolve(NOTHING);
    if (this.running !== undefined) return this.runningOverdue ? Promise.resolve(NOTHING) : this.running;
    this.runningOverdue = false;
    this.running = this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Renews the Lease (or checks whether it can be taken); a replica that just became leader polls at once. */
  async renewLease(): Promise<boolean> {
    const { elector, logger, metrics } = this.options;
    if (this.missedDeadline) {
      const leader = elector.isLeader();
      metrics.leader.set(leader ? 1 : 0);
      logger.debug({ identity: elector.identity, leader }, 'leader election: not renewing the Lease while polls miss their deadline');
      return leader;
    }
    return (await this.lease()) === 'leader';
  }

  /** Stops the timers, lets a running poll finish (up to timeoutMs) and hands the Lease over. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.running !== undefined)
      await within(
        this.running.catch(() => undefined),
        timeoutMs,
      );
    // Bounded too: with the API server hung, the Lease simply expires.
    const released = this.options.elector
      .release()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'leader election: could not release the Lease'));
    await within(released, timeoutMs);
    this.options.metrics.leader.set(0);
  }

  private async poll(): Promise<PollOutcome> {
    const { clock, logger } = this.options;
    const started = performance.now();
    const deadline = new AbortController();
    const finished = new AbortController();
    void clock.sleep(this.deadlineMs, finished.signal).then(() => {
      if (finished.signal.aborted) return;
      this.runningOverdue = true;
      this.missedDeadline = true;
      logger.warn(
        { deadlineMs: this.deadlineMs },
        'health poll passed its deadline: the Lease is renewed only as polls start until one ends in time',
      );
      deadline.abort();
    });
    try {
      const outcome = await this.pollWithin(deadline.signal);
      if (!deadline.signal.aborted) this.missedDeadline = false;
      logger.debug({ ...outcome, durationMs: Math.round(performance.now() - started) }, 'health poll');
      return outcome;
    } finally {
      finished.abort();
    }
  }

  private async pollWithin(deadline: AbortSignal): Promise<PollOutcome> {
    const { metrics } = this.options;
    const role = await this.lease();
    if (role !== 'leader') {
      metrics.polls.inc({ outcome: role === 'error' ? 'lease_error' : 'follower' });
      return { role: role === 'error' ? 'unknown' : 'follower', posted: [] };
    }
    // Every edge at once: one that hangs (its cluster or account unreachable) delays and silences only itself.
    const limit = pLimit(EDGE_POLL_CONCURRENCY);
    const results = await Promise.all(this.options.edges.map((edge) => limit(() => this.pollEdge(edge, deadline))));
    const byName = Object.fromEntries(this.options.edges.map((edge, index) => [edge.name, results[index] as EdgePollOutcome]));
    const lost = results.find((result) => result.lost !== undefined)?.lost;
    const posted = results.flatMap((result) => result.posted);
    const failure = results.find((result) => result.failure !== undefined)?.failure;
    const verdict = worstVerdict(results.flatMap((result) => (result.verdict === undefined ? [] : [result.verdict])));
    return {
      role: lost ?? 'leader',
      ...(lost !== undefined || verdict === undefined ? {} : { verdict }),
      ...(lost !== undefined || failure === undefined ? {} : { failure }),
      posted,
      ...(this.options.edges.length > 1 ? { edges: byName } : {}),
    };
  }

  /** One edge: read, plan against its own incident state, post, save. */
  private async pollEdge(edge: WatchedEdge, deadline: AbortSignal): Promise<EdgePollOutcome> {
    const { elector, clock, logger, metrics } = this.options;
    const observation = await this.observe(edge, deadline);
    if (deadline.aborted) {
      // Past its deadline the timer no longer renews the Lease: renew it now before acting, or learn
      // that a replica that could read took over meanwhile (its state is the one that counts then).
      const now = await this.lease();
      if (now !== 'leader') return { posted: [], lost: now === 'error' ? 'unknown' : 'follower' };
    }
    const stored = elector.annotations()[edge.stateKey];
    const parsed = parseAlertState(stored);
    if (parsed.problem !== undefined)
      logger.warn({ edge: edge.name, problem: parsed.problem }, 'the alert state in the Lease is not valid; starting afresh');
    const plan = planAlerts(parsed.state, observation);
    const posted: Array<AlertAction['kind']> = [];
    let state = plan.state;
    let saved = serializeAlertState(parsed.state);
    for (const action of plan.actions) {
      const result = await this.post(edge, action, state, observation);
      if (result === 'lost') return { posted, lost: 'unknown' };
      if (result === undefined) continue;
      state = result;
      saved = serializeAlertState(state);
      posted.push(action.kind);
    }
    // The two-poll progress changed without a post: saved too, so a new leader keeps counting.
    if (serializeAlertState(state) !== saved && !(await this.save(edge, state))) return { posted, lost: 'unknown' };
    if ('failure' in observation) return { failure: observation.failure, posted };
    // Done: the NLB was read, every planned alert posted and the state saved.
    if (posted.length === plan.actions.length) metrics.lastSuccess.set({ edge: edge.name }, clock.now() / 1000);
    return { verdict: observation.report.verdict, posted };
  }

  /** Posts one action and saves what it announced; undefined when the post failed, "lost" when the Lease was. */
  private async post(
    edge: WatchedEdge,
    action: AlertAction,
    state: AlertState,
    observation: Observation,
  ): Promise<AlertState | 'lost' | undefined> {
    const { elector, publisher, clock, logger, metrics } = this.options;
    const { channel } = edge;
    if (!elector.isLeader()) return 'lost';
    const now = new Date(clock.now());
    let ts: string | undefined;
    try {
      ts = await publisher.publish(action, {
        channel,
        report: 'report' in observation ? observation.report : undefined,
        now,
        ...(edge.label === undefined ? {} : { edge: edge.label }),
      });
    } catch (error) {
      logger.error({ err: error, edge: edge.name, kind: action.kind }, 'could not post an alert; the next poll tries again');
      return undefined;
    }
    metrics.alerts.inc({ edge: edge.name, kind: action.kind });
    logger.info({ edge: edge.name, kind: action.kind, channel, ts }, 'alert posted');
    const next = recordPosted(state, action, { channel, ts, at: now });
    return (await this.save(edge, next)) ? next : 'lost';
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

  private async save(edge: WatchedEdge, state: AlertState): Promise<boolean> {
    try {
      return await this.options.elector.writeAnnotation(edge.stateKey, serializeAlertState(state));
    } catch (error) {
      this.options.logger.warn({ err: error, edge: edge.name }, 'could not save the alert state in the Lease');
      return false;
    }
  }

  private async observe(edge: WatchedEdge, deadline: AbortSignal): Promise<Observation> {
    const { logger, metrics } = this.options;
    const labels = { edge: edge.name };
    try {
      const report = await untilAborted(edge.readHealth(deadline), deadline);
      metrics.polls.inc({ ...labels, outcome: 'ok' });
      for (const verdict of ['healthy', 'degraded', 'down'] as const) {
        metrics.verdict.set({ ...labels, verdict }, verdict === report.verdict ? 1 : 0);
      }
      return { report };
    } catch (error) {
      if (deadline.aborted) {
        metrics.polls.inc({ ...labels, outcome: 'timeout' });
        const seconds = Math.round(this.deadlineMs / 1000);
        logger.warn({ ...labels, deadlineMs: this.deadlineMs }, 'health poll failed: the NLB could not be read before the deadline');
        return { failure: `reading it took longer than ${seconds} s: AWS or Kubernetes did not answer in time.` };
      }
      metrics.polls.inc({ ...labels, outcome: 'failed' });
      if (isUserFacingError(error)) {
        logger.warn({ ...labels, reason: error.code, detail: error.message }, 'health poll failed');
        return { failure: `${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}` };
      }
      const errorId = newErrorId();
      logger.error({ ...labels, err: error, errorId }, 'health poll failed unexpectedly');
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

/** Settles like `work`, or rejects once `signal` aborts; `work` is left to end on its own (its outcome ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abandon = () => reject(signal.reason as Error);
    signal.addEventListener('abort', abandon, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon));
  });
}

const VERDICT_ORDER: readonly Verdict[] = ['healthy', 'degraded', 'down'];

function worstVerdict(verdicts: readonly Verdict[]): Verdict | undefined {
  return verdicts.reduce<Verdict | undefined>(
    (worst, verdict) => (worst === undefined || VERDICT_ORDER.indexOf(verdict) > VERDICT_ORDER.indexOf(worst) ? verdict : worst),
    undefined,
  );
}

/** Waits for `work`, but not longer than `ms` (real time: used on shutdown). */
function within(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}
