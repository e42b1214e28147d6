import { setTimeout as sleepFor } from 'node:timers/promises';

/** Time for the alert loop and the Lease, injectable so tests drive it without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves once `ms` of this clock's time have passed; never settles when `signal` aborts first
   * (the caller has stopped waiting), so a cancelled wait leaves nothing behind.
   */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    // Unref'd: a pending deadline alone does not keep the process alive.
    sleepFor(ms, undefined, { signal, ref: false }).catch(() => new Promise<void>(() => undefined)),
};
