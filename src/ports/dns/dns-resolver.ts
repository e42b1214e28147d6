import { Resolver } from 'node:dns/promises';
import type { DnsLookup } from '../../domain/dns-verdict.js';

/** The DNS question the bot asks about a host it is going to expose. */
export interface DnsResolverPort {
  /** The host's CNAME (if any) and IPv4 addresses; never throws, and answers within the timeout. */
  lookup(host: string): Promise<DnsLookup>;
}

export interface NodeDnsResolverOptions {
  /** `ip` or `ip:port` entries (DNS_SERVERS); empty means the system's resolvers. */
  readonly servers: readonly string[];
  /** Upper bound for the whole lookup; DNS is only a warning, so a slow resolver must not hold up /expose. */
  readonly timeoutMs: number;
}

/** node:dns (c-ares) against DNS_SERVERS or the system's resolvers. */
export class NodeDnsResolver implements DnsResolverPort {
  constructor(private readonly options: NodeDnsResolverOptions) {}

  async lookup(host: string): Promise<DnsLookup> {
    const { timeoutMs, servers } = this.options;
    // One resolver per lookup: cancel() on a timeout must not cut other lookups short.
    const resolver = new Resolver({ timeout: Math.max(50, Math.floor(timeoutMs / 2)), tries: 2 });
    if (servers.length > 0) resolver.setServers([...servers]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<DnsLookup>((resolve) => {
      timer = setTimeout(() => {
        resolver.cancel();
        resolve({ kind: 'error', code: 'ETIMEOUT' });
      }, timeoutMs);
    });
    try {
      return await Promise.race([ask(resolver, host), deadline]);
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
