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
 * last: after retrying, nothing is left to wait for (or the wait is over).
 */
export type LiveCheckReport =
  | { readonly phase: 'first'; readonly result: CheckResult; readonly retrying: boolean }
  | { readonly phase: 'last'; readonly result: CheckResult; readonly waitedMs: number };

/**
 * The live checks that follow every apply, one per edge and host: a first check after a short delay, and, while
 * the host does not resolve yet (or its route is not taken up yet), more for up to 10 minutes. `/unexpose`
 * cancels the host's check; stop() all of them. A check never throws: a failed first run is logged and ends
 * that host's check; a failed retry is logged and the check goes on.
 */
export class LiveChecks {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly timing: LiveCheckTiming,
    private readonly logger: Logger,
  ) {}

  /** Starts the check of `key` (edge/host), replacing one already running for it. */
  start(key: string, run: () => Promise<CheckResult>, report: (report: LiveCheckReport) => Promise<void>): Promise<void> {
    this.cancel(key);
    const controller = new AbortController();
    this.running.set(key, controller);
    return this.follow(key, controller.signal, run, report)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.logger.warn({ err: error, check: key }, 'live check failed; it is not retried');
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
    run: () => Promise<CheckResult>,
    report: (report: LiveCheckReport) => Promise<void>,
  ): Promise<void> {
    const { firstDelayMs, retryDelayMs, retryForMs } = this.timing;
    await pause(firstDelayMs, signal);
    const started = performance.now();
    let result = await run();
    if (signal.aborted) return;
    await report({ phase: 'first', result, retrying: result.verdict.shouldRetry });
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
      const next = await run().catch((error: unknown) => {
        if (!signal.aborted) this.logger.warn({ err: error, check: key }, 'live check run failed; it goes on');
        return undefined;
      });
      if (signal.aborted) return;
      if (next === undefined) continue;
      result = next;
      this.logger.debug({ check: key, status: result.verdict.status, waitingFor: result.verdict.waitingFor }, 'live check retried');
    }
    await report({ phase: 'last', result, waitedMs: Math.round(performance.now() - started) });
  }
}

/** Waits, or rejects at once when the check is cancelled. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  return sleepFor(ms, undefined, { signal, ref: false });
}
