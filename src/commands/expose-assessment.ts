import { addressKind, zoneAddresses } from '../domain/addresses.js';
import { certificateCoverage } from '../domain/certificate-coverage.js';
import type { ControllerService } from '../domain/controller-service.js';
import { type DnsVerdict, dnsVerdict } from '../domain/dns-verdict.js';
import { CheckName, type ExposeCheck, serviceChecks, tlsCheck } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import type { RouteClaim } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import { type ListenerCertificateSources, readListenerCertificates } from '../nlb/read-listener-certificates.js';
import type { SharedNlb, SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { DnsReader } from '../ports/dns/dns-gateway.js';
import type { ServiceReader } from '../ports/kube/service-gateway.js';
import type { EdgeRouting, PendingReads, RoutingAssessment, WrittenKind } from '../routing/edge-routing.js';
import { type DnsPlan, type DnsPlanDependencies, dnsCheck, planDns } from './dns-plan.js';

export interface ExposeDependencies {
  readonly services: ServiceReader;
  /** Ingresses of a class, or HTTPRoutes on a Gateway. */
  readonly routing: EdgeRouting;
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly certificates: ListenerCertificateSources;
  readonly dns: DnsReader;
  readonly exposeNamespaces: readonly string[];
  /** Who makes the DNS record: ExternalDNS, the bot in Route 53, or the requester. */
  readonly dnsPlan: DnsPlanDependencies;
}

/** Everything the bot found out about a request, before anything is written. */
export interface ExposeAssessment {
  readonly request: ExposeRequest;
  /** What the bot writes, and its name (the host). */
  readonly routeKind: WrittenKind;
  readonly routeName: string;
  readonly checks: readonly ExposeCheck[];
  readonly claim: RouteClaim;
  readonly routing: RoutingAssessment;
  readonly loadBalancer: { readonly name: string; readonly dnsName: string; readonly addresses: readonly string[] };
  /** The NLB as the locator found it (its Service, and in Gateway mode its Gateway). */
  readonly nlb: SharedNlb;
  readonly dns: DnsVerdict;
  readonly dnsPlan: DnsPlan;
}

/** Policy before any call: only Services in EXPOSE_NAMESPACES may be exposed (none when it is empty). */
export function requireOpenNamespace(namespace: string, exposeNamespaces: readonly string[]): void {
  if (exposeNamespaces.length === 0) {
    throw new UserFacingError(
      ErrorCode.NotConfigured,
      'Nothing may be exposed: EXPOSE_NAMESPACES is empty.',
      'An operator lists the namespaces whose Services may be exposed in EXPOSE_NAMESPACES (or the edge’s exposeNamespaces).',
    );
  }
  if (!exposeNamespaces.includes(namespace)) {
    throw new UserFacingError(
      ErrorCode.CheckFailed,
      `The namespace ${namespace} is not open for /expose.`,
      `Services may be exposed from: ${exposeNamespaces.join(', ')} (EXPOSE_NAMESPACES, or the edge’s exposeNamespaces).`,
    );
  }
}

/** The Service and the NLB, each read once on first need and shared by everyone who needs it. */
export function pendingReads(deps: Pick<ExposeDependencies, 'services' | 'locator'>, request: ExposeRequest): PendingReads {
  let service: Promise<ControllerService | undefined> | undefined;
  let nlb: Promise<SharedNlb> | undefined;
  return {
    service: () => {
      service ??= deps.services.readService(request.namespace, request.service);
      return service;
    },
    nlb: () => {
      nlb ??= deps.locator.locate();
      return nlb;
    },
  };
}

/**
 * Runs every check of a request against the cluster, the NLB and DNS at once: the Service and its port,
 * the routing mode's checks (who holds the host; in Gateway mode the Gateway and its listeners too), the
 * certificates on the TLS listeners, and where the host resolves.
 */
export async function assessExposure(deps: ExposeDependencies, request: ExposeRequest, now: Date): Promise<ExposeAssessment> {
  requireOpenNamespace(request.namespace, deps.exposeNamespaces);
  const reads = pendingReads(deps, request);
  const nlbAndCertificates = reads.nlb().then(async (nlb) => ({
    nlb,
    certificates: await readListenerCertificates(nlb.loadBalancer, deps.certificates),
  }));
  const [service, routing, { nlb, certificates }, lookup, apex] = await Promise.all([
    reads.service(),
    deps.routing.assess(request, reads),
    nlbAndCertificates,
    deps.dns.lookup(request.host),
    deps.dns.isZoneApex(request.host),
  ]);
  const zones = zoneAddresses(nlb.loadBalancer);
  const internal = addressKind(zones) === 'private';
  const addresses = [
    ...new Set(zones.map((zone) => (internal ? zone.privateIp : zone.publicIp)).filter((ip): ip is string => ip !== undefined)),
  ];
  const dns = dnsVerdict(request.host, lookup, { dnsName: nlb.loadBalancer.dnsName, addresses }, { apex });
  const plan = await planDns(deps.dnsPlan, request, deps.routing.kind, {
    resolvesToNlb: dns.status === 'pass',
    internal,
    ...(deps.routing.mode.kind === 'ingress' ? { ingressClass: deps.routing.mode.ingressClass } : {}),
  });
  const checks: ExposeCheck[] = [
    { name: CheckName.Host, status: 'pass', detail: `\`${request.host}\` is a valid DNS name.` },
    { name: CheckName.Namespace, status: 'pass', detail: `\`${request.namespace}\` is open for /expose.` },
    ...serviceChecks(request, service),
    ...routing.checks,
    tlsCheck(request.host, certificateCoverage(request.host, certificates, now)),
    dnsCheck(request.host, dns, plan),
  ];
  return {
    request,
    routeKind: deps.routing.kind,
    routeName: routing.routeName,
    checks,
    claim: routing.claim,
    routing,
    loadBalancer: { name: nlb.loadBalancer.name, dnsName: nlb.loadBalancer.dnsName, addresses },
    nlb,
    dns,
    dnsPlan: plan,
  };
}
