/** A Route 53 hosted zone as the bot needs it to place a record. */
export interface HostedZoneSummary {
  /** Without the `/hostedzone/` prefix. */
  readonly id: string;
  /** Lower case, without the trailing dot. */
  readonly name: string;
  readonly privateZone: boolean;
}

export type ZoneVisibility = 'public' | 'private';

export interface ZoneChoice {
  /** ROUTE53_ZONE_IDS: when not empty, only these zones may receive records. */
  readonly allowedZoneIds?: readonly string[];
  /** Only zones of this kind; when absent, either, a public zone winning over a private zone of the same name. */
  readonly visibility?: ZoneVisibility;
}

/** Route 53 IDs come as `/hostedzone/Z123` or `Z123`. */
export function normaliseZoneId(id: string): string {
  return id.trim().replace(/^\/?hostedzone\//, '');
}

/** Lower case, no trailing dot, Route 53's `\ddd` escapes decoded. */
export function normaliseZoneName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/\\(\d{3})/g, (_escape, code: string) => String.fromCharCode(Number.parseInt(code, 8)));
}

/** Whether `host` is the zone's apex or a name below it, on a label boundary (`myexample.com` is not in `example.com`). */
export function isInZone(host: string, zoneName: string): boolean {
  const name = normaliseZoneName(host);
  const zone = normaliseZoneName(zoneName);
  return zone !== '' && (name === zone || name.endsWith(`.${zone}`));
}

/** The names a zone for `host` could have, longest first: `a.b.example.com`, `b.example.com`, `example.com`, `com`. */
export function zoneNameCandidates(host: string): string[] {
  const labels = normaliseZoneName(host)
    .split('.')
    .filter((label) => label !== '');
  return labels.map((_label, index) => labels.slice(index).join('.'));
}

/**
 * The zone that holds `host`'s records: the longest zone name that is `host` or a suffix of it on a label
 * boundary (of the wanted visibility). Only that zone may receive the records: a parent zone would be shadowed by
 * it (its delegation hides the parent's records of names below it), so when no zone of that name is allowed
 * (ROUTE53_ZONE_IDS), there is none. Several zones of that name (split-horizon DNS) go to the public one unless
 * `visibility` asks otherwise; then to the lowest ID, so the choice is stable.
 */
export function chooseHostedZone(
  host: string,
  zones: readonly HostedZoneSummary[],
  choice: ZoneChoice = {},
): HostedZoneSummary | undefined {
  const allowed = new Set((choice.allowedZoneIds ?? []).map(normaliseZoneId));
  const holding = zonesHolding(host, zones, choice.visibility);
  const length = (zone: HostedZoneSummary) => normaliseZoneName(zone.name).length;
  const longest = Math.max(0, ...holding.map(length));
  const candidates = holding.filter((zone) => length(zone) === longest && (allowed.size === 0 || allowed.has(normaliseZoneId(zone.id))));
  return [...candidates].sort(
    (a, b) => Number(a.privateZone) - Number(b.privateZone) || normaliseZoneId(a.id).localeCompare(normaliseZoneId(b.id)),
  )[0];
}

/** The zones whose names hold `host` (apex or below, on a label boundary), of the wanted visibility when given. */
export function zonesHolding(host: string, zones: readonly HostedZoneSummary[], visibility?: ZoneVisibility): HostedZoneSummary[] {
  return zones.filter((zone) => isInZone(host, zone.name) && (visibility === undefined || zone.privateZone === (visibility === 'private')));
}
