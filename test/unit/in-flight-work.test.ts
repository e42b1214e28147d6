import { describe, expect, it } from '@jest/globals';
import { InFlightWork } from '../../src/slack/runner/in-flight-work.js';

const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('draining the work in flight at shutdown', () => {
  it('waits for work that starts while it waits, too', async () => {
    const work = new InFlightWork();
    const finished: string[] = [];
    void work.track(later(30).then(() => finished.push('first')));
    setTimeout(() => void work.track(later(30).then(() => finished.push('accepted during the drain'))), 10);
    expect(await work.drain(1000)).toBe(true);
    expect(finished).toEqual(['first', 'accepted during the drain']);
  });

  it('gives up at the deadline and says so', async () => {
    const work = new InFlightWork();
    void work.track(later(500));
    const started = Date.now();
    expect(await work.drain(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('returns at once with nothing in flight', async () => {
    expect(await new InFlightWork().drain(1000)).toBe(true);
  });
});
