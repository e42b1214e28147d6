import { nodesWithReadyController } from './cluster-node.js';
import { type Diagnosis, DiagnosisCode, type DiagnosisInput } from './diagnosis.js';
import { proxyKindOf, withArticle } from './proxy-kind.js';
import type { TargetGroupHealth } from './target-group-health.js';

export const EIP_ALLOCATIONS_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations';

const LIST_LIMIT = 5;

/**
 * ingress-nginx issue #5592 (and every proxy behind an NLB): with externalTrafficPolicy Local only nodes that run a ready proxy pod
 * pass the NLB's HTTP /healthz check on the healthCheckNodePort. Recognised when the failing targets are
 * exactly the nodes without such a pod and at least one node with a pod serves.
 */
export function localPolicyDiagnosis(input: DiagnosisInput): Diagnosis | undefined {
  if (input.service.externalTrafficPolicy !== 'Local') return undefined;
  const groups = input.groups.filter((group) => group.targetType === 'instance' && group.total > 0);
  if (groups.length === 0) return undefined;
  const withPod = nodesWithReadyController(input.pods);
  const withoutPod = new Set<string>();
  const serving = new Set<string>();
  for (const target of groups.flatMap((group) => group.targets)) {
    // Targets in a zone the NLB does not use, or being (de)registered, say nothing about the policy.
    if (target.condition === 'transitional' || target.reason === 'Target.NotInUse') continue;
    const hasPod = target.nodeName !== undefined && withPod.has(target.nodeName);
    const failsCheck = target.state === 'unhealthy';
    if (target.condition === 'failing' && !failsCheck) return undefined;
    if (failsCheck === hasPod) return undefined;
    if (hasPod) serving.add(target.nodeName ?? target.id);
    else withoutPod.add(target.nodeName ?? target.id);
  }
  if (withoutPod.size === 0 || serving.size === 0) return undefined;
  const port =
    input.service.healthCheckNodePort === undefined
      ? 'the healthCheckNodePort'
      : `the healthCheckNodePort ${input.service.healthCheckNodePort}`;
  const pod = `${proxyKindOf(input.service.selector, input.pods).name} pod`;
  return {
    code: DiagnosisCode.LocalTrafficPolicy,
    summary: `Only the nodes that run ${withArticle(pod)} are healthy, because its Service has \`externalTrafficPolicy: Local\`.`,
    details:
      `With \`externalTrafficPolicy: Local\` the NLB health-checks every node over HTTP on ${port} (path ` +
      `/healthz), and only nodes that run a ready ${pod} answer 200; the others answer 503. ` +
      `The unhealthy targets are exactly the ${withoutPod.size} node(s) without a ready ${pod} (${list([...withoutPod])}). ` +
      `This is the expected effect of Local, not a fault: it keeps the client's source IP and saves a hop. Traffic still flows through ` +
      `the ${serving.size} node(s) with a pod (${list([...serving])}), but if those pods go, the NLB is down.`,
    fixes: [
      'Use `externalTrafficPolicy: Cluster` on a Service created that way: the NLB then checks TCP on the traffic port and every node ' +
        'is healthy (the client source IP is no longer preserved).',
      `Or keep Local and run ${withArticle(pod)} on every node (a DaemonSet), ` +
        'or spread more replicas over the nodes with pod anti-affinity.',
    ],
    caution: switchTrap(input.service.annotations),
  };
}

/**
 * The trap of switching an existing Service from Local to Cluster: the NLB keeps the HTTP health check on
 * the old healthCheckNodePort, which nothing serves any more, so every target of that group fails.
 */
export function staleHealthCheckDiagnosis(input: DiagnosisInput): Diagnosis | undefined {
  if (input.service.externalTrafficPolicy === 'Local') return undefined;
  const nodePorts = new Set(input.service.ports.flatMap((port) => (port.nodePort === undefined ? [] : [String(port.nodePort)])));
  const stale = input.groups.filter((group) => isStaleCheck(group, nodePorts));
  if (stale.length === 0) return undefined;
  const checks = stale.map(
    (group) =>
      `\`${group.name}\` checks ${group.healthCheck.protocol ?? 'HTTP'} on port ` +
      `${group.healthCheck.port ?? '?'}${group.healthCheck.path === undefined ? '' : ` path ${group.healthCheck.path}`}`,
  );
  return {
    code: DiagnosisCode.StaleHealthCheck,
    summary:
      'Every target fails an HTTP health check that the Service no longer serves: the check left over from `externalTrafficPolicy: Local`.',
    details:
      `The Service now has \`externalTrafficPolicy: ${input.service.externalTrafficPolicy ?? 'Cluster'}\`, so no node answers on the ` +
      `old healthCheckNodePort, but ${list(checks)}. Switching an existing Service from Local to Cluster can leave the NLB's HTTP ` +
      `health check in place.`,
    fixes: ['Delete and re-create the proxy’s Service, so the NLB is created with the TCP health check on the traffic port.'],
    caution: switchTrap(input.service.annotations, 'Re-creating the Service re-creates the NLB'),
  };
}

function isStaleCheck(group: TargetGroupHealth, nodePorts: ReadonlySet<string>): boolean {
  const { protocol, port } = group.healthCheck;
  if (group.targetType !== 'instance' || group.total === 0) return false;
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') return false;
  if (port === undefined || port === 'traffic-port' || nodePorts.has(port)) return false;
  return group.targets.every((target) => target.condition === 'failing');
}

function switchTrap(
  annotations: Readonly<Record<string, string>>,
  lead = 'Careful when switching an existing Service from Local to Cluster: the NLB can keep its old HTTP health ' +
    'check, and then every target fails. Deleting and re-creating the Service fixes that, but it re-creates the NLB',
): string {
  const pinned = (annotations[EIP_ALLOCATIONS_ANNOTATION] ?? '').trim() !== '';
  return pinned
    ? `${lead}; its IPs stay the same because the Service pins Elastic IPs (${EIP_ALLOCATIONS_ANNOTATION}).`
    : `${lead} and with it the IPs, because the Service pins no Elastic IPs: set ` +
        `${EIP_ALLOCATIONS_ANNOTATION} first, or every partner has to update their allow-list.`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown} and ${items.length - LIST_LIMIT} more` : shown;
}
