import { randomUUID } from 'node:crypto';
import type { StandInExchange } from './aws-exchange.js';

/**
 * Route 53's REST/XML API (`/2013-04-01/...`) as @aws-sdk/client-route-53 calls it, for the AWS stand-in
 * (aws-api-server.ts dispatches every path under /2013-04-01/ here): ListHostedZonesByName and
 * ListResourceRecordSets with Route 53's order (names with their labels reversed) and paging,
 * ChangeResourceRecordSets applied atomically with Route 53's InvalidChangeBatch messages (a CREATE of an
 * existing name and type, a DELETE that does not match the record exactly, CNAME conflicts, unquoted TXT
 * values), and GetChange (a change is PENDING for its first GetChange, then INSYNC).
 */

export const ROUTE53_PATH_PREFIX = '/2013-04-01/';
const NAMESPACE = 'https://route53.amazonaws.com/doc/2013-04-01/';

export interface StandInAliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface StandInRecordSet {
  /** Lower case with a trailing dot, `*` written `\052`, as Route 53 answers it (standInRecordName makes one). */
  name: string;
  type: string;
  setIdentifier?: string;
  ttl?: number;
  values?: string[];
  aliasTarget?: StandInAliasTarget;
}

export interface StandInHostedZone {
  /** Without the `/hostedzone/` prefix. */
  id: string;
  /** With a trailing dot. */
  name: string;
  privateZone: boolean;
  records: StandInRecordSet[];
}

export interface StandInChange {
  id: string;
  submittedAt: Date;
  comment?: string;
  /** GetChange answers PENDING this many more times, then INSYNC. */
  pendingReads: number;
}

export interface Route53World {
  hostedZones: StandInHostedZone[];
  changes: StandInChange[];
}

export function emptyRoute53World(): Route53World {
  return { hostedZones: [], changes: [] };
}

/** A hosted zone as Route 53 creates it: with its SOA and NS records at the apex. */
export function standInHostedZone(options: {
  id: string;
  name: string;
  privateZone?: boolean;
  records?: StandInRecordSet[];
}): StandInHostedZone {
  const name = standInRecordName(options.name);
  return {
    id: options.id,
    name,
    privateZone: options.privateZone ?? false,
    records: [
      { name, type: 'NS', ttl: 172800, values: ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.co.uk.'] },
      { name, type: 'SOA', ttl: 900, values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'] },
      ...(options.records ?? []).map((record) => ({ ...record, name: standInRecordName(record.name) })),
    ],
  };
}

export function standInRecordName(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\*/g, '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

export function route53Exchange(world: Route53World, method: string, url: URL, body: string): StandInExchange {
  const path = url.pathname.slice(ROUTE53_PATH_PREFIX.length).replace(/\/$/, '');
  const query = Object.fromEntries(url.searchParams.entries());
  const parts = path.split('/');
  if (method === 'GET' && path === 'hostedzonesbyname') {
    return { action: 'ListHostedZonesByName', params: query, serve: () => listHostedZonesByName(world, query) };
  }
  if (method === 'GET' && parts[0] === 'hostedzone' && parts[2] === 'rrset' && parts.length === 3) {
    const zoneId = parts[1] ?? '';
    return {
      action: 'ListResourceRecordSets',
      params: { HostedZoneId: zoneId, ...query },
      serve: () => listRecordSets(world, zoneId, query),
    };
  }
  if (method === 'POST' && parts[0] === 'hostedzone' && parts[2] === 'rrset' && parts.length === 3) {
    const zoneId = parts[1] ?? '';
    const parsed = parseChangeBatch(body);
    const params = {
      HostedZoneId: zoneId,
      Changes: parsed.changes.map(({ action, record }) => ({ action, name: record.name, type: record.type })),
    };
    return { action: 'ChangeResourceRecordSets', params, serve: () => changeRecordSets(world, zoneId, parsed) };
  }
  if (method === 'GET' && parts[0] === 'change' && parts.length === 2) {
    const changeId = parts[1] ?? '';
    return { action: 'GetChange', params: { Id: changeId }, serve: () => getChange(world, changeId) };
  }
  return {
    action: 'Unknown',
    params: { method, path },
    serve: () => failure(400, 'InvalidAction', `The stand-in does not serve ${method} ${url.pathname}`),
  };
}

export function route53ErrorXml(code: string, message: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function failure(status: number, code: string, message: string): { status: number; body: string } {
  return { status, body: route53ErrorXml(code, message) };
}

function ok(root: string, inner: string): { status: number; body: string } {
  return { status: 200, body: `<?xml version="1.0"?>\n<${root} xmlns="${NAMESPACE}">${inner}</${root}>` };
}

/** Route 53's order: names with their labels reversed (com.example.www), then type. */
function reversedName(name: string): string {
  return name.replace(/\.$/, '').split('.').reverse().join('.');
}

function compareNames(a: string, b: string): number {
  const left = reversedName(a);
  const right = reversedName(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function listHostedZonesByName(world: Route53World, query: Record<string, string>): { status: number; body: string } {
  const dnsName = query['dnsname'];
  const startId = query['hostedzoneid'];
  if (startId !== undefined && dnsName === undefined) return failure(400, 'InvalidInput', 'hostedzoneid requires dnsname');
  const maxItems = Math.min(100, Number.parseInt(query['maxitems'] ?? '100', 10) || 100);
  const sorted = [...world.hostedZones].sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
  const start = dnsName === undefined ? undefined : standInRecordName(dnsName);
  const from =
    start === undefined
      ? 0
      : sorted.findIndex((zone) => {
          const order = compareNames(zone.name, start);
          return order > 0 || (order === 0 && (startId === undefined || zone.id.localeCompare(startId) >= 0));
        });
  const rest = from < 0 ? [] : sorted.slice(from);
  const page = rest.slice(0, maxItems);
  const next = rest[maxItems];
  const zones = page
    .map(
      (zone) =>
        `<HostedZone><Id>/hostedzone/${zone.id}</Id><Name>${escapeXml(zone.name)}</Name><CallerReference>${zone.id}-ref</CallerReference>` +
        `<Config><PrivateZone>${zone.privateZone}</PrivateZone></Config><ResourceRecordSetCount>${zone.records.length}</ResourceRecordSetCount>` +
        '</HostedZone>',
    )
    .join('');
  return ok(
    'ListHostedZonesByNameResponse',
    `<HostedZones>${zones}</HostedZones>` +
      (start === undefined ? '' : `<DNSName>${escapeXml(start)}</DNSName>`) +
      (startId === undefined ? '' : `<HostedZoneId>${escapeXml(startId)}</HostedZoneId>`) +
      `<IsTruncated>${next !== undefined}</IsTruncated>` +
      (next === undefined ? '' : `<NextDNSName>${escapeXml(next.name)}</NextDNSName><NextHostedZoneId>${next.id}</NextHostedZoneId>`) +
      `<MaxItems>${maxItems}</MaxItems>`,
  );
}

function findZone(world: Route53World, zoneId: string): StandInHostedZone | undefined {
  return world.hostedZones.find((zone) => zone.id === zoneId.replace(/^\/?hostedzone\//, ''));
}

function compareRecords(a: StandInRecordSet, b: StandInRecordSet): number {
  return compareNames(a.name, b.name) || a.type.localeCompare(b.type) || (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? '');
}

function listRecordSets(world: Route53World, zoneId: string, query: Record<string, string>): { status: number; body: string } {
  const zone = findZone(world, zoneId);
  if (zone === undefined) return failure(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`);
  const name = query['name'];
  const type = query['type'];
  const identifier = query['identifier'];
  if (type !== undefined && name === undefined) return failure(400, 'InvalidInput', 'The input is not valid: type requires name');
  if (identifier !== undefined && type === undefined)
    return failure(400, 'InvalidInput', 'The input is not valid: identifier requires type');
  const maxItems = Math.min(300, Number.parseInt(query['maxitems'] ?? '300', 10) || 300);
  const sorted = [...zone.records].sort(compareRecords);
  const start = name === undefined ? undefined : standInRecordName(name);
  const from =
    start === undefined
      ? 0
      : sorted.findIndex((record) => {
          const order = compareNames(record.name, start) || (type === undefined ? 0 : record.type.localeCompare(type));
          return order > 0 || (order === 0 && (identifier === undefined || (record.setIdentifier ?? '').localeCompare(identifier) >= 0));
        });
  const rest = from < 0 ? [] : sorted.slice(from);
  const page = rest.slice(0, maxItems);
  const next = rest[maxItems];
  return ok(
    'ListResourceRecordSetsResponse',
    `<ResourceRecordSets>${page.map(recordXml).join('')}</ResourceRecordSets><IsTruncated>${next !== undefined}</IsTruncated>` +
      (next === undefined
        ? ''
        : `<NextRecordName>${escapeXml(next.name)}</NextRecordName><NextRecordType>${next.type}</NextRecordType>` +
          (next.setIdentifier === undefined ? '' : `<NextRecordIdentifier>${escapeXml(next.setIdentifier)}</NextRecordIdentifier>`)) +
      `<MaxItems>${maxItems}</MaxItems>`,
  );
}

function recordXml(record: StandInRecordSet): string {
  const alias = record.aliasTarget;
  return (
    `<ResourceRecordSet><Name>${escapeXml(record.name)}</Name><Type>${record.type}</Type>` +
    (record.setIdentifier === undefined ? '' : `<SetIdentifier>${escapeXml(record.setIdentifier)}</SetIdentifier>`) +
    (record.ttl === undefined ? '' : `<TTL>${record.ttl}</TTL>`) +
    (record.values === undefined
      ? ''
      : `<ResourceRecords>${record.values.map((value) => `<ResourceRecord><Value>${escapeXml(value)}</Value></ResourceRecord>`).join('')}</ResourceRecords>`) +
    (alias === undefined
      ? ''
      : `<AliasTarget><HostedZoneId>${escapeXml(alias.hostedZoneId)}</HostedZoneId><DNSName>${escapeXml(alias.dnsName)}</DNSName>` +
        `<EvaluateTargetHealth>${alias.evaluateTargetHealth}</EvaluateTargetHealth></AliasTarget>`) +
    '</ResourceRecordSet>'
  );
}

interface ParsedChanges {
  readonly changes: ReadonlyArray<{ action: string; record: StandInRecordSet }>;
  readonly comment: string | undefined;
  readonly error: string | undefined;
}

function parseChangeBatch(body: string): ParsedChanges {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    return { changes: [], comment: undefined, error: String(error) };
  }
  if (root.name !== 'ChangeResourceRecordSetsRequest') {
    return { changes: [], comment: undefined, error: 'ChangeBatch is not valid, expected ChangeResourceRecordSetsRequest' };
  }
  const batch = child(root, 'ChangeBatch');
  const changes = children(child(batch, 'Changes'), 'Change').map((change) => {
    const set = child(change, 'ResourceRecordSet');
    const alias = child(set, 'AliasTarget');
    const ttl = text(child(set, 'TTL'));
    const setIdentifier = text(child(set, 'SetIdentifier'));
    const values = children(child(set, 'ResourceRecords'), 'ResourceRecord').map((entry) => text(child(entry, 'Value')) ?? '');
    const record: StandInRecordSet = {
      name: standInRecordName(text(child(set, 'Name')) ?? ''),
      type: text(child(set, 'Type')) ?? '',
      ...(setIdentifier === undefined ? {} : { setIdentifier }),
      ...(ttl === undefined ? {} : { ttl: Number(ttl) }),
      ...(child(set, 'ResourceRecords') === undefined ? {} : { values }),
      ...(alias === undefined
        ? {}
        : {
            aliasTarget: {
              hostedZoneId: text(child(alias, 'HostedZoneId')) ?? '',
              dnsName: standInRecordName(text(child(alias, 'DNSName')) ?? ''),
              evaluateTargetHealth: text(child(alias, 'EvaluateTargetHealth')) === 'true',
            },
          }),
    };
    return { action: text(child(change, 'Action')) ?? '', record };
  });
  return { changes, comment: text(child(batch, 'Comment')), error: undefined };
}

function sameRecord(a: StandInRecordSet, b: StandInRecordSet): boolean {
  return a.name === b.name && a.type === b.type && (a.setIdentifier ?? '') === (b.setIdentifier ?? '');
}

function sameContent(a: StandInRecordSet, b: StandInRecordSet): boolean {
  const values = (record: StandInRecordSet) => JSON.stringify([...(record.values ?? [])].sort());
  const alias = (record: StandInRecordSet) =>
    record.aliasTarget === undefined
      ? ''
      : JSON.stringify([record.aliasTarget.hostedZoneId, record.aliasTarget.dnsName, record.aliasTarget.evaluateTargetHealth]);
  return a.ttl === b.ttl && values(a) === values(b) && alias(a) === alias(b);
}

function changeRecordSets(world: Route53World, zoneId: string, parsed: ParsedChanges): { status: number; body: string } {
  const zone = findZone(world, zoneId);
  if (zone === undefined) return failure(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`);
  if (parsed.error !== undefined) return failure(400, 'MalformedInput', parsed.error);
  if (parsed.changes.length === 0) return failure(400, 'InvalidInput', 'The input is not valid: ChangeBatch.Changes is empty');
  // Atomic: the changes apply to a copy, which replaces the zone's records only when every change is valid.
  const records = [...zone.records];
  const problems: string[] = [];
  for (const { action, record } of parsed.changes) {
    const label = `[name='${record.name}', type='${record.type}'${record.setIdentifier === undefined ? '' : `, set-identifier='${record.setIdentifier}'`}]`;
    const problem = invalidRecord(zone, record);
    if (problem !== undefined && action !== 'DELETE') {
      problems.push(problem);
      continue;
    }
    const index = records.findIndex((existing) => sameRecord(existing, record));
    const existing = index < 0 ? undefined : records[index];
    if (action === 'CREATE' || action === 'UPSERT') {
      if (action === 'CREATE' && existing !== undefined) {
        problems.push(`Tried to create resource record set ${label} but it already exists`);
        continue;
      }
      const conflict = cnameConflict(zone, records, record);
      if (conflict !== undefined) {
        problems.push(conflict);
        continue;
      }
      if (existing === undefined) records.push(record);
      else records[index] = record;
    } else if (action === 'DELETE') {
      if (existing === undefined) problems.push(`Tried to delete resource record set ${label} but it was not found`);
      else if (!sameContent(existing, record))
        problems.push(`Tried to delete resource record set ${label} but the values provided do not match the current values`);
      else records.splice(index, 1);
    } else {
      return failure(400, 'InvalidInput', `Invalid XML ; Action ${action} is not one of CREATE, DELETE, UPSERT`);
    }
  }
  if (problems.length > 0) return failure(400, 'InvalidChangeBatch', `[${problems.join(', ')}]`);
  zone.records = records;
  const change: StandInChange = {
    id: `C${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`,
    submittedAt: new Date(),
    ...(parsed.comment === undefined ? {} : { comment: parsed.comment }),
    pendingReads: 1,
  };
  world.changes.push(change);
  return ok('ChangeResourceRecordSetsResponse', changeInfoXml(change, 'PENDING'));
}

function invalidRecord(zone: StandInHostedZone, record: StandInRecordSet): string | undefined {
  if (record.name !== zone.name && !record.name.endsWith(`.${zone.name}`)) {
    return `RRSet with DNS name ${record.name} is not permitted in zone ${zone.name}`;
  }
  if (record.aliasTarget !== undefined && (record.ttl !== undefined || record.values !== undefined)) {
    return `Invalid Resource Record: an alias record ${record.name} must not have a TTL or resource records`;
  }
  if (record.aliasTarget === undefined && (record.values === undefined || record.values.length === 0 || record.ttl === undefined)) {
    return `Invalid Resource Record: ${record.name} needs a TTL and at least one resource record`;
  }
  if (record.type === 'TXT' && (record.values ?? []).some((value) => !/^".*"$/s.test(value))) {
    return (
      'Invalid Resource Record: FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with ' +
      `'${record.values?.[0] ?? ''}'`
    );
  }
  return undefined;
}

function cnameConflict(zone: StandInHostedZone, records: readonly StandInRecordSet[], record: StandInRecordSet): string | undefined {
  const others = records.filter((existing) => existing.name === record.name && !sameRecord(existing, record));
  if (record.type === 'CNAME' && others.length > 0) {
    return `RRSet of type CNAME with DNS name ${record.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`;
  }
  if (record.type !== 'CNAME' && others.some((existing) => existing.type === 'CNAME')) {
    return (
      `RRSet of type ${record.type} with DNS name ${record.name} is not permitted because a conflicting RRSet of type CNAME ` +
      `with the same DNS name already exists in zone ${zone.name}`
    );
  }
  return undefined;
}

function getChange(world: Route53World, changeId: string): { status: number; body: string } {
  const change = world.changes.find((candidate) => candidate.id === changeId.replace(/^\/?change\//, ''));
  if (change === undefined) return failure(404, 'NoSuchChange', `A change with the specified change ID does not exist: ${changeId}`);
  const status = change.pendingReads > 0 ? 'PENDING' : 'INSYNC';
  change.pendingReads = Math.max(0, change.pendingReads - 1);
  return ok('GetChangeResponse', changeInfoXml(change, status));
}

function changeInfoXml(change: StandInChange, status: string): string {
  return (
    `<ChangeInfo><Id>/change/${change.id}</Id><Status>${status}</Status><SubmittedAt>${change.submittedAt.toISOString()}</SubmittedAt>` +
    (change.comment === undefined ? '' : `<Comment>${escapeXml(change.comment)}</Comment>`) +
    '</ChangeInfo>'
  );
}

/** Just enough XML for the SDK's request bodies: elements and text, attributes ignored, no CDATA. */
interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tokens = /<\?[^>]*\?>|<!--[\s\S]*?-->|<\/([^>\s]+)\s*>|<([^>\s/]+)[^>]*?(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(tokens)) {
    const [, closing, opening, selfClosing, content] = match;
    const current = stack[stack.length - 1];
    if (current === undefined) throw new Error('unbalanced XML');
    if (closing !== undefined) {
      if (current.name !== closing) throw new Error(`unexpected </${closing}>`);
      stack.pop();
    } else if (opening !== undefined) {
      const element: XmlElement = { name: opening, children: [], text: '' };
      current.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    } else if (content !== undefined) {
      current.text += decodeXml(content);
    }
  }
  const [first] = root.children;
  if (stack.length !== 1 || first === undefined) throw new Error('the body is not one XML document');
  return first;
}

function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((candidate) => candidate.name === name) ?? [];
}

function text(element: XmlElement | undefined): string | undefined {
  return element === undefined ? undefined : element.text.trim();
}

function decodeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_entity, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return named[name.toLowerCase()] ?? '';
  });
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
