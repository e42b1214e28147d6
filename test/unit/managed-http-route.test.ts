import { describe, expect, it } from '@jest/globals';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { buildManagedHttpRoute } from '../../src/domain/managed-http-route.js';
import { buildManagedIngress } from '../../src/domain/managed-ingress.js';
import { BotAnnotation, isManagedByBot, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';

const APPROVAL = { requestedBy: 'U0DEV', channel: 'C0PLATFORM', approvedBy: 'U0ADMIN', approvedAt: new Date('2026-06-01T10:20:30.456Z') };

describe('the HTTPRoute the bot writes', () => {
  const request = parseExposeRequest('api.example.com team-a/orders-api:80');

  it('routes the host to the Service port through the shared Gateway’s listener, with the bot’s label and the approval', () => {
    const manifest = buildManagedHttpRoute(request, { namespace: 'edge', name: 'shared', sectionName: 'https' }, 80, APPROVAL);
    expect(manifest).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
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
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared', sectionName: 'https' }],
        hostnames: ['api.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ group: '', kind: 'Service', name: 'orders-api', port: 80 }],
          },
        ],
      },
    });
    expect(isManagedByBot(manifest.metadata.labels)).toBe(true);
  });

  it('carries the same name and annotations as the Ingress for the same request', () => {
    const route = buildManagedHttpRoute(request, { namespace: 'edge', name: 'shared' }, 80, APPROVAL);
    const ingress = buildManagedIngress(request, 'nginx', APPROVAL);
    expect(route.metadata).toEqual(ingress.metadata);
    const unapproved = { requestedBy: 'U0DEV', channel: 'C0X' };
    expect(buildManagedHttpRoute(request, { namespace: 'edge', name: 'shared' }, 80, unapproved).metadata.annotations).toEqual(
      buildManagedIngress(request, 'nginx', unapproved).metadata.annotations,
    );
  });

  it('takes the resolved port number for a port given by name, keeps the path and leaves sectionName out when not given', () => {
    const named = parseExposeRequest('api.example.com team-b/partner-gateway:web /v1');
    const manifest = buildManagedHttpRoute(named, { namespace: 'edge', name: 'shared' }, 8080, { requestedBy: 'U0DEV', channel: 'C0X' });
    expect(manifest.metadata.namespace).toBe('team-b');
    expect(manifest.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge', name: 'shared' }]);
    expect(manifest.spec.parentRefs[0]).not.toHaveProperty('sectionName');
    expect(manifest.spec.rules[0]).toEqual({
      matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
      backendRefs: [{ group: '', kind: 'Service', name: 'partner-gateway', port: 8080 }],
    });
  });

  it('is a valid HTTPRoute by the Gateway API schema', () => {
    const manifest = buildManagedHttpRoute(request, { namespace: 'edge', name: 'shared', sectionName: 'https' }, 80, APPROVAL);
    expect(() => new HTTPRoute(structuredClone(manifest) as never).validate()).not.toThrow();
    // The check can fail: the same object with a port as text is refused.
    const broken = structuredClone(manifest) as unknown as { spec: { rules: Array<{ backendRefs: Array<{ port: unknown }> }> } };
    broken.spec.rules[0]!.backendRefs[0]!.port = 'http';
    expect(() => new HTTPRoute(broken as never).validate()).toThrow(/port/);
  });
});
