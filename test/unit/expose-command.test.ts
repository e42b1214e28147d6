import { describe, expect, it } from '@jest/globals';
import type { ExposeDependencies } from '../../src/commands/expose-assessment.js';
import { applyExpose, previewExpose } from '../../src/commands/expose.js';
import { removeExposure } from '../../src/commands/unexpose.js';
import type { ControllerService } from '../../src/domain/controller-service.js';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import type { IngressSummary } from '../../src/domain/ingress-route.js';
import type { IngressManifest } from '../../src/domain/managed-ingress.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../src/domain/ownership.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import type { StoredIngress } from '../../src/ports/kube/ingress-gateway.js';

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
  };
}

function world(options: { list?: IngressSummary[]; read?: StoredIngress; apply?: (manifest: IngressManifest) => { ingress: StoredIngress; created: boolean }; status?: string } = {}) {
  const applied: IngressManifest[] = [];
  const deleted: Array<{ namespace: string; name: string; preconditions: unknown }> = [];
  const deps: ExposeDependencies = {
    services: { readService: async (namespace, name) => (namespace === 'team-a' && name === 'web' ? webService : undefined) },
    ingresses: {
      listIngresses: async () => options.list ?? [],
      readIngress: async () => options.read,
      applyIngress: async (manifest) => {
        applied.push(manifest);
        return options.apply?.(manifest) ?? { ingress: stored(manifest.metadata.name, 'api.example.com'), created: true };
      },
      deleteIngress: async (namespace, name, preconditions) => {
        deleted.push({ namespace, name, preconditions });
        return 'deleted';
      },
    },
    locator: {
      locate: async () => ({
        service: webService,
        loadBalancer: { arn: 'lb', name: 'shared', dnsName: 'shared.elb.amazonaws.com', type: 'network', scheme: 'internet-facing', state: 'active', vpcId: undefined, zones: [] },
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
    dns: { lookup: async () => ({ kind: 'nxdomain' }) },
    ingressClass: 'nginx',
    exposeNamespaces: ['team-a'],
  };
  return { deps, applied, deleted };
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
  it('writes the one Ingress when every check passes', async () => {
    const { deps, applied } = world();
    const outcome = await applyExpose(deps, request, approval, NOW);
    expect(outcome.kind).toBe('applied');
    expect(applied.map((manifest) => manifest.metadata.name)).toEqual(['api.example.com']);
  });

  it('writes nothing when a check fails, and says which', async () => {
    const { deps, applied } = world({ status: 'PENDING_VALIDATION' });
    const error = await refusal(applyExpose(deps, request, approval, NOW));
    expect(error.code).toBe(ErrorCode.CheckFailed);
    expect(error.message).toContain('Nothing was written');
    expect(error.message).toContain('PENDING_VALIDATION');
    expect(applied).toEqual([]);
  });

  it('writes nothing when the namespace is not open', async () => {
    const { deps, applied } = world();
    const error = await refusal(applyExpose({ ...deps, exposeNamespaces: ['team-b'] }, request, approval, NOW));
    expect(error.message).toBe('The namespace team-a is not open for /expose.');
    expect(applied).toEqual([]);
  });

  it('changes nothing when its own Ingress already routes exactly this', async () => {
    const { deps, applied } = world({ list: [stored('api.example.com', 'api.example.com')] });
    expect((await applyExpose(deps, request, approval, NOW)).kind).toBe('unchanged');
    expect(applied).toEqual([]);
  });

  it('refuses an Ingress of that name that the bot does not own, read just before writing', async () => {
    const { deps, applied } = world({ read: stored('api.example.com', 'api.example.com', { ours: false }) });
    expect((await refusal(applyExpose(deps, request, approval, NOW))).code).toBe(ErrorCode.NotManaged);
    expect(applied).toEqual([]);
  });

  it('reports a concurrent click that created the same Ingress first as unchanged', async () => {
    const { deps, applied } = world({ apply: (manifest) => ({ ingress: stored(manifest.metadata.name, 'api.example.com'), created: false }) });
    expect((await applyExpose(deps, request, approval, NOW)).kind).toBe('unchanged');
    expect(applied).toHaveLength(1);
  });

  it('says so when something else appeared under the name between the read and the write', async () => {
    const { deps } = world({ apply: (manifest) => ({ ingress: stored(manifest.metadata.name, 'api.example.com', { ours: false }), created: false }) });
    expect((await refusal(applyExpose(deps, request, approval, NOW))).code).toBe(ErrorCode.NotManaged);
  });

  it('previews without writing, with every check', async () => {
    const { deps, applied } = world();
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
    expect(preview.manifest.metadata.annotations).not.toHaveProperty('nlb-ingress-bot/approved-by');
    expect(applied).toEqual([]);
  });
});

describe('removing an exposure', () => {
  const target = { host: 'api.example.com', namespace: 'team-a', name: 'api.example.com', uid: 'uid-1' };

  it('deletes with the uid and resourceVersion it just read', async () => {
    const { deps, deleted } = world({ read: stored('api.example.com', 'api.example.com') });
    await removeExposure({ ingresses: deps.ingresses, exposeNamespaces: ['team-a'] }, target);
    expect(deleted).toEqual([{ namespace: 'team-a', name: 'api.example.com', preconditions: { uid: 'uid-1', resourceVersion: '7' } }]);
  });

  it.each([
    ['the Ingress was re-created since the confirmation', stored('api.example.com', 'api.example.com', { uid: 'uid-2' }), ErrorCode.Conflict],
    ['the Ingress is no longer the bot’s', stored('api.example.com', 'api.example.com', { ours: false }), ErrorCode.NotManaged],
    ['the Ingress is gone', undefined, ErrorCode.NotFound],
  ])('deletes nothing when %s', async (_case, read, code) => {
    const { deps, deleted } = world(read === undefined ? {} : { read });
    expect((await refusal(removeExposure({ ingresses: deps.ingresses, exposeNamespaces: ['team-a'] }, target))).code).toBe(code);
    expect(deleted).toEqual([]);
  });

  it('deletes nothing outside EXPOSE_NAMESPACES', async () => {
    const { deps, deleted } = world({ read: stored('api.example.com', 'api.example.com') });
    expect((await refusal(removeExposure({ ingresses: deps.ingresses, exposeNamespaces: ['team-b'] }, target))).code).toBe(ErrorCode.CheckFailed);
    expect(deleted).toEqual([]);
  });
});
