import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { CheckResult } from './check.js';

export interface LiveCheckTiming {
  /** Before the first check: the proxy needs a moment to load a route just written. */
  readonly firstDelayMs: number;
  /** Between two checks while the host does not resolve yet, or its route is not taken up yet (doubling up to a minute). */
  readonly retryDelayMs: number;
  /** How long such a host is waited for (DNS propagation, the controller's report) before the last report. */
  readonly retryForMs: number;
}

/**
 * first: the first result (when only DNS or the route's uptake is missing, the check goes on and says so);
 * last: after retrying, nothing is left to wait for (or the wait is over);
 * failed: the first run could not check at all (the NLB or the cluster did not answer): the error, once.
 */
export type LiveCheckReport =
  | { readonly phase: 'first'; readonly result: CheckResult; readonly retrying: boolean }
  | { readonly phase: 'last'; readonly result: CheckResult; readonly waitedMs: number }
  | { readonly phase: 'failed'; readonly error: unknown };

/** A run of the check; `probes: false` reads the route and DNS only, without connecting to the NLB. */
export type LiveCheckRun = (options: { readonly probes: boolean }) => Promise<CheckResult>;

/**
 * The live checks that follow every apply, one per edge and host: a first check after a short delay, and, while
 * the host does not resolve yet (or its route is not taken up yet), more for up to 10 minutes. The retries read
 * DNS and the route only; the NLB is probed again once, when they pass or the wait is over, so one apply makes
 * at most two rounds of probes. `/unexpose` cancels the host's check; stop() all of them; a retry that finds
 * no route for the host any more (removed by another replica's /unexpose, or by hand) ends it silently. A check
 * never throws: a first run that fails is reported as such; a failed retry or a failed post is logged and the
 * check goes on.
 */
export class LiveChecks {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly timing: LiveCheckTiming,
    private readonly logger: Logger,
  ) {}

  /** Starts the check of `key` (edge/host), replacing one already running for it. */
  start(key: string, run: LiveCheckRun, report: (report: LiveCheckReport) => Promise<void>): Promise<void> {
    this.cancel(key);
    const controller = new AbortController();
    this.running.set(key, controller);
    return this.follow(key, controller.signal, run, report)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.logger.error({ err: error, check: key }, 'live check failed');
      })
      .finally(() => {
        if (this.running.get(key) === controller) this.running.delete(key);
      });
  }

  /** Cancels the check of `key`; true when one was running. */
  cancel(key: string): boolean {
    const controller = this.running.get(key);
    controller?.abort();
    return this.running.delete(key);
  }

  /** How many checks are running (they wait, mostly). */
  get size(): number {
    return this.running.size;
  }

  stop(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  private async follow(
    key: string,
    signal: AbortSignal,
    run: LiveCheckRun,
    report: (report: LiveCheckReport) => Promise<void>,
  ): Promise<void> {
    const { firstDelayMs, retryDelayMs, retryForMs } = this.timing;
    // A post that fails (Slack away, an expired response_url) is logged; the check is not given up for it.
    const post = (value: LiveCheckReport) =>
      report(value).catch((error: unknown) => this.logger.warn({ err: error, check: key }, 'live check: posting the result failed'));
    await pause(firstDelayMs, signal);
    const started = performance.now();
    let result: CheckResult;
    try {
      result = await run({ probes: true });
    } catch (error) {
      if (signal.aborted) return;
      this.logger.warn({ err: error, check: key }, 'live check: the first run failed');
      await post({ phase: 'failed', error });
      return;
    }
    if (signal.aborted) return;
    await post({ phase: 'first', result, retrying: result.verdict.shouldRetry });
    // Only what time fixes by itself is waited for (DNS propagation, the controller's report); nothing else is.
    if (!result.verdict.shouldRetry) return;
    let delay = retryDelayMs;
    while (result.verdict.shouldRetry) {
      const waited = performance.now() - started;
      if (waited >= retryForMs) break;
      await pause(Math.min(delay, retryForMs - waited), signal);
      delay = Math.min(delay * 2, 60_000);
      // The first report promised a result: a run that fails (AWS or the cluster did not answer) is logged and
      // the check goes on, still waiting; the last report shows the last result there is.
      const next = await this.runQuietly(key, signal, run, { probes: false });
      if (signal.aborted) return;
      if (next === undefined) continue;
      if (next.unrouted) {
        this.logger.info({ check: key }, 'live check stopped: nothing routes the host any more');
        return;
      }
      result = next;
      this.logger.debug({ check: key, status: result.verdict.status, waitingFor: result.verdict.waitingFor }, 'live check retried');
    }
    // The probes once more, for the last report: what a partner would see now.
    const last = await this.runQuietly(key, signal, run, { probes: true });
    if (signal.aborted) return;
    await post({ phase: 'last', result: last ?? result, waitedMs: Math.round(performance.now() - started) });
  }

  private runQuietly(key: string, signal: AbortSignal, run: LiveCheckRun, options: { probes: boolean }): Promise<CheckResult | undefined> {
    return run(options).catch((error: unknown) => {
      if (!signal.aborted) this.logger.warn({ err: error, check: key }, 'live check run failed; it goes on');
      return undefined;
    });
  }
}

/** Waits, or rejects at once when the check is cancelled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  return sleepFor(ms, undefined, { signal, ref: false });
}
