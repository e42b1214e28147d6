import { describe, expect, it } from '@jest/globals';
import {
  healthCheckFor,
  type SimulatedControllerPod,
  type SimulatedNode,
  simulateTargetHealth,
  type TrafficPolicy,
} from '../../dev/sandbox/simulate-target-health.js';

const nodes = (...ready: boolean[]): SimulatedNode[] => ready.map((isReady, index) => ({ name: `node-${index + 1}`, ready: isReady }));
const pod = (nodeName: string, ready = true): SimulatedControllerPod => ({ nodeName, ready });

describe('simulateTargetHealth', () => {
  const cases: Array<[string, TrafficPolicy, SimulatedNode[], SimulatedControllerPod[], string[]]> = [
    [
      'Local: only the node running the controller pod is healthy',
      'Local',
      nodes(true, true, true),
      [pod('node-1')],
      ['healthy', 'unhealthy', 'unhealthy'],
    ],
    [
      'Local: a node whose controller pod is not Ready is unhealthy',
      'Local',
      nodes(true, true, true),
      [pod('node-1', false), pod('node-2')],
      ['unhealthy', 'healthy', 'unhealthy'],
    ],
    [
      'Local: a NotReady node is unhealthy even with a controller pod',
      'Local',
      nodes(false, true, true),
      [pod('node-1'), pod('node-2')],
      ['unhealthy', 'healthy', 'unhealthy'],
    ],
    ['Cluster: every Ready node is healthy', 'Cluster', nodes(true, true, true), [pod('node-1')], ['healthy', 'healthy', 'healthy']],
    ['Cluster: a NotReady node is unhealthy', 'Cluster', nodes(true, false, true), [pod('node-1')], ['healthy', 'unhealthy', 'healthy']],
    [
      'Cluster: with the only controller pod on a NotReady node nothing serves',
      'Cluster',
      nodes(false, true, true),
      [pod('node-1')],
      ['unhealthy', 'unhealthy', 'unhealthy'],
    ],
    ['Cluster: without any controller pod nothing serves', 'Cluster', nodes(true, true), [], ['unhealthy', 'unhealthy']],
  ];
  it.each(cases)('%s', (_name, policy, nodeList, pods, expected) => {
    const health = simulateTargetHealth(policy, nodeList, pods);
    expect(nodeList.map((node) => health.get(node.name)?.state)).toEqual(expected);
  });

  it('gives unhealthy targets the reason and description the NLB reports', () => {
    const health = simulateTargetHealth('Local', nodes(true, true), [pod('node-1')]);
    expect(health.get('node-2')).toEqual({ state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
    expect(health.get('node-1')).toEqual({ state: 'healthy' });
  });
});

describe('healthCheckFor', () => {
  it('checks HTTP /healthz on the healthCheckNodePort with Local', () => {
    expect(healthCheckFor('Local', 32456)).toEqual({ protocol: 'HTTP', port: '32456', path: '/healthz' });
  });

  it('checks TCP on the traffic port with Cluster', () => {
    expect(healthCheckFor('Cluster', undefined)).toEqual({ protocol: 'TCP', port: 'traffic-port', path: undefined });
  });
});
