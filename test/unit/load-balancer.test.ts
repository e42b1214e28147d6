import { describe, expect, it } from '@jest/globals';
import { isTaggedForService, loadBalancerNameFromDnsName, sameDnsName } from '../../src/domain/load-balancer.js';

describe('NLB matching', () => {
  it.each([
    ['k8s-ingressn-ingressn-abc123-0123456789abcdef.elb.eu-west-1.amazonaws.com', 'k8s-ingressn-ingressn-abc123'],
    ['a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6-0123456789abcdef.elb.us-east-1.amazonaws.com.', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'],
    ['MyNLB-0123.elb.eu-west-1.amazonaws.com', 'mynlb'],
  ])('derives the load balancer name from %s', (dns, name) => {
    expect(loadBalancerNameFromDnsName(dns)).toBe(name);
  });

  it.each(['nohyphen.elb.eu-west-1.amazonaws.com', '-abc.elb.eu-west-1.amazonaws.com', `${'x'.repeat(40)}-1.elb.eu-west-1.amazonaws.com`])(
    'derives no name from %s',
    (dns) => {
      expect(loadBalancerNameFromDnsName(dns)).toBeUndefined();
    },
  );

  it('compares DNS names without case or trailing dot', () => {
    expect(sameDnsName('ABC-1.elb.eu-west-1.amazonaws.com.', 'abc-1.elb.eu-west-1.amazonaws.com')).toBe(true);
    expect(sameDnsName('abc-1.elb.eu-west-1.amazonaws.com', 'abc-2.elb.eu-west-1.amazonaws.com')).toBe(false);
  });

  it('recognises the tags of the in-tree provider and of the AWS Load Balancer Controller', () => {
    expect(isTaggedForService({ arn: 'a', tags: { 'kubernetes.io/service-name': 'ingress-nginx/c' } }, 'ingress-nginx', 'c')).toBe(true);
    expect(isTaggedForService({ arn: 'a', tags: { 'service.k8s.aws/stack': 'ingress-nginx/c' } }, 'ingress-nginx', 'c')).toBe(true);
    expect(isTaggedForService({ arn: 'a', tags: { 'kubernetes.io/service-name': 'other/c' } }, 'ingress-nginx', 'c')).toBe(false);
  });
});
