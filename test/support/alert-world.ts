import type { AwsWorld } from '../../dev/stand-ins/aws-api-server.js';
import { SAMPLE_HTTPS_TG_ARN } from '../../dev/stand-ins/sample-world.js';
import type { Harness } from './harness.js';

/**
 * A clock the test moves by hand; the bot reads it for the Lease, the alerts and certificate days, and
 * waits on it for poll deadlines: advance() wakes every wait that has come due.
 */
export function fakeClock(start = Date.now()) {
  const sleepers = new Set<{ readonly due: number; readonly wake: () => void }>();
  const clock = {
    t: start,
    now: () => clock.t,
    sleep(ms: number, signal: AbortSignal): Promise<void> {
      return new Promise<void>((wake) => {
        const sleeper = { due: clock.t + ms, wake };
        sleepers.add(sleeper);
        signal.addEventListener('abort', () => sleepers.delete(sleeper), { once: true });
      });
    },
    advance(ms: number) {
      clock.t += ms;
      for (const sleeper of [...sleepers]) {
        if (sleeper.due > clock.t) continue;
        sleepers.delete(sleeper);
        sleeper.wake();
      }
    },
    /** Waits still pending (a poll's deadline while it runs). */
    get pending() {
      return sleepers.size;
    },
  };
  return clock;
}

/** Sets every target of a target group (the HTTPS one by default) healthy, or failing its health check. */
export function setTargets(world: AwsWorld, healthy: boolean, arn = SAMPLE_HTTPS_TG_ARN): void {
  const group = world.targetGroups.find((candidate) => candidate.arn === arn);
  if (group === undefined) throw new Error(`no target group ${arn}`);
  for (const target of group.targets) {
    if (healthy) {
      target.state = 'healthy';
      delete target.reason;
      delete target.description;
    } else {
      Object.assign(target, { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
    }
  }
}

/** Runs `times` alert polls on the harness's bot, moving the clock by `stepMs` after each. */
export async function poll(harness: Harness, clock: ReturnType<typeof fakeClock>, times = 1, stepMs = 60_000) {
  const outcomes = [];
  for (let round = 0; round < times; round += 1) {
    outcomes.push(await harness.bot.healthMonitor!.pollOnce());
    clock.advance(stepMs);
  }
  return outcomes;
}

/** The messages the bot posted with chat.postMessage to a channel (top level and replies). */
export function posted(harness: Harness, channel: string) {
  return harness.slack.messages.filter((message) => message.channel === channel && message.via === 'chat.postMessage');
}
