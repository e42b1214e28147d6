import { describe, expect, it } from '@jest/globals';
import { routeCheck } from '../../src/domain/expose-check.js';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import type { IngressRoute, IngressSummary } from '../../src/domain/ingress-route.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { findRouteClaim, hostHolders } from '../../src/domain/route-claim.js';

type IngressOptions = {
  path?: string;
  className?: string | null;
  legacyClass?: string;
  ours?: boolean;
  service?: string;
  port?: number | string;
  more?: IngressRoute[];
};

function ingress(namespace: string, name: string, host: string | undefined, options: IngressOptions = {}): IngressSummary {
  return {
    namespace,
    name,
    className: options.className === null ? undefined : (options.className ?? (options.legacyClass === undefined ? 'nginx' : undefined)),
    labels: options.ours === true ? { [MANAGED_BY_LABEL]: BOT_NAME } : {},
    annotations: options.legacyClass === undefined ? {} : { 'kubernetes.io/ingress.class': options.legacyClass },
    resourceVersion: '1',
    creationTimestamp: undefined,
    routes: [
      { host, path: options.path ?? '/', pathType: 'Prefix', serviceName: options.service ?? 'web', servicePort: options.port ?? 80 },
      ...(options.more ?? []),
    ],
  };
}

const request = parseExposeRequest('api.example.com team-a/web:80');
const options = { ingressClass: 'nginx', ingressName: 'api.example.com' };

describe('who holds a host', () => {
  it('is free when nothing routes the host', () => {
    expect(findRouteClaim([ingress('team-a', 'other', 'other.example.com')], request, options)).toEqual({ kind: 'free' });
  });

  it('is taken by an Ingress of any namespace that routes the same host and path', () => {
    const claim = findRouteClaim([ingress('team-b', 'legacy', 'api.example.com')], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'host', holders: [{ route: { namespace: 'team-b', name: 'legacy' } }] });
  });

  it('is taken by an Ingress that routes the host at another path: ingress-nginx would merge them', () => {
    const claim = findRouteClaim(
      [ingress('team-b', 'legacy', 'api.example.com', { path: '/reports' })],
      parseExposeRequest('api.example.com team-a/web:80 /login'),
      options,
    );
    expect(claim).toMatchObject({
      kind: 'taken',
      reason: 'host',
      holders: [{ route: { name: 'legacy' }, rules: [{ path: '/reports' }] }],
    });
  });

  it('is taken by a wildcard rule that covers the host by one label', () => {
    const wildcard = ingress('team-b', 'wild', '*.example.com');
    expect(findRouteClaim([wildcard], request, options)).toMatchObject({
      kind: 'taken',
      reason: 'host',
      holders: [{ route: { name: 'wild' } }],
    });
    expect(findRouteClaim([wildcard], parseExposeRequest('a.b.example.com team-a/web:80'), options).kind).toBe('free');
    expect(findRouteClaim([wildcard], parseExposeRequest('example.com team-a/web:80'), options).kind).toBe('free');
  });

  it('does not count a rule without host (the catch-all server) as holding the host', () => {
    expect(findRouteClaim([ingress('team-b', 'catch-all', undefined)], request, options).kind).toBe('free');
  });

  it('names every Ingress that holds the host, with the rules that do', () => {
    const claim = findRouteClaim(
      [
        ingress('team-b', 'legacy', 'api.example.com', {
          path: '/reports',
          more: [{ host: 'other.example.com', path: '/', pathType: 'Prefix', serviceName: 'x', servicePort: 1 }],
        }),
        ingress('team-c', 'wild', '*.example.com', { service: 'catch', port: 'http' }),
        ingress('team-d', 'unrelated', 'other.example.com'),
      ],
      request,
      options,
    );
    expect(claim.kind === 'taken' && claim.holders.map((holder) => [holder.route.name, holder.rules.map((rule) => rule.host)])).toEqual([
      ['legacy', ['api.example.com']],
      ['wild', ['*.example.com']],
    ]);
    expect(routeCheck(request, claim)).toEqual({
      name: 'Host free',
      status: 'fail',
      detail:
        '`api.example.com` is already served by the Ingresses `team-b/legacy` (path `/reports` → `web:80`), `team-c/wild` (wildcard `*.example.com`, path `/` → `catch:http`). ' +
        'Ingress controllers merge the Ingresses of their class across namespaces, so another Ingress for this host, at any path, would receive part of its traffic. Ask the owners of that Ingress, or choose another host.',
    });
  });

  it('considers the ingress class as ingress-nginx does: same class, legacy annotation, or no class', () => {
    expect(findRouteClaim([ingress('team-b', 'alb', 'api.example.com', { className: 'alb' })], request, options).kind).toBe('free');
    expect(findRouteClaim([ingress('team-b', 'old', 'api.example.com', { legacyClass: 'nginx' })], request, options).kind).toBe('taken');
    expect(findRouteClaim([ingress('team-b', 'old', 'api.example.com', { legacyClass: 'alb' })], request, options).kind).toBe('free');
    expect(findRouteClaim([ingress('team-b', 'classless', 'api.example.com', { className: null })], request, options).kind).toBe('taken');
    expect(hostHolders([ingress('team-b', 'wild', '*.example.com', { className: 'alb' })], 'api.example.com', 'nginx')).toEqual([]);
  });

  it('recognises its own Ingress for exactly this request', () => {
    const claim = findRouteClaim([ingress('team-a', 'api.example.com', 'api.example.com', { ours: true })], request, options);
    expect(claim.kind).toBe('exposed');
    expect(routeCheck(request, claim).detail).toContain('The bot already exposes `api.example.com` with the path `/` to `team-a/web:80`');
  });

  it('is taken when its own Ingress routes the host elsewhere, or serves more than the bot wrote', () => {
    const other = findRouteClaim(
      [ingress('team-a', 'api.example.com', 'api.example.com', { ours: true, service: 'old' })],
      request,
      options,
    );
    expect(other).toMatchObject({ kind: 'taken', reason: 'managed-host' });
    const byPort = findRouteClaim(
      [ingress('team-a', 'api.example.com', 'api.example.com', { ours: true, port: 'http' })],
      request,
      options,
    );
    expect(byPort.kind).toBe('taken');
    const extended = ingress('team-a', 'api.example.com', 'api.example.com', {
      ours: true,
      more: [{ host: 'api.example.com', path: '/admin', pathType: 'Prefix', serviceName: 'admin', servicePort: 80 }],
    });
    expect(findRouteClaim([extended], request, options).kind).toBe('taken');
  });

  it('keeps one Ingress per host: another path of a host the bot manages is taken', () => {
    const claim = findRouteClaim([ingress('team-b', 'api.example.com', 'api.example.com', { ours: true, path: '/v1' })], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'managed-host' });
    expect(routeCheck(request, claim).detail).toBe(
      'The bot already exposes `api.example.com`: it is served by the Ingress `team-b/api.example.com` (path `/v1` → `web:80`). The bot keeps one Ingress per host: `/unexpose api.example.com` first to change it.',
    );
  });

  it('is taken when an Ingress with the bot’s name for the host exists for something else', () => {
    const claim = findRouteClaim([ingress('team-a', 'api.example.com', 'elsewhere.example.org')], request, options);
    expect(claim).toMatchObject({ kind: 'taken', reason: 'name' });
    expect(routeCheck(request, claim).detail).toContain(
      'An Ingress named `api.example.com` already exists in `team-a` and the bot did not create it',
    );
  });

  it('passes with a sentence that says the host is free at every path', () => {
    expect(routeCheck(request, { kind: 'free' })).toEqual({
      name: 'Host free',
      status: 'pass',
      detail: 'No Ingress serves `api.example.com` yet, at any path.',
    });
  });
});
