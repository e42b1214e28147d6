import { addressKind, zoneAddresses } from '../domain/addresses.js';
import { certificateCoverage } from '../domain/certificate-coverage.js';
import { type DnsVerdict, dnsVerdict } from '../domain/dns-verdict.js';
import { CheckName, type ExposeCheck, routeCheck, serviceChecks, tlsCheck } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import { findRouteClaim, type RouteClaim } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import { type ListenerCertificateSources, readListenerCertificates } from '../nlb/read-listener-certificates.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { DnsReader } from '../ports/dns/dns-gateway.js';
import type { IngressReader, IngressWriter } from '../ports/kube/ingress-gateway.js';
import type { ServiceReader } from '../ports/kube/service-gateway.js';

export interface ExposeDependencies {
  readonly services: ServiceReader;
  readonly ingresses: IngressReader & IngressWriter;
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly certificates: ListenerCertificateSources;
  readonly dns: DnsReader;
  readonly ingressClass: string;
  readonly exposeNamespaces: readonly string[];
}

/** Everything the bot found out about a request, before anything is written. */
export interface ExposeAssessment {
  readonly request: ExposeRequest;
  readonly ingressName: string;
  readonly checks: readonly ExposeCheck[];
  readonly claim: RouteClaim;
  readonly loadBalancer: { readonly name: string; readonly dnsName: string; readonly addresses: readonly string[] };
  readonly dns: DnsVerdict;
}

/** Policy before any call: only Services in EXPOSE_NAMESPACES may be exposed (none when it is empty). */
export function requireOpenNamespace(namespace: string, exposeNamespaces: readonly string[]): void {
  if (exposeNamespaces.length === 0) {
    throw new UserFacingError(
      ErrorCode.NotConfigured,
      'Nothing may be exposed: EXPOSE_NAMESPACES is empty.',
      'An operator lists the namespaces whose Services may be exposed in EXPOSE_NAMESPACES.',
    );
  }
  if (!exposeNamespaces.includes(namespace)) {
    throw new UserFacingError(
      ErrorCode.CheckFailed,
      `The namespace ${namespace} is not open for /expose.`,
      `Services may be exposed from: ${exposeNamespaces.join(', ')} (EXPOSE_NAMESPACES).`,
    );
  }
}

/**
 * Runs every check of a request against the cluster, the NLB and DNS at once: the Service and its port,
 * who holds the host+path, the certificates on the TLS listeners, and where the host resolves.
 */
export async function assessExposure(deps: ExposeDependencies, request: ExposeRequest, now: Date): Promise<ExposeAssessment> {
  requireOpenNamespace(request.namespace, deps.exposeNamespaces);
  const ingressName = ingressNameForHost(request.host);
  const nlbAndCertificates = deps.locator.locate().then(async (nlb) => ({
    nlb,
    certificates: await readListenerCertificates(nlb.loadBalancer, deps.certificates),
  }));
  const [service, ingresses, { nlb, certificates }, lookup, apex] = await Promise.all([
    deps.services.readService(request.namespace, request.service),
    deps.ingresses.listIngresses(),
    nlbAndCertificates,
    deps.dns.lookup(request.host),
    deps.dns.isZoneApex(request.host),
  ]);
  const zones = zoneAddresses(nlb.loadBalancer);
  const internal = addressKind(zones) === 'private';
  const addresses = [
    ...new Set(zones.map((zone) => (internal ? zone.privateIp : zone.publicIp)).filter((ip): ip is string => ip !== undefined)),
  ];
  const claim = findRouteClaim(ingresses, request, { ingressClass: deps.ingressClass, ingressName });
  const dns = dnsVerdict(request.host, lookup, { dnsName: nlb.loadBalancer.dnsName, addresses }, { apex });
  const checks: ExposeCheck[] = [
    { name: CheckName.Host, status: 'pass', detail: `\`${request.host}\` is a valid DNS name.` },
    { name: CheckName.Namespace, status: 'pass', detail: `\`${request.namespace}\` is open for /expose.` },
    ...serviceChecks(request, service),
    routeCheck(request, claim),
    tlsCheck(request.host, certificateCoverage(request.host, certificates, now)),
    { name: CheckName.Dns, status: dns.status, detail: dns.summary },
  ];
  return {
    request,
    ingressName,
    checks,
    claim,
    loadBalancer: { name: nlb.loadBalancer.name, dnsName: nlb.loadBalancer.dnsName, addresses },
    dns,
  };
}
