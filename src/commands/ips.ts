import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import {
  addressKind,
  listenerPorts,
  partnerAllowList,
  partnerCidrs,
  zoneAddresses,
  type AddressKind,
  type ListenerPort,
  type ZoneAddresses,
} from '../domain/addresses.js';
import { hostsServedByClass } from '../domain/ingress-route.js';
import type { IngressReader } from '../ports/kube/ingress-gateway.js';

export interface IpsResult {
  readonly loadBalancer: { readonly name: string; readonly dnsName: string; readonly scheme: string; readonly state: string };
  readonly controllerService: string;
  readonly zones: readonly ZoneAddresses[];
  readonly addressKind: AddressKind;
  readonly cidrs: readonly string[];
  readonly ports: readonly ListenerPort[];
  readonly hosts: readonly string[];
  /** Ready to paste into a partner's firewall request. */
  readonly allowList: string;
}

export interface IpsDependencies {
  readonly locator: Pick<SharedNlbLocator, 'locate'>;
  readonly ingresses: IngressReader;
  readonly ingressClass: string;
}

/** /ips: the static addresses of the shared NLB, and what a partner allow-lists. */
export async function getIps(deps: IpsDependencies): Promise<IpsResult> {
  const [{ service, loadBalancer }, ingresses] = await Promise.all([deps.locator.locate(), deps.ingresses.listIngresses()]);
  const zones = zoneAddresses(loadBalancer);
  const cidrs = partnerCidrs(zones);
  const ports = listenerPorts(service);
  const hosts = hostsServedByClass(ingresses, deps.ingressClass);
  return {
    loadBalancer: { name: loadBalancer.name, dnsName: loadBalancer.dnsName, scheme: loadBalancer.scheme, state: loadBalancer.state },
    controllerService: `${service.namespace}/${service.name}`,
    zones,
    addressKind: addressKind(zones),
    cidrs,
    ports,
    hosts,
    allowList: partnerAllowList({ cidrs, ports, hosts }),
  };
}

export interface IpsCacheOptions {
  /** A result younger than this is answered as is. */
  readonly freshMs: number;
  /** A result younger than this (but not fresh) is still answered at once while a read refreshes it. */
  readonly staleMs: number;
  readonly now?: () => number;
  /** Called when a background refresh fails (the stale result keeps being answered until staleMs). */
  readonly onRefreshError?: (error: unknown) => void;
}

/**
 * /ips results, kept so a repeated /ips is answered without any call: the NLB's addresses are static and the
 * hosts of the ingress class change rarely. Concurrent readers share one read; a stale result is answered at
 * once while one background read refreshes it.
 */
export class IpsCache {
  private latest: { result: IpsResult; at: number } | undefined;
  private reading: Promise<IpsResult> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly deps: IpsDependencies,
    private readonly options: IpsCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A result without waiting, when one is young enough; starts a refresh when it is no longer fresh. */
  peek(): IpsResult | undefined {
    const latest = this.latest;
    if (latest === undefined) return undefined;
    const age = this.now() - latest.at;
    if (age >= this.options.staleMs) return undefined;
    if (age >= this.options.freshMs && this.reading === undefined) {
      this.read().catch((error: unknown) => this.options.onRefreshError?.(error));
    }
    return latest.result;
  }

  /** A fresh result: the cached one, or a read shared by every caller waiting at the same time. */
  async get(): Promise<IpsResult> {
    const latest = this.latest;
    if (latest !== undefined && this.now() - latest.at < this.options.freshMs) return latest.result;
    return this.read();
  }

  private read(): Promise<IpsResult> {
    this.reading ??= getIps(this.deps)
      .then((result) => {
        this.latest = { result, at: this.now() };
        return result;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
