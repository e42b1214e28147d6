import { describe, expect, it } from '@jest/globals';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { normaliseHostName } from '../../src/domain/host-name.js';
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
        name: 'api.example.com',
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
        rules: [
          {
            host: 'api.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders-api', port: { number: 80 } } } }] },
          },
        ],
      },
    });
    expect(isManagedByBot(manifest.metadata.labels)).toBe(true);
    expect(manifest.spec).not.toHaveProperty('tls');
  });

  it('names the port by name when it was given by name, and keeps the path', () => {
    const manifest = buildManagedIngress(parseExposeRequest('api.example.com team-b/partner-gateway:web /v1'), 'internal-nginx', {
      requestedBy: 'U0DEV',
      channel: 'C0X',
    });
    expect(manifest.spec.ingressClassName).toBe('internal-nginx');
    expect(manifest.spec.rules[0]?.http.paths[0]).toEqual({
      path: '/v1',
      pathType: 'Prefix',
      backend: { service: { name: 'partner-gateway', port: { name: 'web' } } },
    });
    expect(Object.keys(manifest.metadata.annotations)).toEqual([BotAnnotation.RequestedBy, BotAnnotation.SlackChannel]);
  });
});

describe('the Ingress name for a host', () => {
  // DNS-1123 subdomain, as the API server validates Ingress names.
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

  it('is the host itself', () => {
    expect(ingressNameForHost('orders.example.com')).toBe('orders.example.com');
  });

  it('gives hosts that differ only in dots and hyphens different names', () => {
    expect(ingressNameForHost('api-v2.example.com')).not.toBe(ingressNameForHost('api.v2.example.com'));
    expect(ingressNameForHost('a-b.example.com')).not.toBe(ingressNameForHost('a.b-example.com'));
  });

  it('is a valid Ingress name for every valid host, up to 253 characters', () => {
    const longest = normaliseHostName(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`);
    for (const host of ['example.com', 'xn--bcher-kva.example.com', '0-9.example.com', longest]) {
      const name = ingressNameForHost(normaliseHostName(host));
      expect(name).toMatch(subdomain);
      expect(name.length).toBeLessThanOrEqual(253);
    }
    expect(longest).toHaveLength(253);
  });
});
