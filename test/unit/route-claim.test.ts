import { describe, expect, it } from '@jest/globals';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import type { IngressSummary } from '../../src/domain/ingress-route.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { findRouteClaim } from '../../src/domain/route-claim.js';

function ingress(namespace: string, name: string, host: string, options: { path?: string; className?: string | null; legacyClass?: string; ours?: boolean; service?: string; port?: number | string } = {}): IngressSummary {
  return {
    namespace,
    name,
    className: options.className === null ? undefined : (options.className ?? (options.legacyClass === undefined ? 'nginx' : undefined)),
    labels: options.ours === true ? { [MANAGED_BY_LABEL]: BOT_NAME } : {},
    annotations: options.legacyClass === undefined ? {} : { 'kubernetes.io/ingress.class': options.legacyClass },
    resourceVersion: '1',
    creationTimestamp: undefined,
    routes: [{ host, path: options.path ?? '/', pathType: 'Prefix', serviceName: options.service ?? 'web', servicePort: options.port ?? 80 }],
  };
}

const request = parseExposeRequest('api.example.com team-a/web:80');
const options = { ingressClass: 'nginx', ingressName: 'api-example-com' };

describe('who holds a host and path', () => {
  it('is free when nothing routes the host', () => {
    expect(findRouteClaim([ingress('team-a', 'other', 'other.example.com')], request, options)).toEqual({ kind: 'free' });
  });

  it('is taken by an Ingress of any namespace that routes the same host and path', () => {
    const claim = findRouteClaim([ingress('team-b', 'legacy', 'api.example.com')], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'route', ingress: { namespace: 'team-b', name: 'legacy' } });
  });

  it('counts /api and /api/ as the same location', () => {
    const claim = findRouteClaim([ingress('team-b', 'legacy', 'api.example.com', { path: '/api/' })], parseExposeRequest('api.example.com team-a/web:80 /api'), options);
    expect(claim.kind).toBe('taken');
  });

  it('lets another path of the same host through (ingress-nginx merges them)', () => {
    expect(findRouteClaim([ingress('team-b', 'legacy', 'api.example.com', { path: '/reports' })], request, options)).toEqual({ kind: 'free' });
  });

  it('considers the ingress class as ingress-nginx does: same class, legacy annotation, or no class', () => {
    expect(findRouteClaim([ingress('team-b', 'alb', 'api.example.com', { className: 'alb' })], request, options).kind).toBe('free');
    expect(findRouteClaim([ingress('team-b', 'old', 'api.example.com', { legacyClass: 'nginx' })], request, options).kind).toBe('taken');
    expect(findRouteClaim([ingress('team-b', 'old', 'api.example.com', { legacyClass: 'alb' })], request, options).kind).toBe('free');
    expect(findRouteClaim([ingress('team-b', 'classless', 'api.example.com', { className: null })], request, options).kind).toBe('taken');
  });

  it('recognises its own Ingress for exactly this request', () => {
    const claim = findRouteClaim([ingress('team-a', 'api-example-com', 'api.example.com', { ours: true })], request, options);
    expect(claim.kind).toBe('exposed');
  });

  it('is taken when its own Ingress routes the host elsewhere', () => {
    const other = findRouteClaim([ingress('team-a', 'api-example-com', 'api.example.com', { ours: true, service: 'old' })], request, options);
    expect(other).toMatchObject({ kind: 'taken', reason: 'route' });
    const byPort = findRouteClaim([ingress('team-a', 'api-example-com', 'api.example.com', { ours: true, port: 'http' })], request, options);
    expect(byPort.kind).toBe('taken');
  });

  it('keeps one Ingress per host: another path of a host the bot manages is taken', () => {
    const claim = findRouteClaim([ingress('team-b', 'api-example-com', 'api.example.com', { ours: true, path: '/v1' })], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'managed-host' });
  });

  it('is taken when an Ingress with the bot’s name for the host exists for something else', () => {
    const claim = findRouteClaim([ingress('team-a', 'api-example-com', 'api-example.com')], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'name' });
  });
});
