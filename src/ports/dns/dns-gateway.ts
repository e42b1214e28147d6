import { Resolver } from 'node:dns/promises';
import { getDomain } from 'tldts';
import type { DnsLookup } from '../../domain/dns-verdict.js';

/** The DNS question the bot asks about a host it is going to expose. */
export interface DnsReader {
  /** The host's CNAME (if any) and IPv4 addresses; never throws, and answers within the timeout. */
  lookup(host: string): Promise<DnsLookup>;
  /**
   * Whether the host is the apex of its DNS zone, where a CNAME is not allowed: asked of the zone itself
   * (an SOA record at the name), and, when DNS cannot say (the name does not exist yet, the resolver fails),
   * answered from the Public Suffix List: a registrable domain (`example.co.uk`) is an apex. Never throws.
   */
  isZoneApex(host: string): Promise<boolean>;
}

export interface DnsGatewayOptions {
  /** `ip` or `ip:port` entries (DNS_SERVERS); empty means the system's resolvers. */
  readonly servers: readonly string[];
  /** Upper bound for the whole lookup; DNS is only a warning, so a slow resolver must not hold up /expose. */
  readonly timeoutMs: number;
}

/** node:dns (c-ares) against DNS_SERVERS or the system's resolvers. */
export class DnsGateway implements DnsReader {
  constructor(private readonly options: DnsGatewayOptions) {}

  lookup(host: string): Promise<DnsLookup> {
    return this.withDeadline((resolver) => ask(resolver, host), { kind: 'error', code: 'ETIMEOUT' });
  }

  async isZoneApex(host: string): Promise<boolean> {
    const fromZone = await this.withDeadline<boolean | undefined>(async (resolver) => {
      try {
        await resolver.resolveSoa(host);
        return true;
      } catch (error) {
        // NODATA: the name exists in a zone and has no SOA of its own, so it is not an apex.
        return (error as { code?: unknown }).code === 'ENODATA' ? false : undefined;
      }
    }, undefined);
    return fromZone ?? getDomain(host) === host;
  }

  /** Runs `ask` on a resolver of its own (cancel() on a timeout must not cut other lookups short), within the timeout. */
  private async withDeadline<T>(ask: (resolver: Resolver) => Promise<T>, onTimeout: T): Promise<T> {
    const { timeoutMs, servers } = this.options;
    const resolver = new Resolver({ timeout: Math.max(50, Math.floor(timeoutMs / 2)), tries: 2 });
    if (servers.length > 0) resolver.setServers([...servers]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<T>((resolve) => {
      timer = setTimeout(() => {
        resolver.cancel();
        resolve(onTimeout);
      }, timeoutMs);
    });
    try {
      return await Promise.race([ask(resolver), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

async function ask(resolver: Resolver, host: string): Promise<DnsLookup> {
  const [cname, addresses] = await Promise.allSettled([resolver.resolveCname(host), resolver.resolve4(host)]);
  const codeOf = (result: PromiseSettledResult<unknown>) =>
    result.status === 'rejected' ? String((result.reason as { code?: unknown }).code ?? 'EUNKNOWN') : undefined;
  const cnameCode = codeOf(cname);
  const addressCode = codeOf(addresses);
  const empty = (code: string | undefined) => code === 'ENODATA' || code === 'ENOTFOUND';
  if (addressCode === 'ENOTFOUND' && (cnameCode === 'ENOTFOUND' || cnameCode === 'ENODATA')) return { kind: 'nxdomain' };
  const failure = [addressCode, cnameCode].find((code) => code !== undefined && !empty(code));
  if (failure !== undefined) return { kind: 'error', code: failure };
  return {
    kind: 'answer',
    cname: cname.status === 'fulfilled' ? cname.value[0] : undefined,
    addresses: addresses.status === 'fulfilled' ? addresses.value : [],
  };
}
