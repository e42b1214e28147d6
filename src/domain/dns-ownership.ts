import { ErrorCode, UserFacingError } from '../errors.js';

/**
 * The TXT record that marks a DNS name as owned, the way ExternalDNS's TXT registry marks what it manages:
 * `"heritage=external-dns,external-dns/owner=<owner id>,external-dns/resource=<kind>/<namespace>/<name>"`
 * at the same name as the record it owns. The bot writes it next to every record it creates and deletes
 * only records whose TXT names its owner id, so it never removes what a person or another bot made (and
 * an ExternalDNS with the same owner id would adopt the records instead of fighting over them).
 */

export interface OwnedResource {
  /** The Kubernetes kind, written lower-case as ExternalDNS does: `ingress`, `httproute`. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface DnsOwnership {
  readonly ownerId: string;
  /** `<kind>/<namespace>/<name>`, when the record says. */
  readonly resource: string | undefined;
}

const HERITAGE = 'external-dns';
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** The TXT value, quoted as Route 53 wants TXT values. Refuses an owner id or a resource the format cannot carry. */
export function ownershipTxtValue(ownerId: string, resource: OwnedResource): string {
  if (!SAFE.test(ownerId)) {
    throw new UserFacingError(
      ErrorCode.NotConfigured,
      `The DNS owner id \`${ownerId.slice(0, 40)}\` cannot go into an ownership record.`,
      'Use letters, digits, dots, colons, hyphens and underscores (at most 100), as for ExternalDNS’s --txt-owner-id.',
    );
  }
  const parts = [resource.kind.toLowerCase(), resource.namespace, resource.name];
  if (parts.some((part) => !SAFE.test(part))) {
    throw new UserFacingError(ErrorCode.BadInput, `The resource ${parts.join('/').slice(0, 120)} cannot go into an ownership record.`);
  }
  return `"heritage=${HERITAGE},external-dns/owner=${ownerId},external-dns/resource=${parts.join('/')}"`;
}

/**
 * Reads an ownership TXT value (quoted or not, one string or several that Route 53 shows as `"a" "b"`).
 * Undefined when the value is not an ExternalDNS-style ownership record.
 */
export function parseOwnershipTxt(value: string): DnsOwnership | undefined {
  const strings = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '');
  const text = (strings.length > 0 ? strings.join('') : value).trim();
  const fields = new Map<string, string>();
  for (const field of text.split(',')) {
    const cut = field.indexOf('=');
    if (cut > 0) fields.set(field.slice(0, cut).trim(), field.slice(cut + 1).trim());
  }
  const ownerId = fields.get('external-dns/owner');
  if (fields.get('heritage') !== HERITAGE || ownerId === undefined || ownerId === '') return undefined;
  return { ownerId, resource: fields.get('external-dns/resource') };
}

/** The ownership records among TXT values, and whether one of them names this owner id. */
export function ownershipOf(txtValues: readonly string[], ownerId: string): { readonly owners: readonly string[]; readonly ours: boolean } {
  const owners = [...new Set(txtValues.flatMap((value) => parseOwnershipTxt(value)?.ownerId ?? []))];
  return { owners, ours: owners.includes(ownerId) };
}

/** Record types that clash with (or would be overwritten by) the bot's alias A record and its TXT at a name. */
export const BLOCKING_RECORD_TYPES: ReadonlySet<string> = new Set(['A', 'AAAA', 'CNAME', 'TXT']);

/** Whether the TXT records among a name's record sets mark them as this owner's. */
export function ownsRecords(records: readonly { readonly type: string; readonly values: readonly string[] }[], ownerId: string): boolean {
  const txt = records.filter((record) => record.type === 'TXT').flatMap((record) => record.values);
  return ownershipOf(txt, ownerId).ours;
}
