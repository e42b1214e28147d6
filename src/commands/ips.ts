import { LRUCache } from 'lru-cache';
import {
  type AddressKind,
  addressKind,
  type ListenerPort,
  listenerPorts,
  partnerAllowList,
  partnerCidrs,
  type ZoneAddresses,
  zoneAddresses,
} from '../domain/addresses.js';
import type { SharedNlbLocator } from '../nlb/shared-nlb-locator.js';
import type { EdgeRouting } from '../routing/edge-routing.js';

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
  /** The hosts the edge serves: of the ingress class, or on the Gateway. */
  readonly routing: Pick<EdgeRouting, 'hosts'>;
}

/** /ips: the static addresses of the shared NLB, and what a partner allow-lists. */
export async function getIps(deps: IpsDependencies): Promise<IpsResult> {
  const [{ service, loadBalancer }, hosts] = await Promise.all([deps.locator.locate(), deps.routing.hosts()]);
  const zones = zoneAddresses(loadBalancer);
  const cidrs = partnerCidrs(zones);
  const ports = listenerPorts(service);
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

const KEY = 'ips';

/**
 * /ips results, kept so a repeated /ips is answered without any call: the NLB's addresses are static and the
 * hosts of the ingress class change rarely. An LRU cache with fetch(): concurrent readers share one read; a
 * stale result is answered at once while one background read refreshes it (stale-while-revalidate), and a
 * failed refresh keeps it; past staleMs it is dropped and the next caller waits for a read.
 */
export class IpsCache {
  private readonly cache: LRUCache<typeof KEY, IpsResult>;

  constructor(
    deps: IpsDependencies,
    private readonly options: IpsCacheOptions,
  ) {
    this.cache = new LRUCache<typeof KEY, IpsResult>({
      max: 1,
      ttl: options.freshMs,
      // Every age check reads the clock (the default debounces it by a millisecond of real time).
      ttlResolution: 0,
      perf: { now: options.now ?? Date.now },
      allowStale: true,
      noDeleteOnStaleGet: true,
      noDeleteOnFetchRejection: true,
      fetchMethod: async (_key, stale) => {
        try {
          return await getIps(deps);
        } catch (error) {
          if (stale !== undefined) options.onRefreshError?.(error);
          throw error;
        }
      },
    });
  }

  /** A result without waiting, when one is young enough; starts a refresh when it is no longer fresh. */
  peek(): IpsResult | undefined {
    const age = this.ageMs();
    if (age === undefined) return undefined;
    if (age >= this.options.staleMs) {
      this.cache.delete(KEY);
      return undefined;
    }
    // The refresh's failure is reported by onRefreshError; the stale result stays.
    if (age > this.options.freshMs) this.cache.fetch(KEY).catch(() => undefined);
    return this.cache.peek(KEY, { allowStale: true });
  }

  /** A fresh result: the cached one, or a read shared by every caller waiting at the same time. */
  async get(): Promise<IpsResult> {
    const result = await this.cache.fetch(KEY, { allowStale: false });
    if (result === undefined) throw new Error('the /ips read was abandoned');
    return result;
  }

  /** How old the cached result is; undefined when there is none. */
  private ageMs(): number | undefined {
    if (this.cache.peek(KEY, { allowStale: true }) === undefined) return undefined;
    return this.options.freshMs - this.cache.getRemainingTTL(KEY);
  }
}
