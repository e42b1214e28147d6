import { type Diagnosis, DiagnosisCode, type DiagnosisInput } from './diagnosis.js';
import { proxyKindOf } from './proxy-kind.js';
import type { TargetGroupHealth } from './target-group-health.js';
import { localPolicyDiagnosis, staleHealthCheckDiagnosis } from './traffic-policy-diagnosis.js';

/** Every cause the bot recognises in one health snapshot, most specific first. */
export function diagnose(input: DiagnosisInput): Diagnosis[] {
  const found: Diagnosis[] = [];
  const empty = input.groups.filter((group) => group.total === 0);
  if (empty.length > 0) found.push(noTargets(empty));
  const stale = staleHealthCheckDiagnosis(input);
  const allFailing = allTargetsFailing(input.groups);
  if (stale !== undefined) found.push(stale);
  else if (allFailing) found.push(allUnhealthy(input));
  else {
    const local = localPolicyDiagnosis(input);
    if (local !== undefined) found.push(local);
  }
  const unusedZones = zonesNotInUse(input.groups);
  if (unusedZones.length > 0) found.push(zoneNotInUse(unusedZones, input.loadBalancerZones));
  return found;
}

function allTargetsFailing(groups: readonly TargetGroupHealth[]): boolean {
  const targets = groups.flatMap((group) => group.targets);
  return targets.length > 0 && targets.every((target) => target.condition === 'failing');
}

function noTargets(groups: readonly TargetGroupHealth[]): Diagnosis {
  const names = groups.map((group) => `\`${group.name}\``).join(', ');
  return {
    code: DiagnosisCode.NoTargets,
    summary: `No targets are registered in ${names}: the NLB has nowhere to send that traffic.`,
    details:
      'Instance target groups list every node the cloud provider or the AWS Load Balancer Controller ' +
      'registers; IP target groups list the proxy’s pods. An empty group means nothing was registered.',
    fixes: [
      'Check that the cluster has Ready nodes that are not excluded with ' +
        'the label `node.kubernetes.io/exclude-from-external-load-balancers`.',
      'With the AWS Load Balancer Controller: check that it runs and that the Service’s ' +
        'TargetGroupBinding exists; for IP targets, that the proxy’s pods are ready.',
    ],
  };
}

function allUnhealthy(input: DiagnosisInput): Diagnosis {
  const ready = input.pods.filter((pod) => pod.ready).length;
  const pod = `${proxyKindOf(input.service.selector, input.pods).name} pod`;
  const service = `${input.service.namespace}/${input.service.name}`;
  const selector = Object.entries(input.service.selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const checkPorts = [...new Set(input.groups.map((group) => group.healthCheck.port ?? 'traffic-port'))].join(', ');
  if (ready === 0) {
    return {
      code: DiagnosisCode.AllUnhealthy,
      summary: `Every target is unhealthy: no ${pod} is ready, so nothing answers on the nodes.`,
      details: `The Service ${service} selects ${input.pods.length} pod(s) and none is Running and Ready.`,
      fixes: [
        `Look at the ${pod}s: \`kubectl -n ${input.service.namespace} get pods -l ${selector}\` and \`kubectl ` +
          `-n ${input.service.namespace} describe pod\` (crash loop, image pull, scheduling, failing readiness probe).`,
      ],
    };
  }
  return {
    code: DiagnosisCode.AllUnhealthy,
    summary: `Every target is unhealthy although ${ready} ${pod}(s) are ready: the NLB probably cannot reach the nodes.`,
    details:
      `An NLB without its own security group reaches the nodes from its subnets (and, with client ` +
      `IP preservation, from the clients' addresses); the nodes' security group must let it in.`,
    fixes: [
      `Allow the NLB in the nodes' security group on the NodePorts (30000-32767) and on the health-check port (${checkPorts}).`,
      'Check the subnets’ network ACLs for the same ports.',
    ],
  };
}

function zonesNotInUse(groups: readonly TargetGroupHealth[]): string[] {
  const zones = groups.flatMap((group) =>
    group.targets.filter((target) => target.reason === 'Target.NotInUse').map((target) => target.zone ?? 'an unknown zone'),
  );
  return [...new Set(zones)].sort();
}

function zoneNotInUse(zones: readonly string[], loadBalancerZones: readonly string[]): Diagnosis {
  return {
    code: DiagnosisCode.ZoneNotInUse,
    summary: `Some targets are in ${zones.join(', ')}, an Availability Zone the NLB does not use: they get no traffic (Target.NotInUse).`,
    details:
      `The NLB has subnets in ${loadBalancerZones.join(', ') || 'no zone'} only. Cross-zone load balancing spreads traffic over ` +
      `the zones the NLB uses, not to others.`,
    fixes: [
      'Give the NLB a subnet in that zone (and, with pinned Elastic IPs, one more ' +
        'allocation in service.beta.kubernetes.io/aws-load-balancer-eip-allocations).',
      'Or run the nodes, and the proxy’s pods, only in the NLB’s zones.',
    ],
  };
}
