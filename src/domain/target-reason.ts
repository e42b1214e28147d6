/**
 * What a target's state means for traffic. "transitional" targets are being registered or drained:
 * they get no traffic now, but nothing is wrong (a node joining or leaving), so they do not make the
 * NLB degraded on their own.
 */
export type TargetCondition = 'healthy' | 'transitional' | 'failing';

const transitionalStates = new Set(['initial', 'draining', 'unhealthy.draining']);

export function targetCondition(state: string): TargetCondition {
  if (state === 'healthy') return 'healthy';
  return transitionalStates.has(state) ? 'transitional' : 'failing';
}

// Every State and Reason DescribeTargetHealth documents (the ELBv2 API reference, TargetHealth), in words.
const reasonSentences: Readonly<Record<string, string>> = {
  'Elb.RegistrationInProgress': 'is being registered with the target group',
  'Elb.InitialHealthChecking': 'is registered; the NLB is still running its first health checks',
  'Target.ResponseCodeMismatch':
    'answers the health check with an unexpected HTTP status (with ' +
    'externalTrafficPolicy Local, a node without a ready controller pod answers 503)',
  'Target.Timeout': 'does not answer the health check in time (is the health-check port open to the NLB in the security group?)',
  'Target.FailedHealthChecks': 'fails the NLB health check',
  'Elb.InternalError': 'could not be health-checked because of an internal ELB error',
  'Target.NotRegistered': 'is not registered in the target group',
  'Target.NotInUse': 'is in an Availability Zone the NLB does not use',
  'Target.InvalidState': 'is not running (the instance is stopped or terminated)',
  'Target.IpUnusable': 'has an IP address that cannot be a target (it belongs to a load balancer)',
  'Target.DeregistrationInProgress': 'is being deregistered (open connections are drained)',
  'Target.HealthCheckDisabled': 'has health checks disabled',
};

const stateSentences: Readonly<Record<string, string>> = {
  healthy: 'passes the NLB health check',
  initial: 'is being registered and health-checked for the first time',
  unhealthy: 'fails the NLB health check',
  'unhealthy.draining': 'fails the NLB health check and is being deregistered',
  unused: 'is not used by the NLB',
  draining: 'is being deregistered (open connections are drained)',
  unavailable: 'cannot be health-checked',
};

/** The target's state and reason as a sentence (without a subject), ending with the codes themselves. */
export function describeTargetState(state: string, reason: string | undefined): string {
  const words = (reason === undefined ? undefined : reasonSentences[reason]) ?? stateSentences[state] ?? `is in state ${state}`;
  return `${words} (${reason === undefined ? state : `${state}: ${reason}`})`;
}
