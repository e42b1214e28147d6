import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { describeBackend, exposeRequestFrom, parseExposeRequest } from '../../src/domain/expose-request.js';
import { parseIngressPath, pathKey } from '../../src/domain/ingress-path.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';

function refusal(run: () => unknown): UserFacingError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('the /expose arguments', () => {
  it('reads host, namespace, service and a numbered port, with path / by default', () => {
    expect(parseExposeRequest('api.example.com team-a/orders-api:80')).toEqual({
      host: 'api.example.com',
      namespace: 'team-a',
      service: 'orders-api',
      port: { number: 80 },
      path: '/',
    });
  });

  it('reads a named port and a path, and normalises the host', () => {
    const request = parseExposeRequest('  API.Example.com.   team-b/partner-gateway:web   /v1/orders ');
    expect(request).toEqual({
      host: 'api.example.com',
      namespace: 'team-b',
      service: 'partner-gateway',
      port: { name: 'web' },
      path: '/v1/orders',
    });
    expect(describeBackend(request)).toBe('team-b/partner-gateway:web');
  });

  it('takes the host from a link Slack made of it, but not a URL with a path', () => {
    expect(parseExposeRequest('<http://api.example.com|api.example.com> team-a/orders-api:80').host).toBe('api.example.com');
    expect(refusal(() => parseExposeRequest('<https://x.com/a|x.com/a> team-a/orders-api:80')).message).toContain('path');
    expect(refusal(() => parseExposeRequest('<https://x.com/a> team-a/orders-api:80')).message).toContain('scheme');
  });

  it.each([
    ['', 'needs a host and a target'],
    ['api.example.com', 'needs a host and a target'],
    ['api.example.com team-a/orders-api:80 / extra', 'at most three arguments'],
    ['api.example.com team-a/orders-api', 'not a target of the form'],
    ['api.example.com orders-api:80', 'not a target of the form'],
    ['api.example.com Team_A/orders-api:80', 'not a namespace name'],
    ['api.example.com /orders-api:80', 'not a namespace name'],
    ['api.example.com team-a/1orders:80', 'not a Service name'],
    ['api.example.com team-a/Orders:80', 'not a Service name'],
    ['api.example.com team-a/orders-api:0', 'out of range'],
    ['api.example.com team-a/orders-api:65536', 'out of range'],
    ['api.example.com team-a/orders-api:', 'neither a port number nor a Service port name'],
    ['api.example.com team-a/orders-api:http--x', 'neither a port number nor a Service port name'],
    ['api.example.com team-a/orders-api:a-very-long-port-name', 'neither a port number nor a Service port name'],
    ['api.example.com team-a/orders-api:80 api', 'must start with `/`'],
    ['api.example.com team-a/orders-api:80 /a;b', 'contains `;`'],
    ['api.example.com team-a/orders-api:80 /a{b}', 'contains `{`'],
    ['api.example.com team-a/orders-api:80 /$uri', 'contains `$`'],
    ["api.example.com team-a/orders-api:80 /a'b", "contains `'`"],
    ['api.example.com team-a/orders-api:80 /a"b', 'contains `"`'],
    ['api.example.com team-a/orders-api:80 /a\\b', 'contains `\\`'],
    ['api.example.com team-a/orders-api:80 /a%2fb', 'contains `%`'],
    ['api.example.com team-a/orders-api:80 /a/../b', '`..` segment'],
    ['api.example.com team-a/orders-api:80 /a/./b', '`..` segment'],
    ['api.example.com team-a/orders-api:80 /a//b', 'contains `//`'],
    ['*.example.com team-a/orders-api:80', 'wildcard'],
  ])('refuses %j: %s', (text, problem) => {
    const error = refusal(() => parseExposeRequest(text));
    expect(error.code).toBe(ErrorCode.BadInput);
    expect(error.message).toContain(problem);
  });

  it('refuses a path longer than 200 characters', () => {
    expect(refusal(() => parseIngressPath(`/${'a'.repeat(200)}`)).message).toContain('at most 200');
  });

  it('treats a trailing slash as the same Prefix location', () => {
    expect(pathKey('/api/')).toBe(pathKey('/api'));
    expect(pathKey('/')).toBe('/');
    expect(pathKey('/api')).not.toBe(pathKey('/ap'));
  });

  it('validates a request rebuilt from stored fields as strictly as a typed one', () => {
    expect(exposeRequestFrom({ host: 'A.example.com', namespace: 'team-a', service: 'svc', port: 8080, path: '/x' }).port).toEqual({
      number: 8080,
    });
    expect(
      refusal(() => exposeRequestFrom({ host: 'a.example.com', namespace: 'team-a', service: 'svc', port: 'x y', path: '/' })).code,
    ).toBe(ErrorCode.BadInput);
  });

  describe('properties', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc
        .array(fc.constantFrom('a', '.', '/', ':', '-', ' ', '*', '<', '>', '|', '\\', '0', '9', 'Z', 'é'), { maxLength: 80 })
        .map((parts) => parts.join('')),
    );

    it('never throws anything but a user-facing error, whatever the text', () => {
      fc.assert(
        fc.property(anyText, (text) => {
          try {
            parseExposeRequest(text);
          } catch (error) {
            if (!(error instanceof UserFacingError)) throw error;
          }
        }),
        { numRuns: 2000 },
      );
    });

    // An `xn--` label must be valid punycode, which random letters rarely are: those are refused, and tested elsewhere.
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/).filter((text) => !text.startsWith('xn--'));
    const host = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-z]{2,6}$/))
      .map(([labels, tld]) => [...labels, tld].join('.'));
    const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/);
    const port = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.stringMatching(/^[a-z]([a-z0-9]{0,13})$/));
    const path = fc.array(fc.stringMatching(/^[A-Za-z0-9_~-]{1,10}$/), { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);

    it('accepts every well-formed request and reads back what was typed', () => {
      fc.assert(
        fc.property(host, dnsLabel, dnsLabel, port, path, (h, namespace, service, p, pa) => {
          const request = parseExposeRequest(`${h.toUpperCase()} ${namespace}/${service}:${p} ${pa}`);
          expect(request.host).toBe(h);
          expect(describeBackend(request)).toBe(`${namespace}/${service}:${/^\d+$/.test(p) ? Number(p) : p}`);
          expect(request.path).toBe(pa);
        }),
        { numRuns: 500 },
      );
    });

    it('gives every accepted host and path only safe characters', () => {
      fc.assert(
        fc.property(anyText, anyText, (h, p) => {
          try {
            const request = parseExposeRequest(`${h} team-a/svc:80 ${p}`);
            expect(request.host).toMatch(/^[a-z0-9.-]+$/);
            expect(request.path).toMatch(/^\/[A-Za-z0-9._~/-]*$/);
          } catch (error) {
            if (!(error instanceof UserFacingError)) throw error;
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
