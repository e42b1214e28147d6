import { describe, expect, it } from '@jest/globals';
import { certificateNameCovers } from '../../src/domain/certificate-coverage.js';
import { gatewayHostnameMatches, gatewayHostnamesIntersect, routeHostnamesFitListener } from '../../src/domain/gateway-hostname.js';

describe('Gateway API hostname matching', () => {
  it.each([
    ['*.example.com', 'foo.example.com', true],
    // Unlike ACM and Ingress, a Gateway API wildcard covers more than one label.
    ['*.example.com', 'foo.bar.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'fooexample.com', false],
    ['*.example.com', 'foo.example.net', false],
    ['*.example.com', 'foo.example.com.evil.net', false],
    ['*.EXAMPLE.com', 'Foo.example.COM', true],
    ['api.example.com', 'api.example.com', true],
    ['api.example.com', 'API.Example.com', true],
    ['api.example.com', 'www.api.example.com', false],
    ['a*.example.com', 'ab.example.com', false],
    ['*', 'com', false],
  ])('%s matches %s: %s', (pattern, host, expected) => {
    expect(gatewayHostnameMatches(pattern, host)).toBe(expected);
  });

  it('differs from the ACM rule exactly for hosts more than one label below the wildcard', () => {
    expect(gatewayHostnameMatches('*.example.com', 'a.b.example.com')).toBe(true);
    expect(certificateNameCovers('*.example.com', 'a.b.example.com')).toBe(false);
  });
});

describe('Gateway API hostname intersection', () => {
  it.each([
    ['api.example.com', 'api.example.com', true],
    ['api.example.com', 'www.example.com', false],
    ['*.example.com', 'test.example.com', true],
    ['test.example.com', '*.example.com', true],
    ['*.example.com', 'foo.test.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'test.example.net', false],
    ['*.example.com', '*.example.com', true],
    ['*.example.com', '*.api.example.com', true],
    ['*.api.example.com', '*.example.com', true],
    ['*.example.com', '*.example.net', false],
    ['*.example.com', '*.notexample.com', false],
    ['*.api.example.com', 'api.example.com', false],
  ])('%s and %s intersect: %s', (a, b, expected) => {
    expect(gatewayHostnamesIntersect(a, b)).toBe(expected);
  });
});

describe('whether a route’s hostnames fit a listener', () => {
  it.each([
    [undefined, ['api.example.com'], true],
    ['*.example.com', [], true],
    [undefined, [], true],
    ['*.example.com', ['test.example.net', 'test.example.com'], true],
    ['*.example.com', ['test.example.net'], false],
    ['test.example.com', ['*.example.com'], true],
    ['test.example.com', ['other.example.com'], false],
  ] as const)('listener %s, route %j: %s', (listener, route, expected) => {
    expect(routeHostnamesFitListener(listener, route)).toBe(expected);
  });
});
