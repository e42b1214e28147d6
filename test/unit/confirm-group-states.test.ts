import { describe, expect, it } from '@jest/globals';
import type { TrackedGroup } from '../../src/alerts/alert-state.js';
import { confirmedVerdict, confirmGroupStates } from '../../src/alerts/confirm-group-states.js';
import type { HealthStatus } from '../../src/domain/target-group-health.js';

type Seen = HealthStatus | 'absent';

/** Runs a sequence of polls of one group and returns the confirmed status after each. */
function run(polls: readonly Seen[], start: Record<string, TrackedGroup> = {}): Array<HealthStatus | undefined> {
  let tracked = start;
  return polls.map((seen) => {
    tracked = confirmGroupStates(tracked, seen === 'absent' ? {} : { tg: { name: 'https', status: seen } });
    return tracked['tg']?.confirmed;
  });
}

const healthy = { tg: { name: 'https', confirmed: 'healthy' as const } };

describe('the two-poll rule', () => {
  it.each<[string, Seen[], Record<string, TrackedGroup>, Array<HealthStatus | undefined>]>([
    ['a first start confirms after two polls', ['degraded', 'degraded'], {}, [undefined, 'degraded']],
    ['a one-poll flap changes nothing', ['down', 'healthy', 'healthy'], healthy, ['healthy', 'healthy', 'healthy']],
    ['a sustained change counts on the second poll', ['down', 'down', 'down'], healthy, ['healthy', 'down', 'down']],
    ['down then degraded after healthy confirms degraded (it held for both)', ['down', 'degraded'], healthy, ['healthy', 'degraded']],
    [
      'alternating down and degraded stays degraded',
      ['down', 'degraded', 'down', 'degraded', 'down'],
      healthy,
      ['healthy', 'degraded', 'degraded', 'degraded', 'degraded'],
    ],
    [
      'recovering through degraded confirms degraded, then healthy',
      ['degraded', 'healthy', 'healthy'],
      { tg: { name: 'https', confirmed: 'down' } },
      ['down', 'degraded', 'healthy'],
    ],
    [
      'a swing across the confirmed status waits',
      ['healthy', 'down', 'down'],
      { tg: { name: 'https', confirmed: 'degraded' } },
      ['degraded', 'degraded', 'down'],
    ],
  ])('%s', (_what, polls, start, expected) => {
    expect(run(polls, start)).toEqual(expected);
  });

  it('forgets a target group after it has been gone for two polls', () => {
    const once = confirmGroupStates(healthy, {});
    expect(once['tg']).toEqual({ name: 'https', confirmed: 'healthy', candidate: 'absent' });
    expect(confirmGroupStates(once, {})).toEqual({});
  });

  it('judges every group on its own: a flapping group does not hold back another', () => {
    let tracked: Record<string, TrackedGroup> = { a: { name: 'a', confirmed: 'healthy' }, b: { name: 'b', confirmed: 'healthy' } };
    tracked = confirmGroupStates(tracked, { a: { name: 'a', status: 'down' }, b: { name: 'b', status: 'down' } });
    tracked = confirmGroupStates(tracked, { a: { name: 'a', status: 'healthy' }, b: { name: 'b', status: 'down' } });
    expect(tracked['a']?.confirmed).toBe('healthy');
    expect(tracked['b']?.confirmed).toBe('down');
    expect(confirmedVerdict(tracked)).toBe('down');
  });

  it('has no verdict before anything is confirmed', () => {
    expect(confirmedVerdict(confirmGroupStates({}, { a: { name: 'a', status: 'down' } }))).toBeUndefined();
  });
});
