import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  type ListHostedZonesByNameCommandOutput,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type Route53Client,
  type ResourceRecordSet as SdkRecordSet,
} from '@aws-sdk/client-route-53';
import { BLOCKING_RECORD_TYPES, type OwnedResource, ownershipOf, ownershipTxtValue } from '../../domain/dns-ownership.js';
import {
  chooseHostedZone,
  type HostedZoneSummary,
  isInZone,
  normaliseZoneId,
  normaliseZoneName,
  type ZoneChoice,
  zoneNameCandidates,
  zonesHolding,
} from '../../domain/hosted-zone.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import { toAwsUserError } from './aws-errors.js';

/** A record set at one name, as Route 53 holds it (kept whole, so a DELETE can match it exactly). */
export interface RecordSet {
  /** As Route 53 answers it: lower case, trailing dot, `\052` for `*`. */
  readonly name: string;
  readonly type: string;
  readonly setIdentifier: string | undefined;
  readonly ttl: number | undefined;
  readonly values: readonly string[];
  readonly aliasTarget: { readonly dnsName: string; readonly hostedZoneId: string; readonly evaluateTargetHealth: boolean } | undefined;
}

/** A submitted change: PENDING until Route 53's name servers all have it, then INSYNC. */
export interface DnsChange {
  readonly id: string;
  readonly status: string;
}

export interface AliasRecordRequest {
  readonly zone: HostedZoneSummary;
  readonly host: string;
  /** The NLB: its DNS name and its CanonicalHostedZoneId (from ELBv2). */
  readonly target: { readonly dnsName: string; readonly canonicalHostedZoneId: string };
  /** The bot's owner id (as ExternalDNS's --txt-owner-id). */
  readonly ownerId: string;
  /** The route the record is for: named in the ownership TXT record. */
  readonly resource: OwnedResource;
}

/** route53:ListHostedZonesByName, route53:ListResourceRecordSets, route53:GetChange. */
export interface Route53Reader {
  /** The zone that should hold the host's records (see chooseHostedZone); undefined when no allowed zone does. */
  findHostedZone(host: string, choice?: ZoneChoice): Promise<HostedZoneSummary | undefined>;
  /** Every record set at exactly this name. */
  readRecords(zoneId: string, name: string): Promise<RecordSet[]>;
  getChange(changeId: string): Promise<DnsChange>;
}

/** route53:ChangeResourceRecordSets, only ever on names the bot owns or that are empty. */
export interface Route53Writer {
  /**
   * An alias A record to the NLB and the ownership TXT record, in one change batch of two CREATEs. Refuses
   * (Conflict) when an A, AAAA, CNAME or TXT record is already at the name: it never replaces a record.
   */
  createAliasRecord(request: AliasRecordRequest): Promise<DnsChange>;
  /**
   * Deletes the A record and the TXT record at the name in one batch, exactly as read, when the TXT record
   * names this owner id; refuses (NotManaged) otherwise.
   */
  deleteOwnedRecords(request: { readonly zone: HostedZoneSummary; readonly host: string; readonly ownerId: string }): Promise<DnsChange>;
}

const ZONES_PER_CALL = 20;
const RECORDS_PER_CALL = 100;
const OWNERSHIP_TTL_SECONDS = 300;

export class Route53Gateway implements Route53Reader, Route53Writer {
  constructor(private readonly client: Route53Client) {}

  async findHostedZone(host: string, choice: ZoneChoice = {}): Promise<HostedZoneSummary | undefined> {
    // Longest name first: the first name that has a zone is the most specific one, and the only one that may
    // hold the host's records (allowed or not: a parent zone's records below it would be shadowed).
    for (const candidate of zoneNameCandidates(host)) {
      const zones = await this.zonesNamed(candidate);
      if (zonesHolding(host, zones, choice.visibility).length > 0) return chooseHostedZone(host, zones, choice);
    }
    return undefined;
  }

  async readRecords(zoneId: string, name: string): Promise<RecordSet[]> {
    const wanted = normaliseZoneName(name);
    const records: RecordSet[] = [];
    let start: { name: string; type: string | undefined; identifier: string | undefined } | undefined = {
      name,
      type: undefined,
      identifier: undefined,
    };
    while (start !== undefined) {
      const output: ListResourceRecordSetsCommandOutput = await this.send('ListResourceRecordSets', () =>
        this.client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: normaliseZoneId(zoneId),
            StartRecordName: start?.name,
            ...(start?.type === undefined ? {} : { StartRecordType: start.type as 'A' }),
            ...(start?.identifier === undefined ? {} : { StartRecordIdentifier: start.identifier }),
            MaxItems: RECORDS_PER_CALL,
          }),
        ),
      );
      const page = output.ResourceRecordSets ?? [];
      const here = page.filter((record) => normaliseZoneName(record.Name ?? '') === wanted);
      records.push(...here.map(toRecordSet));
      // Sorted by name: once a page holds another name, or there is no more, every record at this name is read.
      const next = output.NextRecordName;
      const more = output.IsTruncated === true && next !== undefined && here.length === page.length && normaliseZoneName(next) === wanted;
      const following = { name: next ?? '', type: output.NextRecordType, identifier: output.NextRecordIdentifier };
      // A server that hands back the page it was asked for would make this loop forever.
      const same: boolean = following.name === start.name && following.type === start.type && following.identifier === start.identifier;
      start = more && !same ? following : undefined;
    }
    return records;
  }

  async getChange(changeId: string): Promise<DnsChange> {
    const output = await this.send('GetChange', () => this.client.send(new GetChangeCommand({ Id: changeId.replace(/^\/?change\//, '') })));
    return { id: stripChange(output.ChangeInfo?.Id ?? changeId), status: output.ChangeInfo?.Status ?? 'unknown' };
  }

  async createAliasRecord(request: AliasRecordRequest): Promise<DnsChange> {
    const { zone, host, target } = request;
    this.assertInZone(host, zone);
    const txt = ownershipTxtValue(request.ownerId, request.resource);
    const existing = (await this.readRecords(zone.id, host)).filter((record) => BLOCKING_RECORD_TYPES.has(record.type));
    if (existing.length > 0) {
      throw new UserFacingError(
        ErrorCode.Conflict,
        `${host} already has records in the Route 53 zone ${zone.name} (${zone.id}): ` +
          `${existing.map(describeRecord).join('; ')}. Nothing was changed.`,
        'The bot never replaces DNS records: remove them in Route 53 first if they are stale, or point them at the NLB yourself.',
      );
    }
    const changes: Change[] = [
      {
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: host,
          Type: 'A',
          AliasTarget: { DNSName: target.dnsName, HostedZoneId: target.canonicalHostedZoneId, EvaluateTargetHealth: true },
        },
      },
      { Action: 'CREATE', ResourceRecordSet: { Name: host, Type: 'TXT', TTL: OWNERSHIP_TTL_SECONDS, ResourceRecords: [{ Value: txt }] } },
    ];
    return this.change(zone, host, changes, `nlb-ingress-bot: ${host} -> ${target.dnsName}`);
  }

  async deleteOwnedRecords(request: {
    readonly zone: HostedZoneSummary;
    readonly host: string;
    readonly ownerId: string;
  }): Promise<DnsChange> {
    const { zone, host, ownerId } = request;
    this.assertInZone(host, zone);
    const records = await this.readRecords(zone.id, host);
    const txt = records.find((record) => record.type === 'TXT' && record.setIdentifier === undefined);
    const ownership = ownershipOf(txt?.values ?? [], ownerId);
    if (txt === undefined || !ownership.ours) {
      const found =
        ownership.owners.length > 0 ? `its TXT record names the owner ${ownership.owners.join(', ')}` : 'it has no ownership TXT record';
      throw new UserFacingError(
        ErrorCode.NotManaged,
        `The bot did not create the records at ${host} in ${zone.name}: ${found}, not external-dns/owner=${ownerId}. Nothing was deleted.`,
        'Delete them in Route 53 yourself if they should go.',
      );
    }
    const alias = records.find((record) => record.type === 'A' && record.setIdentifier === undefined);
    const changes: Change[] = [...(alias === undefined ? [] : [alias]), txt].map((record) => ({
      Action: 'DELETE',
      ResourceRecordSet: toSdkRecordSet(record),
    }));
    return this.change(zone, host, changes, `nlb-ingress-bot: remove ${host}`);
  }

  /** Every zone with exactly this name (public and private zones may share one), read in pages. */
  private async zonesNamed(name: string): Promise<HostedZoneSummary[]> {
    const zones: HostedZoneSummary[] = [];
    let start: { name: string; id: string | undefined } | undefined = { name, id: undefined };
    while (start !== undefined) {
      const { name: dnsName, id } = start;
      const output: ListHostedZonesByNameCommandOutput = await this.send('ListHostedZonesByName', () =>
        this.client.send(
          new ListHostedZonesByNameCommand({
            DNSName: dnsName,
            ...(id === undefined ? {} : { HostedZoneId: id }),
            MaxItems: ZONES_PER_CALL,
          }),
        ),
      );
      const page = output.HostedZones ?? [];
      const named = page.filter((zone) => normaliseZoneName(zone.Name ?? '') === name);
      zones.push(
        ...named.map((zone) => ({
          id: normaliseZoneId(zone.Id ?? ''),
          name: normaliseZoneName(zone.Name ?? ''),
          privateZone: zone.Config?.PrivateZone === true,
        })),
      );
      // Zones come in name order: the name's zones are done once a page reaches another name.
      const next = output.NextDNSName;
      const more = output.IsTruncated === true && next !== undefined && named.length === page.length && normaliseZoneName(next) === name;
      const following = { name: next ?? '', id: output.NextHostedZoneId };
      start = more && (following.name !== start.name || following.id !== start.id) ? following : undefined;
    }
    return zones;
  }

  private async change(zone: HostedZoneSummary, host: string, changes: Change[], comment: string): Promise<DnsChange> {
    try {
      const output = await this.client.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.id, ChangeBatch: { Comment: comment, Changes: changes } }),
      );
      return { id: stripChange(output.ChangeInfo?.Id ?? ''), status: output.ChangeInfo?.Status ?? 'unknown' };
    } catch (error) {
      // Atomic on Route 53's side: nothing of the batch was applied. It changed between our read and our write.
      if (error instanceof Error && error.name === 'InvalidChangeBatch') {
        throw new UserFacingError(
          ErrorCode.Conflict,
          `Route 53 refused the change at ${host} in ${zone.name}, so nothing was changed: ${shorten(error.message)}`,
          'Someone changed the records at that name meanwhile: look at the zone, then try again.',
          { cause: error },
        );
      }
      throw toAwsUserError(error, 'ChangeResourceRecordSets');
    }
  }

  private assertInZone(host: string, zone: HostedZoneSummary): void {
    if (!isInZone(host, zone.name)) {
      throw new UserFacingError(ErrorCode.BadInput, `${host} is not in the Route 53 zone ${zone.name} (${zone.id}).`);
    }
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toAwsUserError(error, operation);
    }
  }
}

function toRecordSet(record: SdkRecordSet): RecordSet {
  const alias = record.AliasTarget;
  return {
    name: record.Name ?? '',
    type: record.Type ?? '',
    setIdentifier: record.SetIdentifier,
    ttl: record.TTL,
    values: (record.ResourceRecords ?? []).flatMap((entry) => (entry.Value === undefined ? [] : [entry.Value])),
    aliasTarget:
      alias === undefined
        ? undefined
        : {
            dnsName: alias.DNSName ?? '',
            hostedZoneId: alias.HostedZoneId ?? '',
            evaluateTargetHealth: alias.EvaluateTargetHealth === true,
          },
  };
}

function toSdkRecordSet(record: RecordSet): SdkRecordSet {
  return {
    Name: record.name,
    Type: record.type as 'A',
    ...(record.setIdentifier === undefined ? {} : { SetIdentifier: record.setIdentifier }),
    ...(record.ttl === undefined ? {} : { TTL: record.ttl }),
    ...(record.aliasTarget === undefined
      ? { ResourceRecords: record.values.map((Value) => ({ Value })) }
      : {
          AliasTarget: {
            DNSName: record.aliasTarget.dnsName,
            HostedZoneId: record.aliasTarget.hostedZoneId,
            EvaluateTargetHealth: record.aliasTarget.evaluateTargetHealth,
          },
        }),
  };
}

/** What is at a name, for the refusal: `A alias to x`, `CNAME y`, `TXT "z"`. Shortened: the values come from DNS. */
function describeRecord(record: RecordSet): string {
  if (record.aliasTarget !== undefined) return `${record.type} alias to ${shorten(record.aliasTarget.dnsName)}`;
  return `${record.type} ${shorten(record.values.join(' '))}`;
}

function stripChange(id: string): string {
  return id.replace(/^\/?change\//, '');
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
