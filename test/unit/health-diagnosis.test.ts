import { describe, expect, it } from '@jest/globals';
import type { ControllerPod } from '../../src/domain/cluster-node.js';
import type { DiagnosisInput } from '../../src/domain/diagnosis.js';
import { diagnose } from '../../src/domain/health-diagnosis.js';
import { assessTargetGroup, indexCluster, type TargetDescription } from '../../src/domain/target-group-health.js';

const nodes = [
  { name: 'node-a', instanceId: 'i-a', zone: 'eu-west-1a' },
  { name: 'node-b', instanceId: 'i-b', zone: 'eu-west-1b' },
  { name: 'node-c', instanceId: 'i-c', zone: 'eu-west-1c' },
];

type TargetState = 'ok' | 'fail' | 'timeout' | 'notinuse' | 'initial';

const asTarget = (state: TargetState, index: number): TargetDescription => {
  const node = nodes[index]!;
  const base = { id: node.instanceId, port: 30443, availabilityZone: node.zone };
  switch (state) {
    case 'ok':
      return { ...base, state: 'healthy', reason: undefined };
    case 'fail':
      return { ...base, state: 'unhealthy', reason: 'Target.FailedHealthChecks' };
    case 'timeout':
      return { ...base, state: 'unhealthy', reason: 'Target.Timeout' };
    case 'notinuse':
      return { ...base, state: 'unused', reason: 'Target.NotInUse' };
    case 'initial':
      return { ...base, state: 'initial', reason: 'Elb.InitialHealthChecking' };
  }
};

interface Case {
  readonly policy: 'Local' | 'Cluster';
  /** One state per node a, b, c; [] for a group without targets. */
  readonly targets: readonly TargetState[];
  /** Nodes running a ready controller pod. */
  readonly podsOn?: readonly string[];
  readonly notReadyPods?: number;
  readonly healthCheck?: { protocol: string; port: string; path?: string };
}

function input(c: Case): DiagnosisInput {
  const pods: ControllerPod[] = [
    ...(c.podsOn ?? ['node-a']).map((nodeName, index) => ({
      name: `controller-${index}`,
      nodeName,
      podIp: undefined,
      ready: true,
      labels: {},
    })),
    ...Array.from({ length: c.notReadyPods ?? 0 }, (_, index) => ({
      name: `broken-${index}`,
      nodeName: 'node-b',
      podIp: undefined,
      ready: false,
      labels: {},
    })),
  ];
  const local = c.policy === 'Local';
  const healthCheck =
    c.healthCheck ?? (local ? { protocol: 'HTTP', port: '32456', path: '/healthz' } : { protocol: 'TCP', port: 'traffic-port' });
  const group = assessTargetGroup(
    {
      arn: 'tg-https',
      name: 'k8s-https',
      port: 30443,
      protocol: 'TCP',
      targetType: 'instance',
      healthCheck: { path: undefined, ...healthCheck },
    },
    [{ protocol: 'TLS', port: 443 }],
    c.targets.map(asTarget),
    indexCluster(nodes, pods),
  );
  return {
    service: {
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      externalTrafficPolicy: c.policy,
      healthCheckNodePort: local ? 32456 : undefined,
      annotations: {},
      selector: { 'app.kubernetes.io/name': 'ingress-nginx' },
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'http', nodePort: 30443 }],
    },
    loadBalancerZones: ['eu-west-1a', 'eu-west-1b'],
    groups: [group],
    pods,
  };
}

describe('diagnoses', () => {
  it.each<[string, Case, string[]]>([
    [
      'Local, only the node with the controller pod healthy',
      { policy: 'Local', targets: ['ok', 'fail', 'fail'] },
      ['local_traffic_policy'],
    ],
    [
      'Local, pods on two nodes, the third failing',
      { policy: 'Local', targets: ['ok', 'ok', 'fail'], podsOn: ['node-a', 'node-b'] },
      ['local_traffic_policy'],
    ],
    [
      'Local, a pod on every node and every node healthy',
      { policy: 'Local', targets: ['ok', 'ok', 'ok'], podsOn: ['node-a', 'node-b', 'node-c'] },
      [],
    ],
    ['Local, but the node with the pod fails and one without serves', { policy: 'Local', targets: ['fail', 'ok', 'fail'] }, []],
    ['Local, one node without pod still healthy', { policy: 'Local', targets: ['ok', 'ok', 'fail'] }, []],
    ['Local, a node joining does not hide the pattern', { policy: 'Local', targets: ['ok', 'fail', 'initial'] }, ['local_traffic_policy']],
    ['Cluster, one node failing', { policy: 'Cluster', targets: ['ok', 'timeout', 'ok'] }, []],
    [
      'Cluster, every target failing while the controller is ready',
      { policy: 'Cluster', targets: ['timeout', 'timeout', 'timeout'] },
      ['all_unhealthy'],
    ],
    [
      'Local, every target failing and no controller pod ready',
      { policy: 'Local', targets: ['fail', 'fail', 'fail'], podsOn: [], notReadyPods: 2 },
      ['all_unhealthy'],
    ],
    [
      'Cluster, every target failing an HTTP check on the old healthCheckNodePort',
      { policy: 'Cluster', targets: ['fail', 'fail', 'fail'], healthCheck: { protocol: 'HTTP', port: '32456', path: '/healthz' } },
      ['stale_health_check'],
    ],
    [
      'Cluster, an HTTP check on a node port of the Service is not the leftover',
      { policy: 'Cluster', targets: ['fail', 'fail', 'fail'], healthCheck: { protocol: 'HTTP', port: '30443', path: '/healthz' } },
      ['all_unhealthy'],
    ],
    ['no target registered', { policy: 'Cluster', targets: [] }, ['no_targets']],
    ['targets in a zone the NLB does not use', { policy: 'Cluster', targets: ['ok', 'ok', 'notinuse'] }, ['zone_not_in_use']],
    [
      'Local, and the third node in a zone the NLB does not use',
      { policy: 'Local', targets: ['ok', 'fail', 'notinuse'] },
      ['local_traffic_policy', 'zone_not_in_use'],
    ],
  ])('%s', (_what, c, codes) => {
    expect(diagnose(input(c)).map((diagnosis) => diagnosis.code)).toEqual(codes);
  });

  it('names externalTrafficPolicy, says Local is expected, gives both fixes and the trap of switching', () => {
    const [local] = diagnose(input({ policy: 'Local', targets: ['ok', 'fail', 'fail'] }));
    expect(local?.summary).toContain('`externalTrafficPolicy: Local`');
    expect(local?.details).toContain('exactly the 2 node(s) without a ready ingress-nginx controller pod (node-b, node-c)');
    expect(local?.details).toContain('the expected effect of Local');
    expect(local?.details).toContain('the healthCheckNodePort 32456 (path /healthz)');
    expect(local?.fixes[0]).toContain('`externalTrafficPolicy: Cluster` on a Service created that way');
    expect(local?.fixes[1]).toContain('DaemonSet');
    expect(local?.fixes[1]).toContain('pod anti-affinity');
    expect(local?.caution).toContain('switching an existing Service from Local to Cluster');
    expect(local?.caution).toContain('every target fails');
    expect(local?.caution).toContain('re-creates the NLB and with it the IPs, because the Service pins no Elastic IPs');
  });

  it('tells a controller that is down from a blocked security group', () => {
    const [down] = diagnose(input({ policy: 'Cluster', targets: ['timeout', 'timeout', 'timeout'], podsOn: [], notReadyPods: 2 }));
    expect(down?.summary).toContain('no ingress-nginx controller pod is ready');
    expect(down?.details).toContain('selects 2 pod(s) and none is Running and Ready');
    const [blocked] = diagnose(input({ policy: 'Cluster', targets: ['timeout', 'timeout', 'timeout'] }));
    expect(blocked?.summary).toContain('although 1 ingress-nginx controller pod(s) are ready');
    expect(blocked?.fixes[0]).toContain('NodePorts (30000-32767) and on the health-check port (traffic-port)');
  });

  it('names the zone the NLB does not use and the zones it does', () => {
    const [zone] = diagnose(input({ policy: 'Cluster', targets: ['ok', 'ok', 'notinuse'] }));
    expect(zone?.summary).toContain('in eu-west-1c, an Availability Zone the NLB does not use');
    expect(zone?.details).toContain('eu-west-1a, eu-west-1b');
  });
});
