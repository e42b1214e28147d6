import { addressKind, zoneAddresses } from '../domain/addresses.js';
import { type LiveCheckVerdict, liveCheck, type RouteUptake } from '../domain/live-check.js';
import type { HttpProbeResult, TlsProbeResult } from '../domain/probe-result.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { Elbv2Reader } from '../ports/aws/elbv2-gateway.js';
import type { DnsReader } from '../ports/dns/dns-gateway.js';
import type { ReachabilityProber } from '../ports/probe/reachability-probe.js';
import type { EdgeRouting } from '../routing/edge-routing.js';

export interface CheckDependencies {
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly elbv2: Pick<Elbv2Reader, 'describeListeners'>;
  readonly routing: Pick<EdgeRouting, 'uptake' | 'kind'>;
  readonly dns: DnsReader;
  readonly probe: ReachabilityProber;
  readonly now: () => Date;
}

/** One live check of a host: the verdict, and what it was checked against. */
export interface CheckResult {
  readonly host: string;
  readonly path: string;
  readonly verdict: LiveCheckVerdict;
  readonly nlb: { readonly name: string; readonly dnsName: string; readonly addresses: readonly string[] };
  /** The NLB's TLS listener ports, from DescribeListeners. */
  readonly tlsPorts: readonly number[];
  /** TLS listener ports left out (an NLB with more than MAX_TLS_PORTS of them): said in the message. */
  readonly tlsPortsLeftOut: number;
  /** Nothing on the edge routes the host (no Ingress of the class, no HTTPRoute on the Gateway names it). */
  readonly unrouted: boolean;
  readonly checkedAt: Date;
}

/** At most this many addresses and TLS ports are probed (an NLB has one address per zone; a few listeners). */
const MAX_ADDRESSES = 6;
const MAX_TLS_PORTS = 2;

/**
 * From request to reachable, once: whether the proxy took the route up, whether the host resolves to the NLB,
 * and, for every NLB address and TLS listener port, the TLS handshake with SNI = host (trusted, valid for the
 * host, not expiring soon) and a GET of the path answered by the route rather than the proxy's fallback. The
 * probes connect to the NLB's addresses, so they do not wait for DNS. Reads only.
 */
export async function checkHost(
  deps: CheckDependencies,
  host: string,
  path = '/',
  options: { readonly probes: boolean } = { probes: true },
): Promise<CheckResult> {
  const { loadBalancer } = await deps.locator.locate();
  const zones = zoneAddresses(loadBalancer);
  const internal = addressKind(zones) === 'private';
  const addresses = [
    ...new Set(zones.map((zone) => (internal ? zone.privateIp : zone.publicIp)).filter((ip): ip is string => ip !== undefined)),
  ].slice(0, MAX_ADDRESSES);
  const [listeners, route, lookup, zoneApex] = await Promise.all([
    // The listeners' ports matter only to the probes: a run without them reads DNS and the route alone.
    options.probes ? deps.elbv2.describeListeners(loadBalancer.arn) : [],
    // Nothing routing the host is a finding; a cluster that does not answer only leaves the step unchecked.
    deps.routing.uptake(host).then(
      (uptake): RouteUptake | undefined => uptake ?? { kind: 'unrouted', routes: deps.routing.kind },
      () => undefined,
    ),
    deps.dns.lookup(host),
    deps.dns.isZoneApex(host),
  ]);
  const allTlsPorts = [...new Set(listeners.filter((listener) => listener.protocol === 'TLS').map((listener) => listener.port))].sort(
    (a, b) => a - b,
  );
  const tlsPorts = allTlsPorts.slice(0, MAX_TLS_PORTS);
  const probes = options.probes
    ? await Promise.all(addresses.flatMap((address) => tlsPorts.map((port) => deps.probe.probe({ address, port, host, path }))))
    : [];
  const tls: TlsProbeResult[] = probes.map((result) => result.tls);
  const http: HttpProbeResult[] = probes.map((result) => result.http);
  const now = deps.now();
  const nlb = { name: loadBalancer.name, dnsName: loadBalancer.dnsName, addresses };
  const verdict = liveCheck({ host, nlb, route, dns: { lookup, zoneApex }, tls, http, probed: options.probes, now });
  return {
    host,
    path,
    verdict,
    nlb,
    tlsPorts,
    tlsPortsLeftOut: allTlsPorts.length - tlsPorts.length,
    unrouted: route?.kind === 'unrouted',
    checkedAt: now,
  };
}
