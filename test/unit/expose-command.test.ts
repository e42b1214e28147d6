import { describe, expect, it } from '@jest/globals';
import { applyExpose, previewExpose } from '../../src/commands/expose.js';
import type { ExposeDependencies } from '../../src/commands/expose-assessment.js';
import { removeExposure } from '../../src/commands/unexpose.js';
import type { ControllerService } from '../../src/domain/controller-service.js';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import type { IngressSummary } from '../../src/domain/ingress-route.js';
import type { IngressManifest } from '../../src/domain/managed-ingress.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import type { CreateResult, IngressReader, IngressWriter, StoredIngress } from '../../src/ports/kube/ingress-gateway.js';
import { IngressRouting } from '../../src/routing/ingress-routing.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const approval = { requestedBy: 'U0DEV', channel: 'C0X', approvedBy: 'U0ADMIN', approvedAt: NOW };
const request = parseExposeRequest('api.example.com team-a/web:80');

const webService: ControllerService = {
  namespace: 'team-a',
  name: 'web',
  type: 'ClusterIP',
  externalTrafficPolicy: undefined,
  healthCheckNodePort: undefined,
  selector: { app: 'web' },
  ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: undefined }],
  annotations: {},
  labels: {},
  loadBalancerHostnames: [],
};

function stored(name: string, host: string, options: { ours?: boolean; service?: string; uid?: string } = {}): StoredIngress {
  return {
    namespace: 'team-a',
    name,
    className: 'nginx',
    labels: options.ours === false ? {} : { [MANAGED_BY_LABEL]: BOT_NAME },
    annotations: {},
    resourceVersion: '7',
    creationTimestamp: undefined,
    uid: options.uid ?? 'uid-1',
    routes: [{ host, path: '/', pathType: 'Prefix', serviceName: options.service ?? 'web', servicePort: 80 }],
    defaultBackend: undefined,
  };
}

function world(
  options: {
    list?: IngressSummary[];
    read?: StoredIngress;
    create?: (manifest: IngressManifest) => CreateResult;
    /** Ingresses that a concurrent writer creates at the same moment as the bot's create. */
    appearing?: IngressSummary[];
    /** Replaces the list made after the create (to make it fail). */
    relist?: () => IngressSummary[];
    deleteError?: Error;
    status?: string;
  } = {},
) {
  const created: IngressManifest[] = [];
  const deleted: Array<{ namespace: string; name: string; preconditions: unknown }> = [];
  const ingresses: IngressReader & IngressWriter = {
    listIngresses: async () => {
      if (created.length === 0) return options.list ?? [];
      if (options.relist !== undefined) return options.relist();
      return [
        ...(options.list ?? []),
        ...created.map((manifest) => stored(manifest.metadata.name, 'api.example.com')),
        ...(options.appearing ?? []),
      ];
    },
    readIngress: async () => options.read,
    createIngress: async (manifest) => {
      const result = options.create?.(manifest) ?? { kind: 'created', ingress: stored(manifest.metadata.name, 'api.example.com') };
      if (result.kind === 'created') created.push(manifest);
      return result;
    },
    deleteIngress: async (namespace, name, preconditions) => {
      if (options.deleteError !== undefined) throw options.deleteError;
      deleted.push({ namespace, name, preconditions });
      return 'deleted';
    },
  };
  const deps: ExposeDependencies = {
    services: {
      readService: async (namespace: string, name: string) => (namespace === 'team-a' && name === 'web' ? webService : undefined),
      listLabelled: async () => [],
    },
    routing: new IngressRouting(ingresses, 'nginx'),
    locator: {
      locate: async () => ({
        service: webService,
        loadBalancer: {
          arn: 'lb',
          name: 'shared',
          dnsName: 'shared.elb.amazonaws.com',
          type: 'network',
          scheme: 'internet-facing',
          state: 'active',
          vpcId: undefined,
          zones: [],
        },
      }),
    },
    certificates: {
      elbv2: {
        describeListeners: async () => [{ arn: 'l443', port: 443, protocol: 'TLS', sslPolicy: undefined, targetGroupArns: [] }],
        describeListenerCertificates: async () => [{ arn: 'wild', isDefault: true }],
      },
      acm: {
        describeCertificate: async (arn) => ({
          arn,
          domainName: '*.example.com',
          names: ['*.example.com'],
          status: options.status ?? 'ISSUED',
          type: 'AMAZON_ISSUED',
          notAfter: new Date('2027-01-01T00:00:00Z'),
          renewalEligibility: undefined,
        }),
      },
    },
    dns: { lookup: async () => ({ kind: 'nxdomain' }), isZoneApex: async () => false },
    dnsPlan: { deployments: { listExternalDns: async () => [] }, route53: undefined },
    exposeNamespaces: ['team-a'],
  };
  return { deps, created, deleted };
}

async function refusal(work: Promise<unknown>): Promise<UserFacingError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error('no refusal');
}

describe('applying an exposure', () => {
  it('creates the one Ingress when every check passes, and reports the write', async () => {
    const { deps, created } = world();
    const writes: unknown[] = [];
    const outcome = await applyExpose(deps, request, approval, NOW, (write) => writes.push(write));
    expect(outcome).toMatchObject({ kind: 'applied', recheckedHost: true });
    expect(created.map((manifest) => manifest.metadata.name)).toEqual(['api.example.com']);
    expect(writes).toEqual([
      { verb: 'create', route: { kind: 'Ingress', namespace: 'team-a', name: 'api.example.com' }, reason: 'expose api.example.com' },
    ]);
  });

  it('writes nothing when a check fails, and says which', async () => {
    const { deps, created } = world({ status: 'PENDING_VALIDATION' });
    const error = await refusal(applyExpose(deps, request, approval, NOW));
    expect(error.code).toBe(ErrorCode.CheckFailed);
    expect(error.message).toContain('Nothing was written');
    expect(error.message).toContain('PENDING_VALIDATION');
    expect(created).toEqual([]);
  });

  it('writes nothing when the namespace is not open', async () => {
    const { deps, created } = world();
    const error = await refusal(applyExpose({ ...deps, exposeNamespaces: ['team-b'] }, request, approval, NOW));
    expect(error.message).toBe('The namespace team-a is not open for /expose.');
    expect(created).toEqual([]);
  });

  it('changes nothing when its own Ingress already routes exactly this, and says who approved it', async () => {
    const mine = { ...stored('api.example.com', 'api.example.com'), annotations: { 'nlb-ingress-bot/approved-by': 'U0FIRST' } };
    const { deps, created } = world({ list: [mine] });
    expect(await applyExpose(deps, request, approval, NOW)).toMatchObject({
      kind: 'unchanged',
      route: { kind: 'Ingress', namespace: 'team-a', name: 'api.example.com' },
      approvedBy: 'U0FIRST',
    });
    expect(created).toEqual([]);
  });

  it('refuses an Ingress of that name that the bot does not own, found by the create', async () => {
    const { deps } = world({ create: () => ({ kind: 'exists' }), read: stored('api.example.com', 'api.example.com', { ours: false }) });
    expect((await refusal(applyExpose(deps, request, approval, NOW))).code).toBe(ErrorCode.NotManaged);
  });

  it('reports a concurrent click that created the same Ingress first as unchanged', async () => {
    const { deps } = world({ create: () => ({ kind: 'exists' }), read: stored('api.example.com', 'api.example.com') });
    expect((await applyExpose(deps, request, approval, NOW)).kind).toBe('unchanged');
  });

  it('tells the loser of a race to another backend what the host is now served by, and writes nothing', async () => {
    const { deps, deleted } = world({
      create: () => ({ kind: 'exists' }),
      read: stored('api.example.com', 'api.example.com', { service: 'other' }),
    });
    const writes: unknown[] = [];
    const error = await refusal(applyExpose(deps, request, approval, NOW, (write) => writes.push(write)));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(error.message).toBe(
      'Nothing was written: another request for `api.example.com` was applied at the same moment. The host is now served by the Ingress `team-a/api.example.com` (path `/` → `other:80`), not by `team-a/web:80`.',
    );
    expect(writes).toEqual([]);
    expect(deleted).toEqual([]);
  });

  it('says so when the object it found is gone by the time it reads it', async () => {
    const { deps } = world({ create: () => ({ kind: 'exists' }) });
    expect((await refusal(applyExpose(deps, request, approval, NOW))).code).toBe(ErrorCode.Conflict);
  });

  it('deletes its own Ingress again when another Ingress for the host appeared at the same moment', async () => {
    const racer: IngressSummary = { ...stored('other', 'api.example.com', { ours: false }), namespace: 'team-b' };
    const { deps, deleted } = world({ appearing: [racer] });
    const writes: Array<{ verb: string }> = [];
    const error = await refusal(applyExpose(deps, request, approval, NOW, (write) => writes.push(write)));
    expect(error.code).toBe(ErrorCode.Conflict);
    expect(error.message).toContain(
      'the Ingress `team-b/other` (path `/` → `web:80`) appeared for `api.example.com` at the same time, so the bot deleted its own again',
    );
    expect(deleted).toEqual([{ namespace: 'team-a', name: 'api.example.com', preconditions: { uid: 'uid-1', resourceVersion: '7' } }]);
    expect(writes.map((write) => write.verb)).toEqual(['create', 'delete']);
  });

  it('says both serve the host when it cannot delete its own Ingress again', async () => {
    const racer: IngressSummary = { ...stored('other', 'api.example.com', { ours: false }), namespace: 'team-b' };
    const conflict = new UserFacingError(ErrorCode.Conflict, 'changed meanwhile');
    const { deps } = world({ appearing: [racer], deleteError: conflict });
    const writes: Array<{ verb: string }> = [];
    const error = await refusal(applyExpose(deps, request, approval, NOW, (write) => writes.push(write)));
    expect(error.message).toBe(
      'The bot created its Ingress `team-a/api.example.com`, but the Ingress `team-b/other` (path `/` → `web:80`) appeared for `api.example.com` at the same time, and the bot could not delete its own again: both serve the host now.',
    );
    expect(error.cause).toBe(conflict);
    expect(writes.map((write) => write.verb)).toEqual(['create']);
  });

  it('reports the Ingress as written when the look for a concurrent writer cannot be made', async () => {
    const { deps, created } = world({
      relist: () => {
        throw new UserFacingError(ErrorCode.KubeUnavailable, 'The Kubernetes API could not be reached.');
      },
    });
    expect(await applyExpose(deps, request, approval, NOW)).toMatchObject({ kind: 'applied', recheckedHost: false });
    expect(created).toHaveLength(1);
  });

  it('previews without writing, with every check', async () => {
    const { deps, created } = world();
    const preview = await previewExpose(deps, request, approval, NOW);
    expect(preview.ready).toBe(true);
    expect(preview.checks.map((check) => [check.name, check.status])).toEqual([
      ['Host name', 'pass'],
      ['Namespace', 'pass'],
      ['Service', 'pass'],
      ['Port', 'pass'],
      ['Host free', 'pass'],
      ['TLS certificate', 'pass'],
      ['DNS', 'warn'],
    ]);
    expect(preview.manifest?.metadata.annotations).not.toHaveProperty('nlb-ingress-bot/approved-by');
    expect(created).toEqual([]);
  });

  it('refuses a Service without a selector', async () => {
    const { deps, created } = world();
    const manual = { ...deps, services: { readService: async () => ({ ...webService, selector: {} }), listLabelled: async () => [] } };
    const preview = await previewExpose(manual, request, approval, NOW);
    expect(preview.checks.find((check) => check.name === 'Service')).toEqual({
      name: 'Service',
      status: 'fail',
      detail:
        'The Service `team-a/web` has no selector: its endpoints are set by hand, so what it would expose cannot be checked. The bot exposes only Services that select Pods.',
    });
    expect(preview.ready).toBe(false);
    expect((await refusal(applyExpose(manual, request, approval, NOW))).code).toBe(ErrorCode.CheckFailed);
    expect(created).toEqual([]);
  });
});

describe('removing an exposure', () => {
  const target = { host: 'api.example.com', namespace: 'team-a', name: 'api.example.com', uid: 'uid-1' };

  it('deletes with the uid and resourceVersion it just read', async () => {
    const { deps, deleted } = world({ read: stored('api.example.com', 'api.example.com') });
    await removeExposure({ routing: deps.routing, exposeNamespaces: ['team-a'] }, target);
    expect(deleted).toEqual([{ namespace: 'team-a', name: 'api.example.com', preconditions: { uid: 'uid-1', resourceVersion: '7' } }]);
  });

  it.each([
    [
      'the Ingress was re-created since the confirmation',
      stored('api.example.com', 'api.example.com', { uid: 'uid-2' }),
      ErrorCode.Conflict,
    ],
    ['the Ingress is no longer the bot’s', stored('api.example.com', 'api.example.com', { ours: false }), ErrorCode.NotManaged],
    ['the Ingress is gone', undefined, ErrorCode.NotFound],
  ])('deletes nothing when %s', async (_case, read, code) => {
    const { deps, deleted } = world(read === undefined ? {} : { read });
    expect((await refusal(removeExposure({ routing: deps.routing, exposeNamespaces: ['team-a'] }, target))).code).toBe(code);
    expect(deleted).toEqual([]);
  });

  it.each<[string, Partial<StoredIngress>, string]>([
    [
      'another host added by hand',
      {
        routes: [
          ...stored('x', 'api.example.com').routes,
          { host: 'admin.example.com', path: '/', pathType: 'Prefix', serviceName: 'admin', servicePort: 8080 },
        ],
      },
      'also admin.example.com path / → admin:8080',
    ],
    [
      'another path of the host added by hand',
      {
        routes: [
          { host: 'api.example.com', path: '/internal', pathType: 'Prefix', serviceName: 'internal', servicePort: 'http' },
          ...stored('x', 'api.example.com').routes,
        ],
      },
      'also api.example.com path / → web:80',
    ],
    [
      'a default backend added by hand',
      { defaultBackend: { serviceName: 'fallback', servicePort: 80 } },
      'also a default backend → fallback:80',
    ],
  ])('deletes nothing when the bot’s Ingress serves more than it wrote: %s', async (_case, change, listed) => {
    const { deps, deleted } = world({ read: { ...stored('api.example.com', 'api.example.com'), ...change } });
    const error = await refusal(removeExposure({ routing: deps.routing, exposeNamespaces: ['team-a'] }, target));
    expect(error.code).toBe(ErrorCode.NotManaged);
    expect(error.message).toContain(`The Ingress team-a/api.example.com serves more than the bot wrote for api.example.com: ${listed}.`);
    expect(error.message).toContain('nothing was changed');
    expect(deleted).toEqual([]);
  });

  it('deletes nothing outside EXPOSE_NAMESPACES', async () => {
    const { deps, deleted } = world({ read: stored('api.example.com', 'api.example.com') });
    expect((await refusal(removeExposure({ routing: deps.routing, exposeNamespaces: ['team-b'] }, target))).code).toBe(
      ErrorCode.CheckFailed,
    );
    expect(deleted).toEqual([]);
  });
});
