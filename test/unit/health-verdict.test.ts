import { describe, expect, it } from '@jest/globals';
import { verdictOf } from '../../src/domain/health-verdict.js';
import { assessTargetGroup, groupStatus, type HealthStatus, indexCluster } from '../../src/domain/target-group-health.js';

describe('the verdict', () => {
  it.each<[string, number, number, HealthStatus]>([
    ['every target healthy', 3, 0, 'healthy'],
    ['some targets failing', 1, 2, 'degraded'],
    ['no healthy target', 0, 3, 'down'],
    ['no target at all', 0, 0, 'down'],
  ])('a target group with %s is %s', (_what, healthy, failing, status) => {
    expect(groupStatus(healthy, failing)).toBe(status);
  });

  it.each<[string, HealthStatus[], HealthStatus]>([
    ['every group healthy', ['healthy', 'healthy'], 'healthy'],
    ['one group degraded', ['healthy', 'degraded'], 'degraded'],
    ['one group down', ['degraded', 'down', 'healthy'], 'down'],
    ['no target group', [], 'down'],
  ])('the NLB with %s is %s', (_what, statuses, verdict) => {
    expect(verdictOf(statuses)).toBe(verdict);
  });

  it('counts healthy/total, names the node of each target, and lets targets being registered not degrade the group', () => {
    const group = assessTargetGroup(
      {
        arn: 'tg',
        name: 'https',
        port: 30443,
        protocol: 'TCP',
        targetType: 'instance',
        healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
      },
      [{ protocol: 'TLS', port: 443 }],
      [
        { id: 'i-1', port: 30443, availabilityZone: 'eu-west-1a', state: 'healthy', reason: undefined },
        { id: 'i-2', port: 30443, availabilityZone: 'eu-west-1b', state: 'healthy', reason: undefined },
        { id: 'i-3', port: 30443, availabilityZone: undefined, state: 'initial', reason: 'Elb.InitialHealthChecking' },
      ],
      indexCluster([{ name: 'node-3', instanceId: 'i-3', zone: 'eu-west-1c' }], []),
    );
    expect([group.healthy, group.total, group.status]).toEqual([2, 3, 'healthy']);
    expect(group.targets[2]).toMatchObject({ nodeName: 'node-3', zone: 'eu-west-1c', condition: 'transitional' });
  });

  it('maps IP targets to controller pods by pod IP', () => {
    const group = assessTargetGroup(
      {
        arn: 'tg',
        name: 'ip',
        port: 80,
        protocol: 'TCP',
        targetType: 'ip',
        healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
      },
      [],
      [{ id: '10.0.1.15', port: 80, availabilityZone: 'eu-west-1a', state: 'unhealthy', reason: 'Target.Timeout' }],
      indexCluster([], [{ name: 'controller-abc', nodeName: 'node-1', podIp: '10.0.1.15', ready: true, labels: {} }]),
    );
    expect(group.targets[0]).toMatchObject({ podName: 'controller-abc', nodeName: 'node-1' });
    expect(group.status).toBe('down');
  });
});
