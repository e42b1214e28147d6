import { EventEmitter } from 'node:events';
import { isManagedByBot } from '../../src/domain/ownership.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import type { AwsWorld } from '../stand-ins/aws-api-server.js';
import { type KubeObject, type KubeStore, RESOURCE_TYPES } from '../stand-ins/kube-api-server.js';
import { SAMPLE_DATA_PLANE_SERVICE, SAMPLE_ENVOY_NAMESPACE, seedSampleGatewayWorld } from '../stand-ins/sample-gateway-world.js';
import { SAMPLE_CONTROLLER, SAMPLE_NLB_ARN, seedSampleWorld } from '../stand-ins/sample-world.js';
import { externalDnsDeployment } from './simulate-external-dns.js';
import {
  type HealthCheckSettings,
  healthCheckFor,
  type SimulatedTargetHealth,
  simulateTargetHealth,
  type TrafficPolicy,
} from './simulate-target-health.js';

export interface WorldState {
  /** ingress-nginx with Ingresses, or Envoy Gateway with HTTPRoutes (SANDBOX_EDGE=gateway). */
  readonly edge: SandboxEdge;
  readonly trafficPolicy: TrafficPolicy;
  readonly healthCheck: HealthCheckSettings;
  readonly nodes: ReadonlyArray<{
    readonly name: string;
    readonly zone: string;
    readonly instanceId: string;
    readonly ready: boolean;
    readonly controllerPods: number;
    readonly readyControllerPods: number;
    readonly target: SimulatedTargetHealth;
  }>;
  readonly certificates: ReadonlyArray<{
    readonly arn: string;
    readonly domainName: string;
    readonly type: string;
    readonly status: string;
    readonly notAfter: string;
    readonly expiredBySandbox: boolean;
  }>;
  /** The edge's routes: Ingresses, and in Gateway mode the HTTPRoutes and GRPCRoutes too. */
  readonly ingresses: ReadonlyArray<{
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly hosts: readonly string[];
    readonly managedByBot: boolean;
  }>;
}

const DAY_MS = 86_400_000;
// Leases belong to the running bot (leader election), not to the simulated world: a reset keeps them.
const KEPT_ON_RESET = new Set(['Lease']);

/**
 * The sandbox's world: the stand-ins' Kubernetes and AWS state, seeded like the write-up (controller
 * with externalTrafficPolicy Local on one of three nodes), and the controls that change it. After every
 * change the NLB's target groups are recomputed from the cluster, as the real NLB would see it.
 * Emits 'changed' after every change.
 */
/** Which proxy the sandbox runs behind the NLB: ingress-nginx and its Ingresses, or Envoy Gateway and HTTPRoutes. */
export type SandboxEdge = 'ingress' | 'gateway';

const EDGES: Readonly<
  Record<SandboxEdge, { readonly seed: typeof seedSampleWorld; readonly service: { readonly namespace: string; readonly name: string } }>
> = {
  ingress: { seed: seedSampleWorld, service: SAMPLE_CONTROLLER },
  gateway: { seed: seedSampleGatewayWorld, service: { namespace: SAMPLE_ENVOY_NAMESPACE, name: SAMPLE_DATA_PLANE_SERVICE } },
};

export class WorldSimulation {
  readonly events = new EventEmitter();
  private readonly savedCertificates = new Map<string, { status: string; notAfter: Date }>();

  constructor(
    private readonly kube: KubeStore,
    private readonly aws: AwsWorld,
    private readonly now: () => Date = () => new Date(),
    readonly edge: SandboxEdge = 'ingress',
  ) {}

  /** Seeds the sample world (replacing whatever is there, except the bot's Leases). */
  reset(): WorldState {
    for (const type of RESOURCE_TYPES) {
      if (KEPT_ON_RESET.has(type.kind)) continue;
      const apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
      for (const object of this.kube.list(apiVersion, type.kind)) {
        this.kube.remove(apiVersion, type.kind, object.metadata.namespace, object.metadata.name ?? '');
      }
    }
    this.aws.loadBalancers.length = 0;
    this.aws.listeners.length = 0;
    this.aws.targetGroups.length = 0;
    this.aws.certificates.length = 0;
    this.savedCertificates.clear();
    EDGES[this.edge].seed(this.kube, this.aws, { externalTrafficPolicy: 'Local', now: this.now() });
    this.kube.upsert(externalDnsDeployment());
    return this.changed();
  }

  /** Node Ready condition True or False; the node's pods follow, as the node lifecycle controller does. */
  setNodeReady(nodeName: string, ready: boolean): WorldState {
    if (this.kube.get('v1', 'Node', undefined, nodeName) === undefined) {
      throw new UserFacingError(ErrorCode.NotFound, `There is no node ${nodeName}.`);
    }
    this.kube.modify('v1', 'Node', undefined, nodeName, (node) => {
      setCondition(
        node,
        ready
          ? { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' },
      );
    });
    for (const pod of this.kube.list('v1', 'Pod')) {
      if (spec(pod)['nodeName'] !== nodeName) continue;
      this.kube.modify('v1', 'Pod', pod.metadata.namespace, pod.metadata.name ?? '', (changed) => {
        setCondition(changed, ready ? { status: 'True' } : { status: 'False', reason: 'NodeNotReady' });
      });
    }
    return this.changed();
  }

  /** Flips the controller Service between Local (with a healthCheckNodePort) and Cluster. */
  setTrafficPolicy(policy: TrafficPolicy): WorldState {
    const { namespace, name } = EDGES[this.edge].service;
    this.kube.modify('v1', 'Service', namespace, name, (service) => {
      const serviceSpec = spec(service);
      serviceSpec['externalTrafficPolicy'] = policy;
      // Kubernetes allocates healthCheckNodePort only for Local and releases it for Cluster.
      if (policy === 'Local') serviceSpec['healthCheckNodePort'] ??= 32456;
      else delete serviceSpec['healthCheckNodePort'];
    });
    return this.changed();
  }

  /** Expired: ACM status EXPIRED with notAfter yesterday; restored: as it was before. */
  setCertificateExpired(arn: string, expired: boolean): WorldState {
    const certificate = this.aws.certificates.find((candidate) => candidate.arn === arn);
    if (certificate === undefined) throw new UserFacingError(ErrorCode.NotFound, `There is no certificate ${arn}.`);
    const saved = this.savedCertificates.get(arn);
    if (expired && saved === undefined) {
      this.savedCertificates.set(arn, { status: certificate.status, notAfter: certificate.notAfter });
      certificate.status = 'EXPIRED';
      certificate.notAfter = new Date(this.now().getTime() - DAY_MS);
    } else if (!expired && saved !== undefined) {
      certificate.status = saved.status;
      certificate.notAfter = saved.notAfter;
      this.savedCertificates.delete(arn);
    }
    return this.changed();
  }

  state(): WorldState {
    const service = this.controllerService();
    const policy = trafficPolicyOf(service);
    const health = this.targetHealth(policy);
    const pods = this.controllerPods();
    return {
      edge: this.edge,
      trafficPolicy: policy,
      healthCheck: healthCheckFor(policy, healthCheckNodePortOf(service)),
      nodes: this.kube.list('v1', 'Node').map((node) => {
        const name = node.metadata.name ?? '';
        const { zone, instanceId } = parseProviderId(spec(node)['providerID']);
        return {
          name,
          zone,
          instanceId,
          ready: isReady(node),
          controllerPods: pods.filter((pod) => spec(pod)['nodeName'] === name).length,
          readyControllerPods: pods.filter((pod) => spec(pod)['nodeName'] === name && isReady(pod)).length,
          target: health.get(name) ?? { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' },
        };
      }),
      certificates: this.aws.certificates.map((certificate) => ({
        arn: certificate.arn,
        domainName: certificate.domainName,
        type: certificate.type,
        status: certificate.status,
        notAfter: certificate.notAfter.toISOString(),
        expiredBySandbox: this.savedCertificates.has(certificate.arn),
      })),
      ingresses: [
        ...this.kube.list('networking.k8s.io/v1', 'Ingress').map((ingress) => ({
          kind: 'Ingress',
          namespace: ingress.metadata.namespace ?? '',
          name: ingress.metadata.name ?? '',
          hosts: ((spec(ingress)['rules'] as Array<{ host?: string }> | undefined) ?? []).flatMap((rule) =>
            rule.host === undefined ? [] : [rule.host],
          ),
          managedByBot: isManagedByBot(ingress.metadata.labels ?? {}),
        })),
        ...['HTTPRoute', 'GRPCRoute'].flatMap((kind) =>
          this.kube.list('gateway.networking.k8s.io/v1', kind).map((route) => ({
            kind,
            namespace: route.metadata.namespace ?? '',
            name: route.metadata.name ?? '',
            hosts: (spec(route)['hostnames'] as string[] | undefined) ?? [],
            managedByBot: isManagedByBot(route.metadata.labels ?? {}),
          })),
        ),
      ],
    };
  }

  /** Writes the target health and health-check settings the cluster implies into the NLB's target groups. */
  private changed(): WorldState {
    const service = this.controllerService();
    const policy = trafficPolicyOf(service);
    const check = healthCheckFor(policy, healthCheckNodePortOf(service));
    const health = this.targetHealth(policy);
    const nodes = this.kube.list('v1', 'Node');
    for (const group of this.aws.targetGroups) {
      if (!group.loadBalancerArns.includes(SAMPLE_NLB_ARN) || group.targetType !== 'instance') continue;
      group.healthCheckProtocol = check.protocol;
      group.healthCheckPort = check.port;
      if (check.path === undefined) delete group.healthCheckPath;
      else group.healthCheckPath = check.path;
      // Instance targets: the cloud provider registers every node on the Service's node port.
      group.targets = nodes.map((node) => {
        const { zone, instanceId } = parseProviderId(spec(node)['providerID']);
        const target = health.get(node.metadata.name ?? '') ?? { state: 'unhealthy' };
        return {
          id: instanceId,
          port: group.port,
          availabilityZone: zone,
          state: target.state,
          ...(target.reason === undefined ? {} : { reason: target.reason }),
          ...(target.description === undefined ? {} : { description: target.description }),
        };
      });
    }
    const state = this.state();
    this.events.emit('changed', state);
    return state;
  }

  private targetHealth(policy: TrafficPolicy): Map<string, SimulatedTargetHealth> {
    const nodes = this.kube.list('v1', 'Node').map((node) => ({ name: node.metadata.name ?? '', ready: isReady(node) }));
    const pods = this.controllerPods().map((pod) => ({ nodeName: String(spec(pod)['nodeName'] ?? ''), ready: isReady(pod) }));
    return simulateTargetHealth(policy, nodes, pods);
  }

  private controllerService(): KubeObject | undefined {
    const { namespace, name } = EDGES[this.edge].service;
    return this.kube.get('v1', 'Service', namespace, name);
  }

  private controllerPods(): KubeObject[] {
    const selector = (spec(this.controllerService())['selector'] ?? {}) as Record<string, string>;
    const wanted = Object.entries(selector);
    if (wanted.length === 0) return [];
    return this.kube
      .list('v1', 'Pod', EDGES[this.edge].service.namespace)
      .filter((pod) => wanted.every(([key, value]) => pod.metadata.labels?.[key] === value));
  }
}

function spec(object: KubeObject | undefined): Record<string, unknown> {
  if (object === undefined) return {};
  object['spec'] ??= {};
  return object['spec'] as Record<string, unknown>;
}

function trafficPolicyOf(service: KubeObject | undefined): TrafficPolicy {
  return spec(service)['externalTrafficPolicy'] === 'Local' ? 'Local' : 'Cluster';
}

function healthCheckNodePortOf(service: KubeObject | undefined): number | undefined {
  const port = spec(service)['healthCheckNodePort'];
  return typeof port === 'number' ? port : undefined;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };

function conditionsOf(object: KubeObject): Condition[] {
  object['status'] ??= {};
  const status = object['status'] as { conditions?: Condition[] };
  status.conditions ??= [];
  return status.conditions;
}

function isReady(object: KubeObject): boolean {
  return conditionsOf(object).some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

function setCondition(object: KubeObject, ready: Omit<Condition, 'type'>): void {
  const status = object['status'] as { conditions?: Condition[] } | undefined;
  const others = (status?.conditions ?? []).filter((condition) => condition.type !== 'Ready');
  object['status'] = { ...status, conditions: [...others, { type: 'Ready', ...ready }] };
}

/** A node's spec.providerID is aws:///<zone>/<instance-id>. */
function parseProviderId(providerId: unknown): { zone: string; instanceId: string } {
  const match = /^aws:\/\/\/([^/]+)\/(i-[0-9a-f]+)$/.exec(String(providerId ?? ''));
  return { zone: match?.[1] ?? 'unknown', instanceId: match?.[2] ?? String(providerId ?? '') };
}
