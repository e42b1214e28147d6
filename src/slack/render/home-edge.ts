import type { KnownBlock } from '@slack/types';
import type { ExposedHost } from '../../commands/expose-list.js';
import type { IpsResult } from '../../commands/ips.js';
import { daysUntilExpiry } from '../../domain/certificate.js';
import type { HealthReport } from '../../domain/health-report.js';
import { isUserFacingError } from '../../errors.js';
import { codeBlocks, context, divider, escapeMrkdwn, header, section } from './blocks.js';
import { listenersOf, ratio, verdictEmoji, verdictLabel } from './health-text.js';

/** A read that failed: a UserFacingError's message and hint, or for anything else only where to find it in the log. */
export interface Failure {
  readonly failed: true;
  readonly message: string;
  readonly hint: string | undefined;
}

/** What the App Home shows of one edge; each read may have failed on its own. */
export interface EdgeHome {
  readonly name: string;
  readonly region: string;
  readonly ips: IpsResult | Failure;
  readonly health: HealthReport | Failure;
  readonly hosts: readonly ExposedHost[] | Failure;
}

export function failureOf(error: unknown, errorId: string): Failure {
  if (isUserFacingError(error)) return { failed: true, message: error.message, hint: error.hint };
  return { failed: true, message: 'could not be read', hint: `Reference ${errorId}: the bot’s log has the details.` };
}

export function isFailure(value: object): value is Failure {
  return 'failed' in value && value.failed === true;
}

// Block Kit: a section's text holds 3000 characters. Lines are packed whole, so no markup is ever cut in half.
const TEXT_BUDGET = 3000;
const GROUPS_SHOWN = 5;
const CERTIFICATES_SHOWN = 5;
const HOSTS_SHOWN = 15;
const COPY_SECTIONS = 2;
const EXPIRY_WARNING_DAYS = 30;

/** Attention order: an edge that could not be read or is down first, then degraded, then healthy. */
export function attentionRank(edge: EdgeHome): number {
  if (isFailure(edge.health) || isFailure(edge.ips) || isFailure(edge.hosts)) return 0;
  return edge.health.verdict === 'down' ? 0 : edge.health.verdict === 'degraded' ? 1 : 2;
}

/** Every block of one edge shown in full: about seven. */
export function edgeBlocks(edge: EdgeHome, now: Date): KnownBlock[] {
  const copy = isFailure(edge.ips) ? [] : codeBlocks(edge.ips.allowList);
  const shownCopy = copy.slice(0, COPY_SECTIONS);
  const failures = failureLines(edge);
  return [
    header(`${edge.name} · ${edge.region}`),
    ...(failures.length === 0 ? [] : [section(failures.join('\n'))]),
    ...(isFailure(edge.ips) ? [] : [section(nlbLines(edge.ips).join('\n'))]),
    ...shownCopy,
    ...(shownCopy.length < copy.length ? [context(`The list continues: \`/ips ${escapeMrkdwn(edge.name)}\` shows all of it.`)] : []),
    ...(isFailure(edge.health) ? [] : [section(healthLines(edge.health, edge.name, now).join('\n'))]),
    ...(isFailure(edge.hosts) ? [] : [section(hostsText(edge.hosts, edge.name))]),
    divider(),
  ];
}

/** One line for an edge that does not fit in full. */
export function summaryLine(edge: EdgeHome, now: Date): string {
  const name = `*${escapeMrkdwn(edge.name)}* (${escapeMrkdwn(edge.region)})`;
  const failure = [edge.health, edge.ips, edge.hosts].find((read) => isFailure(read));
  if (failure !== undefined) return `• ${name}: :warning: ${escapeMrkdwn(failure.message.slice(0, 300))}`;
  const health = edge.health as HealthReport;
  const hosts = edge.hosts as readonly ExposedHost[];
  const expiring = expiringCertificates(health, now).length;
  return (
    `• ${name}: ${verdictEmoji[health.verdict]} ${verdictLabel[health.verdict]} · ${hosts.length} host(s)` +
    (expiring === 0 ? '' : ` · ${expiring} certificate(s) expiring`)
  );
}

/** The head lines, then as many of `items` as fit in one section (at most `limit`), then `more(hidden)` for the rest. */
function packLines(head: readonly string[], items: readonly string[], limit: number, more: (hidden: number) => string): string {
  const kept = [...head];
  let length = kept.join('\n').length;
  for (const item of items.slice(0, limit)) {
    const hiddenAfter = items.length - (kept.length - head.length) - 1;
    const reserve = hiddenAfter > 0 ? more(hiddenAfter).length + 1 : 0;
    if (length + 1 + item.length + reserve > TEXT_BUDGET) break;
    kept.push(item);
    length += 1 + item.length;
  }
  const hidden = items.length - (kept.length - head.length);
  return [...kept, ...(hidden > 0 ? [more(hidden)] : [])].join('\n');
}

/** The failed reads, one line each; the same failure of several reads (an unreachable cluster) is one line. */
function failureLines(edge: EdgeHome): string[] {
  const reads: Array<[string, object]> = [
    ['IPs', edge.ips],
    ['health', edge.health],
    ['hosts', edge.hosts],
  ];
  const byText = new Map<string, string[]>();
  for (const [what, read] of reads) {
    if (!isFailure(read)) continue;
    const text = `${escapeMrkdwn(read.message.slice(0, 500))}${read.hint === undefined ? '' : ` ${escapeMrkdwn(read.hint.slice(0, 500))}`}`;
    byText.set(text, [...(byText.get(text) ?? []), what]);
  }
  return [...byText].map(([text, what]) => `:warning: *${what.join(', ')}*: ${text}`);
}

function nlbLines(ips: IpsResult): string[] {
  const lb = ips.loadBalancer;
  const zones = ips.zones.map((zone) => {
    const address = zone.publicIp ?? zone.privateIp ?? '?';
    return `\`${escapeMrkdwn(address)}\` ${escapeMrkdwn(zone.zone)}${zone.allocationId === undefined ? '' : ' (Elastic IP)'}`;
  });
  const warning =
    ips.addressKind === 'aws-assigned' || ips.addressKind === 'mixed'
      ? ['Warning: not every address is an Elastic IP; those change if the NLB is re-created.']
      : [];
  return [
    `NLB \`${escapeMrkdwn(lb.name)}\` (${escapeMrkdwn(lb.scheme)}) · \`${escapeMrkdwn(lb.dnsName)}\``,
    `Static IPs: ${zones.join(' · ') || 'none'}`,
    ...warning,
    '*For a partner’s firewall request* (copy as is):',
  ];
}

function healthLines(health: HealthReport, edgeName: string, now: Date): string[] {
  const unhealthy = health.groups.filter((group) => group.status !== 'healthy');
  const groupLines = unhealthy
    .slice(0, GROUPS_SHOWN)
    .map(
      (group) =>
        `• ${verdictEmoji[group.status]} ${escapeMrkdwn(listenersOf(group))} → \`${escapeMrkdwn(group.name)}\`: ${ratio(group)} healthy`,
    );
  const moreGroups = unhealthy.length - groupLines.length;
  const expiring = expiringCertificates(health, now);
  const certificateLines = expiring.slice(0, CERTIFICATES_SHOWN).map(({ certificate, days }) => {
    const when = days < 0 ? `expired ${-days} day(s) ago` : `expires in ${days} day(s)`;
    const renewal = certificate.imported ? ' (imported: ACM never renews it)' : '';
    return `• :warning: \`${escapeMrkdwn(certificate.domainName)}\` ${when}${renewal}`;
  });
  const moreCertificates = expiring.length - certificateLines.length;
  const command = `\`/health ${escapeMrkdwn(edgeName)}\``;
  return [
    `${verdictEmoji[health.verdict]} *${verdictLabel[health.verdict]}*: ${health.groups.length - unhealthy.length} of ` +
      `${health.groups.length} target group(s) healthy`,
    ...groupLines,
    ...(moreGroups > 0 ? [`• and ${moreGroups} more target group(s) that are not healthy: ${command}`] : []),
    ...(certificateLines.length > 0 ? [`*Certificates expiring within ${EXPIRY_WARNING_DAYS} days*`, ...certificateLines] : []),
    ...(moreCertificates > 0 ? [`• and ${moreCertificates} more: ${command}`] : []),
  ];
}

function expiringCertificates(health: HealthReport, now: Date) {
  return health.certificates
    .map((certificate) => ({ certificate, days: daysUntilExpiry(certificate, now) ?? certificate.daysLeft }))
    .filter((entry): entry is { certificate: (typeof entry)['certificate']; days: number } => entry.days !== undefined)
    .filter((entry) => entry.days <= EXPIRY_WARNING_DAYS)
    .sort((a, b) => a.days - b.days);
}

function hostsText(hosts: readonly ExposedHost[], edgeName: string): string {
  if (hosts.length === 0) return '*Hosts the bot manages*: none yet.';
  const lines = [...hosts]
    .sort((a, b) => approvedTime(b) - approvedTime(a))
    .map((host) => {
      const target = `${host.namespace}/${host.service ?? '?'}:${String(host.port ?? '?')}`;
      const when = host.approvedAt === undefined ? '' : ` · ${host.approvedAt.slice(0, 10)}`;
      const where = `${host.host}${host.path === '/' ? '' : host.path}`;
      return `• \`${escapeMrkdwn(where.slice(0, 300))}\` → \`${escapeMrkdwn(target.slice(0, 200))}\`${escapeMrkdwn(when)}`;
    });
  const title = `*Hosts the bot manages* (${hosts.length}), newest first:`;
  return packLines([title], lines, HOSTS_SHOWN, (hidden) => `… and ${hidden} more: \`/expose list ${escapeMrkdwn(edgeName)}\``);
}

function approvedTime(host: ExposedHost): number {
  const time = host.approvedAt === undefined ? Number.NaN : Date.parse(host.approvedAt);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
