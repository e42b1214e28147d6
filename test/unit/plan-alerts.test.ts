import { describe, expect, it } from '@jest/globals';
import { type AlertState, emptyAlertState } from '../../src/alerts/alert-state.js';
import { type AlertAction, type Observation, planAlerts, recordPosted } from '../../src/alerts/plan-alerts.js';
import type { CertificateHealth } from '../../src/domain/certificate-alert.js';
import type { HealthReport } from '../../src/domain/health-report.js';
import type { HealthStatus, TargetGroupHealth } from '../../src/domain/target-group-health.js';

const group = (arn: string, status: HealthStatus): TargetGroupHealth => ({
  arn,
  name: `name-${arn}`,
  port: 30443,
  protocol: 'TCP',
  targetType: 'instance',
  healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
  listeners: [{ protocol: 'TLS', port: 443 }],
  healthy: status === 'down' ? 0 : status === 'degraded' ? 1 : 3,
  total: 3,
  status,
  targets: [],
});

const report = (statuses: Record<string, HealthStatus>, certificates: CertificateHealth[] = []): Observation => ({
  report: {
    checkedAt: new Date('2026-11-01T10:00:00Z'),
    loadBalancer: { name: 'nlb', dnsName: 'nlb.example', zones: ['eu-west-1a'] },
    controllerService: 'ingress-nginx/ingress-nginx-controller',
    externalTrafficPolicy: 'Cluster',
    verdict: 'healthy',
    groups: Object.entries(statuses).map(([arn, status]) => group(arn, status)),
    diagnoses: [],
    certificates,
    proxy: { name: 'ingress-nginx controller', retired: false },
  } satisfies HealthReport,
});

/** Feeds polls through the planner, "posting" every action; returns what was posted per poll. */
function simulate(observations: readonly Observation[], start: AlertState = emptyAlertState, failPosting: ReadonlySet<number> = new Set()) {
  let state = start;
  let ts = 0;
  const posted: string[][] = [];
  observations.forEach((observation, poll) => {
    const plan = planAlerts(state, observation);
    state = plan.state;
    const kinds: string[] = [];
    for (const action of plan.actions) {
      if (failPosting.has(poll)) continue;
      ts += 1;
      state = recordPosted(state, action, {
        channel: 'C0ALERTS',
        ts: action.kind === 'open' ? `ts-${ts}` : undefined,
        at: new Date(`2026-11-01T10:0${poll}:00Z`),
      });
      kinds.push(label(action));
    }
    posted.push(kinds);
  });
  return { posted, state };
}

function label(action: AlertAction): string {
  switch (action.kind) {
    case 'open':
    case 'change':
      return `${action.kind}:${action.verdict}:${Object.keys(action.groups).sort().join('+')}`;
    default:
      return action.kind;
  }
}

const ok = report({ a: 'healthy', b: 'healthy' });

describe('incidents', () => {
  it('a flap of one poll posts nothing', () => {
    expect(simulate([ok, ok, report({ a: 'down', b: 'healthy' }), ok, ok]).posted).toEqual([[], [], [], [], []]);
  });

  it('sustained down opens one incident, and healthy again resolves it once', () => {
    const down = report({ a: 'down', b: 'healthy' });
    const { posted, state } = simulate([ok, ok, down, down, down, down, ok, ok, ok]);
    expect(posted).toEqual([[], [], [], ['open:down:a'], [], [], [], ['resolve'], []]);
    expect(state.incident).toBeUndefined();
  });

  it('degraded then down is a change of the same incident', () => {
    const degraded = report({ a: 'degraded', b: 'healthy' });
    const down = report({ a: 'down', b: 'healthy' });
    const { posted, state } = simulate([ok, ok, degraded, degraded, down, down]);
    expect(posted).toEqual([[], [], [], ['open:degraded:a'], [], ['change:down:a']]);
    expect(state.incident).toMatchObject({ ts: 'ts-1', verdict: 'down', worst: 'down' });
  });

  it('a target group that joins or recovers during the incident is a change', () => {
    const one = report({ a: 'degraded', b: 'healthy' });
    const both = report({ a: 'degraded', b: 'down' });
    const { posted } = simulate([one, one, both, both, one, one]);
    expect(posted).toEqual([[], ['open:degraded:a'], [], ['change:down:a+b'], [], ['change:degraded:a']]);
  });

  it('opens an incident once on a first start with no recorded state when the NLB is not healthy', () => {
    const degraded = report({ a: 'degraded' });
    const { posted, state } = simulate([degraded, degraded, degraded]);
    expect(posted).toEqual([[], ['open:degraded:a'], []]);
    // A restart (a new leader) with the recorded state repeats nothing.
    expect(simulate([degraded, degraded], state).posted).toEqual([[], []]);
  });

  it('plans a post that failed again on the next poll, and then only once', () => {
    const down = report({ a: 'down' });
    const { posted } = simulate([down, down, down, down], emptyAlertState, new Set([1]));
    expect(posted).toEqual([[], [], ['open:down:a'], []]);
  });

  it('treats an NLB without target groups as down', () => {
    const none = report({});
    const { posted } = simulate([none, none]);
    expect(posted).toEqual([[], ['open:down:nlb:no-target-groups']]);
  });

  it('says once that it cannot check after two failed polls, and once that it can again', () => {
    const failed: Observation = { failure: 'AWS could not be reached for DescribeTargetHealth.' };
    const { posted, state } = simulate([ok, ok, failed, failed, failed, ok]);
    expect(posted).toEqual([[], [], [], ['blind'], [], ['sight']]);
    expect(state.blind).toBeUndefined();
    expect(state.failedPolls).toBe(0);
  });

  it('keeps the incident and the two-poll progress through a failed poll', () => {
    const down = report({ a: 'down' });
    const { posted } = simulate([ok, ok, down, { failure: 'timeout' }, down]);
    expect(posted).toEqual([[], [], [], [], ['open:down:a']]);
  });
});

describe('certificate alerts', () => {
  const certificate = (daysLeft: number): CertificateHealth => ({
    arn: 'cert',
    domainName: '*.example.com',
    names: ['*.example.com'],
    status: 'ISSUED',
    type: 'IMPORTED',
    imported: true,
    notAfter: undefined,
    daysLeft,
    listenerPorts: [443],
    isDefault: true,
  });

  it('posts each threshold once, without waiting for a second poll', () => {
    const polls = [40, 30, 29, 14, 14, 8, 7, 1, 0].map((days) => report({ a: 'healthy' }, [certificate(days)]));
    const { posted } = simulate(polls);
    expect(posted.map((kinds) => kinds.join(','))).toEqual([
      '',
      'certificates',
      '',
      'certificates',
      '',
      '',
      'certificates',
      'certificates',
      '',
    ]);
  });
});
