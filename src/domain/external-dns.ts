/**
 * What an ExternalDNS Deployment in the cluster will do about a new host, read from its container's flags:
 * which sources it watches (`--source=ingress`, `--source=gateway-httproute`), which domains
 * (`--domain-filter`, `--exclude-domains`, `--regex-domain-filter`), as whom (`--txt-owner-id`) and where
 * (`--provider`). If it watches the route's kind and the host is inside its filters, it will create the DNS
 * record itself, and the bot should not.
 */

export interface ExternalDnsSettings {
  readonly sources: readonly string[];
  readonly domainFilters: readonly string[];
  readonly excludeDomains: readonly string[];
  readonly regexDomainFilter: string | undefined;
  readonly regexDomainExclusion: string | undefined;
  readonly txtOwnerId: string | undefined;
  readonly provider: string | undefined;
  /** `--namespace`: the only namespace it reads routes from; undefined for all. */
  readonly namespace: string | undefined;
  /** `--ingress-class`: the only Ingress classes it reads; empty for all. */
  readonly ingressClasses: readonly string[];
  /** `--policy`: sync, upsert-only (the default), create-only. */
  readonly policy: string | undefined;
  /** Filters on labels or annotations the bot cannot judge from the host alone. */
  readonly objectFilters: readonly string[];
}

const REPEATED = ['source', 'domain-filter', 'exclude-domains', 'ingress-class'] as const;
const SINGLE = ['regex-domain-filter', 'regex-domain-exclusion', 'txt-owner-id', 'provider', 'namespace', 'policy'] as const;
const OBJECT_FILTERS = ['label-filter', 'annotation-filter', 'gateway-label-filter', 'gateway-name', 'gateway-namespace'] as const;
const KNOWN: ReadonlySet<string> = new Set([...REPEATED, ...SINGLE, ...OBJECT_FILTERS]);

/**
 * Reads the flags from the container's command and args, in both forms (`--source=ingress` and
 * `--source ingress`), and from ExternalDNS's environment variables (`EXTERNAL_DNS_SOURCE`, newline-separated
 * for repeated flags), which kingpin reads when a flag is not given.
 */
export function parseExternalDnsArgs(args: readonly string[], env: Readonly<Record<string, string>> = {}): ExternalDnsSettings {
  const values = new Map<string, string[]>();
  for (let index = 0; index < args.length; index += 1) {
    const token = args[index] ?? '';
    const flag = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(token);
    const name = flag?.[1];
    if (name === undefined || !KNOWN.has(name)) continue;
    let value = flag?.[2];
    if (value === undefined) {
      const next = args[index + 1];
      if (next === undefined || next.startsWith('-')) continue;
      value = next;
      index += 1;
    }
    values.set(name, [...(values.get(name) ?? []), value.trim()]);
  }
  for (const name of KNOWN) {
    if (values.has(name)) continue;
    const fromEnv = env[`EXTERNAL_DNS_${name.toUpperCase().replace(/-/g, '_')}`];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      values.set(
        name,
        fromEnv
          .split('\n')
          .map((value) => value.trim())
          .filter((value) => value !== ''),
      );
    }
  }
  const all = (name: string) => (values.get(name) ?? []).filter((value) => value !== '');
  const last = (name: string) => all(name).at(-1);
  return {
    sources: all('source'),
    domainFilters: all('domain-filter').map(normaliseDomain),
    excludeDomains: all('exclude-domains').map(normaliseDomain),
    regexDomainFilter: last('regex-domain-filter'),
    regexDomainExclusion: last('regex-domain-exclusion'),
    txtOwnerId: last('txt-owner-id'),
    provider: last('provider'),
    namespace: last('namespace'),
    ingressClasses: all('ingress-class'),
    policy: last('policy'),
    objectFilters: OBJECT_FILTERS.flatMap((name) => all(name).map((value) => `--${name}=${value}`)),
  };
}

export type RouteKind = 'Ingress' | 'HTTPRoute';

/** The ExternalDNS source that reads a kind of route. */
export function externalDnsSource(kind: RouteKind): 'ingress' | 'gateway-httproute' {
  return kind === 'Ingress' ? 'ingress' : 'gateway-httproute';
}

export interface RouteToPublish {
  readonly kind: RouteKind;
  readonly host: string;
  readonly namespace: string;
  /** For an Ingress: its class. */
  readonly ingressClass?: string;
}

export interface ExternalDnsCoverage {
  /** It reads this kind of route in this namespace (and class). */
  readonly watches: boolean;
  /** The host is inside its domain filters. */
  readonly inDomain: boolean;
  /** Both: it will publish the host's record itself (unless a filter below says otherwise). */
  readonly publishes: boolean;
  /** One sentence on why (not). */
  readonly reason: string;
  /** Filters the bot cannot judge from the route alone (label, annotation, Gateway filters). */
  readonly caveats: readonly string[];
}

export function externalDnsCoverage(settings: ExternalDnsSettings, route: RouteToPublish): ExternalDnsCoverage {
  const source = externalDnsSource(route.kind);
  const caveats = settings.objectFilters;
  const result = (watches: boolean, inDomain: boolean, reason: string): ExternalDnsCoverage => ({
    watches,
    inDomain,
    publishes: watches && inDomain,
    reason,
    caveats,
  });
  const inDomain = hostInDomains(settings, route.host);
  const kinds = route.kind === 'Ingress' ? 'Ingresses' : 'HTTPRoutes';
  if (!settings.sources.includes(source)) {
    const watched = settings.sources.length === 0 ? 'no source' : settings.sources.join(', ');
    return result(false, inDomain, `It does not read ${kinds} (--source=${source}); it reads ${watched}.`);
  }
  if (settings.namespace !== undefined && settings.namespace !== route.namespace) {
    return result(false, inDomain, `It reads only the namespace ${settings.namespace} (--namespace), not ${route.namespace}.`);
  }
  if (route.kind === 'Ingress' && settings.ingressClasses.length > 0 && !settings.ingressClasses.includes(route.ingressClass ?? '')) {
    return result(false, inDomain, `It reads only the Ingress classes ${settings.ingressClasses.join(', ')} (--ingress-class).`);
  }
  if (!inDomain) return result(true, false, `${route.host} is outside its domain filters (${describeFilters(settings)}).`);
  return result(true, true, `It reads ${kinds} (--source=${source}) and ${route.host} is inside its domain filters.`);
}

/**
 * ExternalDNS's DomainFilter: no filter matches every name; `example.com` matches itself and every name below
 * it, `.example.com` only the names below it; an exclusion wins. A regex filter, when set, replaces the others.
 */
export function hostInDomains(settings: ExternalDnsSettings, host: string): boolean {
  const name = normaliseDomain(host);
  if (settings.regexDomainFilter !== undefined) {
    return matchesRegex(settings.regexDomainFilter, name) === true && matchesRegex(settings.regexDomainExclusion, name) !== true;
  }
  const matches = (filter: string) => (filter.startsWith('.') ? name.endsWith(filter) : name === filter || name.endsWith(`.${filter}`));
  const included = settings.domainFilters.length === 0 || settings.domainFilters.some(matches);
  return included && !settings.excludeDomains.some(matches);
}

function matchesRegex(pattern: string | undefined, name: string): boolean | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern).test(name);
  } catch {
    // A pattern JavaScript cannot read (Go's syntax differs a little): judged as not matching.
    return false;
  }
}

function describeFilters(settings: ExternalDnsSettings): string {
  if (settings.regexDomainFilter !== undefined) return `--regex-domain-filter=${settings.regexDomainFilter}`;
  const parts = [
    ...settings.domainFilters.map((filter) => `--domain-filter=${filter}`),
    ...settings.excludeDomains.map((filter) => `--exclude-domains=${filter}`),
  ];
  return parts.join(' ');
}

function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}
