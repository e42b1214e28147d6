import { describe, expect, it } from '@jest/globals';
import { WorldSimulation } from '../../dev/sandbox/world-simulation.js';
import type { AwsWorld } from '../../dev/stand-ins/aws-api-server.js';
import { KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_CONTROLLER, SAMPLE_HTTPS_TG_ARN, SAMPLE_SNI_CERT_ARN, sampleNodes } from '../../dev/stand-ins/sample-world.js';

const NOW = new Date('2026-11-01T12:00:00Z');
const [controllerNode, secondNode] = sampleNodes();

function world() {
  const kube = new KubeStore();
  const aws: AwsWorld = { loadBalancers: [], listeners: [], targetGroups: [], certificates: [] };
  const simulation = new WorldSimulation(kube, aws, () => NOW);
  simulation.reset();
  const targets = () => aws.targetGroups.find((group) => group.arn === SAMPLE_HTTPS_TG_ARN)!;
  const states = () => Object.fromEntries(targets().targets.map((target) => [target.id, target.state]));
  return { kube, aws, simulation, targets, states };
}

describe('the sandbox world', () => {
  it('starts like the write-up: Local policy, one healthy node out of three', () => {
    const { simulation, states, targets } = world();
    expect(simulation.state().trafficPolicy).toBe('Local');
    expect(states()).toEqual({
      [controllerNode!.instanceId]: 'healthy',
      [secondNode!.instanceId]: 'unhealthy',
      'i-0a1b2c3d4e5f60003': 'unhealthy',
    });
    expect(targets()).toMatchObject({ healthCheckProtocol: 'HTTP', healthCheckPort: '32456', healthCheckPath: '/healthz' });
  });

  it('makes the controller node NotReady: its target and its pod follow', () => {
    const { simulation, states, kube } = world();
    const state = simulation.setNodeReady(controllerNode!.name, false);
    expect(states()[controllerNode!.instanceId]).toBe('unhealthy');
    expect(state.nodes.find((node) => node.name === controllerNode!.name)).toMatchObject({
      ready: false,
      target: { state: 'unhealthy', reason: 'Target.FailedHealthChecks' },
    });
    const node = kube.get('v1', 'Node', undefined, controllerNode!.name)!;
    expect((node['status'] as { conditions: Array<{ type: string; status: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False' }),
    );
    const pod = kube.list('v1', 'Pod', SAMPLE_CONTROLLER.namespace)[0]!;
    expect((pod['status'] as { conditions: Array<{ type: string; status: string }> }).conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False' }),
    );
    simulation.setNodeReady(controllerNode!.name, true);
    expect(states()[controllerNode!.instanceId]).toBe('healthy');
  });

  it('flips to Cluster: every Ready node healthy, a TCP check on the traffic port, no healthCheckNodePort', () => {
    const { simulation, states, targets, kube } = world();
    simulation.setTrafficPolicy('Cluster');
    expect(Object.values(states())).toEqual(['healthy', 'healthy', 'healthy']);
    expect(targets()).toMatchObject({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port' });
    expect(targets().healthCheckPath).toBeUndefined();
    const service = kube.get('v1', 'Service', SAMPLE_CONTROLLER.namespace, SAMPLE_CONTROLLER.name)!;
    expect(service['spec']).toMatchObject({ externalTrafficPolicy: 'Cluster' });
    expect(service['spec']).not.toHaveProperty('healthCheckNodePort');
    simulation.setNodeReady(secondNode!.name, false);
    expect(states()[secondNode!.instanceId]).toBe('unhealthy');
    simulation.setTrafficPolicy('Local');
    expect(targets()).toMatchObject({ healthCheckProtocol: 'HTTP', healthCheckPort: '32456', healthCheckPath: '/healthz' });
  });

  it('expires a certificate (EXPIRED, notAfter in the past) and restores it as it was', () => {
    const { simulation, aws } = world();
    const certificate = () => aws.certificates.find((candidate) => candidate.arn === SAMPLE_SNI_CERT_ARN)!;
    const before = { status: certificate().status, notAfter: certificate().notAfter };
    simulation.setCertificateExpired(SAMPLE_SNI_CERT_ARN, true);
    expect(certificate().status).toBe('EXPIRED');
    expect(certificate().notAfter.getTime()).toBeLessThan(NOW.getTime());
    simulation.setCertificateExpired(SAMPLE_SNI_CERT_ARN, true);
    simulation.setCertificateExpired(SAMPLE_SNI_CERT_ARN, false);
    expect({ status: certificate().status, notAfter: certificate().notAfter }).toEqual(before);
  });

  it('resets everything it seeded but keeps the bot’s Lease', () => {
    const { simulation, kube, states } = world();
    simulation.setNodeReady(controllerNode!.name, false);
    kube.upsert({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: 'default', name: 'nlb-ingress-bot' } });
    kube.upsert({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { namespace: 'team-a', name: 'extra' }, spec: {} });
    simulation.reset();
    expect(states()[controllerNode!.instanceId]).toBe('healthy');
    expect(kube.get('networking.k8s.io/v1', 'Ingress', 'team-a', 'extra')).toBeUndefined();
    expect(kube.get('coordination.k8s.io/v1', 'Lease', 'default', 'nlb-ingress-bot')).toBeDefined();
    expect(kube.list('v1', 'Node')).toHaveLength(3);
  });

  it('refuses a node or certificate that does not exist, and changes nothing', () => {
    const { simulation, states } = world();
    const before = states();
    expect(() => simulation.setNodeReady('no-such-node', false)).toThrow('There is no node no-such-node.');
    expect(() => simulation.setCertificateExpired('arn:aws:acm:nope', true)).toThrow('There is no certificate');
    expect(states()).toEqual(before);
  });

  it('announces every change', () => {
    const { simulation } = world();
    const seen: string[] = [];
    simulation.events.on('changed', (state: ReturnType<typeof simulation.state>) => seen.push(state.trafficPolicy));
    simulation.setTrafficPolicy('Cluster');
    simulation.setNodeReady(secondNode!.name, false);
    expect(seen).toEqual(['Cluster', 'Cluster']);
  });
});
