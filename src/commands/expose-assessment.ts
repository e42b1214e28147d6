import type { SharedNlbLocator } from '../core/shared-nlb-locator.js';
import { readListenerCertificates, type ListenerCertificateSources } from '../core/read-listener-certificates.js';
import { addressKind, zoneAddresses } from '../domain/addresses.js';
import { certificateCoverage, type CertificateCoverage } from '../domain/certificate-coverage.js';
import type { ControllerService } from '../domain/controller-service.js';
import { dnsVerdict, type DnsVerdict } from '../domain/dns-verdict.js';
import { CheckName, type ExposeCheck } from '../domain/expose-check.js';
import { describeBackend, describePort, type ExposeRequest } from '../domain/expose-request.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import { isManagedByBot } from '../domain/ownership.js';
import { findRouteClaim, type RouteClaim } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { DnsResolverPort } from '../ports/dns/dns-resolver.js';
import type { IngressReader, IngressWriter } from '../ports/kube/ingress-gateway.js';
import type { ServiceReader } from '../ports/kube/service-gateway.js';

export interface ExposeDependencies {
  readonly services: ServiceReader;
  readonly ingresses: IngressReader & IngressWriter;
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly certificates: ListenerCertificateSources;
  readonly dns: DnsResolverPort;
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
  const [service, ingresses, { nlb, certificates }, lookup] = await Promise.all([
    deps.services.readService(request.namespace, request.service),
    deps.ingresses.listIngresses(),
    nlbAndCertificates,
    deps.dns.lookup(request.host),
  ]);
  const zones = zoneAddresses(nlb.loadBalancer);
  const internal = addressKind(zones) === 'private';
  const addresses = [...new Set(zones.map((zone) => (internal ? zone.privateIp : zone.publicIp)).filter((ip): ip is string => ip !== undefined))];
  const claim = findRouteClaim(ingresses, request, { ingressClass: deps.ingressClass, ingressName });
  const dns = dnsVerdict(request.host, lookup, { dnsName: nlb.loadBalancer.dnsName, addresses });
  const checks: ExposeCheck[] = [
    { name: CheckName.Host, status: 'pass', detail: `\`${request.host}\` is a valid DNS name.` },
    { name: CheckName.Namespace, status: 'pass', detail: `\`${request.namespace}\` is open for /expose.` },
    ...serviceChecks(request, service),
    claimCheck(request, claim),
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

function serviceChecks(request: ExposeRequest, service: ControllerService | undefined): ExposeCheck[] {
  const name = `${request.namespace}/${request.service}`;
  if (service === undefined) {
    return [{ name: CheckName.Service, status: 'fail', detail: `There is no Service \`${request.service}\` in the namespace \`${request.namespace}\`.` }];
  }
  if (service.type === 'ExternalName') {
    return [
      {
        name: CheckName.Service,
        status: 'fail',
        detail: `The Service \`${name}\` is of type ExternalName: the bot exposes only Services backed by Pods in the cluster.`,
      },
    ];
  }
  const serviceCheck: ExposeCheck = { name: CheckName.Service, status: 'pass', detail: `\`${name}\` exists (${service.type}).` };
  const wanted = request.port;
  const port = service.ports.find((candidate) => ('number' in wanted ? candidate.port === wanted.number : candidate.name === wanted.name));
  const listed = service.ports.map((candidate) => `${candidate.name === undefined ? '' : `${candidate.name} `}${candidate.port}/${candidate.protocol}`);
  if (port === undefined) {
    const kind = 'number' in wanted ? 'port' : 'port named';
    const ports = listed.length === 0 ? 'It has no ports.' : `Its ports: ${listed.join(', ')}.`;
    return [serviceCheck, { name: CheckName.Port, status: 'fail', detail: `The Service \`${name}\` has no ${kind} \`${describePort(wanted)}\`. ${ports}` }];
  }
  if (port.protocol !== 'TCP') {
    return [serviceCheck, { name: CheckName.Port, status: 'fail', detail: `The port \`${describePort(wanted)}\` of \`${name}\` is ${port.protocol}; an Ingress carries HTTP over TCP.` }];
  }
  const label = port.name === undefined ? `${port.port}/TCP` : `${port.port}/TCP, named ${port.name}`;
  return [serviceCheck, { name: CheckName.Port, status: 'pass', detail: `\`${describePort(wanted)}\` is a port of \`${name}\` (${label}).` }];
}

function claimCheck(request: ExposeRequest, claim: RouteClaim): ExposeCheck {
  const where = `\`${request.host}\` with the path \`${request.path}\``;
  switch (claim.kind) {
    case 'free':
      return { name: CheckName.Route, status: 'pass', detail: `No Ingress routes ${where} yet.` };
    case 'exposed':
      return {
        name: CheckName.Route,
        status: 'fail',
        detail: `The bot already exposes ${where} to \`${describeBackend(request)}\` (Ingress \`${claim.ingress.namespace}/${claim.ingress.name}\`). Nothing to do.`,
      };
    case 'taken': {
      const holder = `\`${claim.ingress.namespace}/${claim.ingress.name}\``;
      const target = claim.route === undefined ? '' : ` to \`${claim.route.serviceName ?? '?'}:${claim.route.servicePort ?? '?'}\``;
      const managed = isManagedByBot(claim.ingress.labels);
      if (claim.reason === 'managed-host') {
        return {
          name: CheckName.Route,
          status: 'fail',
          detail: `The bot already exposes \`${request.host}\` with the Ingress ${holder} (path \`${claim.route?.path ?? '/'}\`${target}). It keeps one Ingress per host: \`/unexpose ${request.host}\` first to change it.`,
        };
      }
      if (claim.reason === 'name') {
        return {
          name: CheckName.Route,
          status: 'fail',
          detail: `An Ingress named \`${claim.ingress.name}\` already exists in \`${claim.ingress.namespace}\`${managed ? '' : ' and the bot did not create it'}, so the bot cannot write its Ingress for \`${request.host}\` there.`,
        };
      }
      return {
        name: CheckName.Route,
        status: 'fail',
        detail: `The Ingress ${holder} already routes ${where}${target}. ${
          managed ? `The bot manages it: \`/unexpose ${request.host}\` first to change it.` : 'ingress-nginx would refuse a second Ingress for the same host and path.'
        }`,
      };
    }
  }
}

function tlsCheck(host: string, coverage: CertificateCoverage): ExposeCheck {
  const { covering, unusable, attachedNames, warnings } = coverage;
  if (covering !== undefined) {
    const certificate = covering.certificate;
    const until = certificate.notAfter === undefined ? '' : `, valid until ${certificate.notAfter.toISOString().slice(0, 10)}`;
    const role = covering.isDefault ? 'default' : 'SNI';
    const detail = `Covered by \`${certificate.domainName}\` (${certificate.type}, ${role} certificate on port ${covering.listenerPort}${until}).`;
    return { name: CheckName.Tls, status: warnings.length > 0 ? 'warn' : 'pass', detail: [detail, ...warnings].join(' ') };
  }
  if (unusable.length > 0) {
    const reasons = unusable.map((entry) => `\`${entry.certificate.certificate.domainName}\` (${entry.reason})`).join('; ');
    return { name: CheckName.Tls, status: 'fail', detail: `\`${host}\` is named only by certificates that cannot serve it: ${reasons}.` };
  }
  if (attachedNames.length === 0) {
    return { name: CheckName.Tls, status: 'fail', detail: `The NLB has no TLS listener with a certificate, so \`${host}\` cannot be served over HTTPS.` };
  }
  return {
    name: CheckName.Tls,
    status: 'fail',
    detail: `No certificate on the NLB’s TLS listener covers \`${host}\`. The attached certificates cover: ${attachedNames.map((name) => `\`${name}\``).join(', ')}.`,
  };
}
