import { validHostName } from './host-name.js';
import { sameDnsName } from './load-balancer.js';

/** What a DNS lookup of a host found. */
export type DnsLookup =
  | { readonly kind: 'answer'; readonly cname: string | undefined; readonly addresses: readonly string[] }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'error'; readonly code: string };

/** The DNS record that makes a host reach the NLB. */
export interface DnsRecordToCreate {
  /** CNAME for a name below the zone apex; an alias A record (Route 53) at the apex, where CNAMEs are not allowed. */
  readonly type: 'CNAME' | 'ALIAS A';
  readonly name: string;
  readonly target: string;
}

export interface DnsVerdict {
  readonly status: 'pass' | 'warn';
  readonly summary: string;
  readonly record: DnsRecordToCreate | undefined;
}

/**
 * Does the host already reach the NLB? It does when it is a CNAME to the NLB's DNS name, or when its
 * A records are exactly the NLB's addresses (an alias or hand-made records). DNS never blocks an
 * exposure: every other answer is a warning that says which record to create.
 */
export function dnsVerdict(
  host: string,
  lookup: DnsLookup,
  nlb: { readonly dnsName: string; readonly addresses: readonly string[] },
  zone: { readonly apex: boolean },
): DnsVerdict {
  // A name with a CNAME is never an apex, whatever its lookups said.
  const apex = zone.apex && !(lookup.kind === 'answer' && lookup.cname !== undefined);
  const record = recordFor(host, nlb.dnsName, apex);
  const instruction = `Create ${describeRecord(record)}.`;
  if (lookup.kind === 'error') {
    return {
      status: 'warn',
      summary: `Could not check DNS for ${host} (${lookup.code}). Make sure it points to the NLB: ${describeRecord(record)}.`,
      record,
    };
  }
  if (lookup.kind === 'nxdomain') return { status: 'warn', summary: `${host} does not resolve yet. ${instruction}`, record };
  if (lookup.cname !== undefined && sameDnsName(lookup.cname, nlb.dnsName)) {
    return { status: 'pass', summary: `${host} is a CNAME to the NLB (${nlb.dnsName}).`, record: undefined };
  }
  const found = [...new Set(lookup.addresses)].sort();
  const wanted = [...new Set(nlb.addresses)].sort();
  if (found.length > 0 && found.length === wanted.length && found.every((address, index) => address === wanted[index])) {
    return { status: 'pass', summary: `${host} resolves to the NLB's addresses (${found.join(', ')}).`, record: undefined };
  }
  if (found.length === 0 && lookup.cname === undefined)
    return { status: 'warn', summary: `${host} has no A or CNAME record yet. ${instruction}`, record };
  // The CNAME target comes from DNS: shown only when it is a valid host name.
  const via = lookup.cname === undefined ? '' : `CNAME ${validHostName(lookup.cname) ?? 'an invalid name'}, `;
  const missing = wanted.filter((address) => !found.includes(address));
  if (found.length > 0 && found.every((address) => wanted.includes(address))) {
    return {
      status: 'warn',
      summary:
        `${host} resolves to only some of the NLB's addresses (${via}missing ${missing.join(', ')}). Replace its records with ` +
        `${describeRecord(record)}.`,
      record,
    };
  }
  const target = found.length === 0 ? via.replace(/, $/, '') : `${via}${found.join(', ')}`;
  return {
    status: 'warn',
    summary: `${host} points elsewhere (${target}), not to the NLB. Replace it with ${describeRecord(record)}.`,
    record,
  };
}

/** A zone apex cannot hold a CNAME: there, Route 53's alias A record points at the NLB instead. */
export function recordFor(host: string, nlbDnsName: string, zoneApex: boolean): DnsRecordToCreate {
  const target = nlbDnsName.replace(/\.$/, '');
  return zoneApex ? { type: 'ALIAS A', name: host, target } : { type: 'CNAME', name: host, target };
}

export function describeRecord(record: DnsRecordToCreate): string {
  return record.type === 'CNAME'
    ? `a CNAME record \`${record.name}\` → \`${record.target}\``
    : `an alias A record (Route 53 alias) \`${record.name}\` → \`${record.target}\` (a zone apex cannot hold a CNAME)`;
}
