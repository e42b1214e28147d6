import { describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../../src/commands/check.js';
import { type LiveCheckReport, LiveChecks } from '../../src/commands/live-checks.js';
import type { LiveCheckVerdict } from '../../src/domain/live-check.js';
import { createLogger } from '../../src/logger.js';

const FAST = { firstDelayMs: 0, retryDelayMs: 5, retryForMs: 2000 };

function result(verdict: Partial<LiveCheckVerdict>): CheckResult {
  return {
    host: 'api.example.com',
    path: '/',
    verdict: { status: 'fail', summary: '', steps: [], shouldRetry: false, waitingFor: [], ...verdict },
    nlb: { name: 'nlb', dnsName: 'nlb.elb.amazonaws.com', addresses: ['127.0.0.1'] },
    tlsPorts: [443],
    tlsPortsLeftOut: 0,
    unrouted: false,
    checkedAt: new Date(0),
  };
}

const waiting = result({ shouldRetry: true, waitingFor: ['dns'] });
const live = result({ status: 'pass' });

function logs(): { lines: Array<Record<string, unknown>>; logger: ReturnType<typeof createLogger> } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }) };
}

describe('LiveChecks', () => {
  it('reports once when nothing is worth waiting for', async () => {
    const reports: LiveCheckReport[] = [];
    let runs = 0;
    await new LiveChecks(FAST, logs().logger).start(
      'edge/api.example.com',
      async () => {
        runs += 1;
        return live;
      },
      async (report) => void reports.push(report),
    );
    expect(runs).toBe(1);
    expect(reports.map((report) => report.phase)).toEqual(['first']);
  });

  it('checks again while waiting (DNS and the route only), goes on after a run that fails, and probes once more for the last report', async () => {
    const { lines, logger } = logs();
    const reports: LiveCheckReport[] = [];
    const probes: boolean[] = [];
    const answers: Array<CheckResult | Error> = [waiting, new Error('the cluster did not answer'), waiting, live, live];
    await new LiveChecks(FAST, logger).start(
      'edge/api.example.com',
      async (options) => {
        probes.push(options.probes);
        const next = answers.shift();
        if (next === undefined) throw new Error('asked once too often');
        if (next instanceof Error) throw next;
        return next;
      },
      async (report) => void reports.push(report),
    );
    expect(answers).toEqual([]);
    // The NLB is probed by the first run and the last only: the retries read DNS and the route.
    expect(probes).toEqual([true, false, false, false, true]);
    expect(reports.map((report) => [report.phase, 'result' in report ? report.result.verdict.status : 'failed'])).toEqual([
      ['first', 'fail'],
      ['last', 'pass'],
    ]);
    expect(reports[0]).toMatchObject({ retrying: true });
    expect(lines.some((line) => line['msg'] === 'live check run failed; it goes on')).toBe(true);
  });

  it('reports a first run that cannot check at all, once, and does not retry it', async () => {
    const reports: LiveCheckReport[] = [];
    let runs = 0;
    const failure = new Error('AWS did not answer');
    await new LiveChecks(FAST, logs().logger).start(
      'edge/api.example.com',
      async () => {
        runs += 1;
        throw failure;
      },
      async (report) => void reports.push(report),
    );
    expect(runs).toBe(1);
    expect(reports).toEqual([{ phase: 'failed', error: failure }]);
  });

  it('goes on waiting when posting the first report fails, and posts the last one', async () => {
    const { lines, logger } = logs();
    const phases: string[] = [];
    const answers = [waiting, live, live];
    await new LiveChecks(FAST, logger).start(
      'edge/api.example.com',
      async () => answers.shift() ?? live,
      async (report) => {
        phases.push(report.phase);
        if (report.phase === 'first') throw new Error('response_url expired');
      },
    );
    expect(phases).toEqual(['first', 'last']);
    expect(lines.some((line) => line['msg'] === 'live check: posting the result failed')).toBe(true);
  });

  it('ends silently when a retry finds nothing routing the host any more (removed through another replica)', async () => {
    const { lines, logger } = logs();
    const reports: LiveCheckReport[] = [];
    const answers = [waiting, { ...waiting, unrouted: true }];
    let runs = 0;
    await new LiveChecks(FAST, logger).start(
      'edge/api.example.com',
      async () => {
        runs += 1;
        return answers.shift() ?? live;
      },
      async (report) => void reports.push(report),
    );
    expect(runs).toBe(2);
    expect(reports.map((report) => report.phase)).toEqual(['first']);
    expect(lines.some((line) => line['msg'] === 'live check stopped: nothing routes the host any more')).toBe(true);
  });

  it('is cancelled by key while it waits: no more runs, no more reports', async () => {
    const reports: LiveCheckReport[] = [];
    const checks = new LiveChecks({ firstDelayMs: 0, retryDelayMs: 60_000, retryForMs: 600_000 }, logs().logger);
    let runs = 0;
    let firstReported: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => {
      firstReported = resolve;
    });
    const done = checks.start(
      'edge/api.example.com',
      async () => {
        runs += 1;
        return waiting;
      },
      async (report) => {
        reports.push(report);
        firstReported();
      },
    );
    await reported;
    expect(checks.size).toBe(1);
    expect(checks.cancel('edge/api.example.com')).toBe(true);
    await done;
    expect(checks.cancel('edge/api.example.com')).toBe(false);
    expect(checks.size).toBe(0);
    expect(runs).toBe(1);
    expect(reports).toHaveLength(1);
  });
});
