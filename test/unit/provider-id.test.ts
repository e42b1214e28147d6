import { describe, expect, it } from '@jest/globals';
import { parseProviderId } from '../../src/domain/provider-id.js';

describe('spec.providerID', () => {
  it.each([
    ['aws:///eu-west-1a/i-0a1b2c3d4e5f60001', { zone: 'eu-west-1a', instanceId: 'i-0a1b2c3d4e5f60001' }],
    ['aws:///us-east-1b/i-12345678', { zone: 'us-east-1b', instanceId: 'i-12345678' }],
    ['aws:////i-0a1b2c3d4e5f60001', { zone: undefined, instanceId: 'i-0a1b2c3d4e5f60001' }],
    ['aws:///i-0a1b2c3d4e5f60001', { zone: undefined, instanceId: 'i-0a1b2c3d4e5f60001' }],
    ['  aws:///eu-west-1c/i-0a1b2c3d4e5f60003 ', { zone: 'eu-west-1c', instanceId: 'i-0a1b2c3d4e5f60003' }],
  ])('reads %s as zone and instance ID', (providerId, expected) => {
    expect(parseProviderId(providerId)).toEqual(expected);
  });

  it.each([
    ['a Fargate node', 'aws:///eu-west-1a/fargate-ip-10-0-1-10.eu-west-1.compute.internal'],
    ['another cloud', 'gce://project/europe-west1-b/node-1'],
    ['kind', 'kind://docker/kind/kind-control-plane'],
    ['no instance ID', 'aws:///eu-west-1a/'],
    ['an empty value', ''],
  ])('gives nothing for %s', (_what, providerId) => {
    expect(parseProviderId(providerId)).toBeUndefined();
  });

  it('gives nothing when the node has no providerID', () => {
    expect(parseProviderId(undefined)).toBeUndefined();
  });
});
