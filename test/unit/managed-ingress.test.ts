import { describe, expect, it } from '@jest/globals';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { ingressNameForHost } from '../../src/domain/ingress-name.js';
import { buildManagedIngress } from '../../src/domain/managed-ingress.js';
import { BotAnnotation, isManagedByBot, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';

describe('the Ingress the bot writes', () => {
  const request = parseExposeRequest('api.example.com team-a/orders-api:80');

  it('routes the host to the Service port, with the class, the bot’s label and the approval', () => {
    const manifest = buildManagedIngress(request, 'nginx', {
      requestedBy: 'U0DEV',
      channel: 'C0PLATFORM',
      approvedBy: 'U0ADMIN',
      approvedAt: new Date('2026-06-01T10:20:30.456Z'),
    });
    expect(manifest).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'api-example-com',
        namespace: 'team-a',
        labels: { [MANAGED_BY_LABEL]: 'nlb-ingress-bot' },
        annotations: {
          [BotAnnotation.RequestedBy]: 'U0DEV',
          [BotAnnotation.ApprovedBy]: 'U0ADMIN',
          [BotAnnotation.ApprovedAt]: '2026-06-01T10:20:30Z',
          [BotAnnotation.SlackChannel]: 'C0PLATFORM',
        },
      },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders-api', port: { number: 80 } } } }] } }],
      },
    });
    expect(isManagedByBot(manifest.metadata.labels)).toBe(true);
    expect(manifest.spec).not.toHaveProperty('tls');
  });

  it('names the port by name when it was given by name, and keeps the path', () => {
    const manifest = buildManagedIngress(parseExposeRequest('api.example.com team-b/partner-gateway:web /v1'), 'internal-nginx', { requestedBy: 'U0DEV', channel: 'C0X' });
    expect(manifest.spec.ingressClassName).toBe('internal-nginx');
    expect(manifest.spec.rules[0]?.http.paths[0]).toEqual({ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'partner-gateway', port: { name: 'web' } } } });
    expect(Object.keys(manifest.metadata.annotations)).toEqual([BotAnnotation.RequestedBy, BotAnnotation.SlackChannel]);
  });
});

describe('the Ingress name for a host', () => {
  const valid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

  it('turns dots into hyphens', () => {
    expect(ingressNameForHost('orders.example.com')).toBe('orders-example-com');
  });

  it('cuts a long name to 63 characters and ends it with a hash of the host', () => {
    const long = `${'a'.repeat(40)}.${'b'.repeat(40)}.example.com`;
    const other = `${'a'.repeat(40)}.${'b'.repeat(40)}.example.org`;
    const name = ingressNameForHost(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(valid);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
    expect(ingressNameForHost(other)).not.toBe(name);
    expect(ingressNameForHost(long)).toBe(name);
  });

  it('never ends the cut name in a double hyphen', () => {
    const host = `${'a'.repeat(53)}.b.${'c'.repeat(20)}.com`;
    expect(ingressNameForHost(host)).toMatch(valid);
    expect(ingressNameForHost(host)).not.toContain('--');
  });
});
