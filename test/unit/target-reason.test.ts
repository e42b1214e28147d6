import { describe, expect, it } from '@jest/globals';
import { describeTargetState, targetCondition } from '../../src/domain/target-reason.js';

describe('target states and reasons in words', () => {
  it.each([
    ['initial', 'Elb.RegistrationInProgress', 'is being registered with the target group', 'transitional'],
    ['initial', 'Elb.InitialHealthChecking', 'still running its first health checks', 'transitional'],
    ['unhealthy', 'Target.ResponseCodeMismatch', 'unexpected HTTP status', 'failing'],
    ['unhealthy', 'Target.Timeout', 'does not answer the health check in time', 'failing'],
    ['unhealthy', 'Target.FailedHealthChecks', 'fails the NLB health check', 'failing'],
    ['unhealthy', 'Elb.InternalError', 'internal ELB error', 'failing'],
    ['unused', 'Target.NotRegistered', 'is not registered in the target group', 'failing'],
    ['unused', 'Target.NotInUse', 'is in an Availability Zone the NLB does not use', 'failing'],
    ['unused', 'Target.InvalidState', 'stopped or terminated', 'failing'],
    ['unused', 'Target.IpUnusable', 'cannot be a target', 'failing'],
    ['draining', 'Target.DeregistrationInProgress', 'is being deregistered', 'transitional'],
    ['unhealthy.draining', 'Target.DeregistrationInProgress', 'is being deregistered', 'transitional'],
    ['unavailable', 'Target.HealthCheckDisabled', 'has health checks disabled', 'failing'],
  ])('%s with %s: "%s"', (state, reason, words, condition) => {
    const sentence = describeTargetState(state, reason);
    expect(sentence).toContain(words);
    expect(sentence).toContain(`(${state}: ${reason})`);
    expect(targetCondition(state)).toBe(condition);
  });

  it.each([
    ['healthy', 'passes the NLB health check (healthy)', 'healthy'],
    ['unhealthy', 'fails the NLB health check (unhealthy)', 'failing'],
    ['unhealthy.draining', 'fails the NLB health check and is being deregistered (unhealthy.draining)', 'transitional'],
    ['unused', 'is not used by the NLB (unused)', 'failing'],
    ['unavailable', 'cannot be health-checked (unavailable)', 'failing'],
    ['initial', 'is being registered and health-checked for the first time (initial)', 'transitional'],
    ['draining', 'is being deregistered (open connections are drained) (draining)', 'transitional'],
    ['somethingnew', 'is in state somethingnew (somethingnew)', 'failing'],
  ])('%s without a reason: "%s"', (state, sentence, condition) => {
    expect(describeTargetState(state, undefined)).toBe(sentence);
    expect(targetCondition(state)).toBe(condition);
  });

  it('falls back to the state for a reason it does not know, and still shows the code', () => {
    expect(describeTargetState('unhealthy', 'Target.SomethingNew')).toBe('fails the NLB health check (unhealthy: Target.SomethingNew)');
  });
});
