import type { AnnouncedGroup } from '../../alerts/alert-state.js';
import type { CertificateNotice } from '../../domain/certificate-alert.js';
import type { HealthReport } from '../../domain/health-report.js';
import type { Verdict } from '../../domain/health-verdict.js';
import { context, escapeMrkdwn, fields, header, type SlackMessage, section } from './blocks.js';
import { dateOnly, diagnosisText, formatDuration, listenersOf, slackTime, verdictEmoji, verdictLabel } from './health-text.js';

type Groups = Readonly<Record<string, AnnouncedGroup>>;

export interface IncidentView {
  readonly verdict: Verdict;
  readonly worst: Verdict;
  readonly groups: Groups;
  readonly openedAt: Date;
}

/** The incident's top message: what is affected now, and why. Updated in place while it lasts. */
export function renderIncident(report: HealthReport, incident: IncidentView): SlackMessage {
  const names = Object.entries(incident.groups).map(([arn, group]) => groupNow(report, arn, group));
  const blocks = [
    header(`NLB ${verdictLabel[incident.verdict]}`),
    section(
      `${verdictEmoji[incident.verdict]} *The shared NLB is ${verdictLabel[incident.verdict]}*: ${names.length} target ` +
        `group(s) affected. ${escapeMrkdwn(`NLB \`${report.loadBalancer.name}\`, Service \`${report.controllerService}\`.`)}`,
    ),
    ...fields(names),
    ...report.diagnoses.slice(0, 4).map((diagnosis) => section(diagnosisText(diagnosis))),
    context(`Opened ${slackTime(incident.openedAt)} · changes are posted in this thread · \`/health\` shows every target`),
  ];
  const text =
    `NLB ${verdictLabel[incident.verdict]}: ` +
    `${names.map(plain).join('; ')}.${report.diagnoses[0] === undefined ? '' : ` ${plain(escapeMrkdwn(report.diagnoses[0].summary))}`}`;
  return { blocks, text };
}

/** The top message once the incident is over. */
export function renderResolvedIncident(report: HealthReport, incident: IncidentView, now: Date): SlackMessage {
  const duration = formatDuration(now.getTime() - incident.openedAt.getTime());
  const affected = Object.values(incident.groups)
    .map((group) => `\`${group.name}\``)
    .join(', ');
  const body =
    `:white_check_mark: *Resolved.* The shared NLB was ${verdictLabel[incident.worst]} (at worst) from ` +
    `${slackTime(incident.openedAt)} to ${slackTime(now)}, ${duration}. Every target group is healthy again.`;
  return {
    blocks: [
      header('NLB healthy again (resolved)'),
      section(body),
      context(escapeMrkdwn(`NLB \`${report.loadBalancer.name}\` · last affected: ${affected || 'none'} · the thread has every change`)),
    ],
    text: `Resolved: the shared NLB is healthy again after ${duration} (it was ${verdictLabel[incident.worst]} at worst).`,
  };
}

/** A thread reply: what changed since the last message of the incident. */
export function renderIncidentChange(
  report: HealthReport,
  from: { verdict: Verdict; groups: Groups },
  to: { verdict: Verdict; groups: Groups },
): SlackMessage {
  const lines: string[] = [];
  if (from.verdict !== to.verdict)
    lines.push(`${verdictEmoji[to.verdict]} Now *${verdictLabel[to.verdict]}* (was ${verdictLabel[from.verdict]}).`);
  for (const [arn, group] of Object.entries(to.groups)) {
    const before = from.groups[arn];
    if (before === undefined) lines.push(`• ${groupNow(report, arn, group)}: newly affected, *${verdictLabel[group.status]}*`);
    else if (before.status !== group.status)
      lines.push(`• ${groupNow(report, arn, group)}: ${verdictLabel[before.status]} → *${verdictLabel[group.status]}*`);
  }
  for (const [arn, group] of Object.entries(from.groups)) {
    if (to.groups[arn] !== undefined) continue;
    const current = report.groups.find((candidate) => candidate.arn === arn);
    lines.push(
      current === undefined
        ? `• \`${escapeMrkdwn(group.name)}\` no longer exists`
        : `• ${groupNow(report, arn, group)}: recovered :white_check_mark:`,
    );
  }
  const body = lines.join('\n');
  return { blocks: [section(body)], text: plain(body) };
}

export function renderRecovery(report: HealthReport, incident: IncidentView, now: Date): SlackMessage {
  const recovered = Object.entries(incident.groups).map(([arn, group]) => groupNow(report, arn, group));
  const body =
    `:white_check_mark: *Recovered*: every target group is healthy ` +
    `again${recovered.length === 0 ? '' : ` (${recovered.join(', ')})`}. The incident lasted ` +
    `${formatDuration(now.getTime() - incident.openedAt.getTime())}.`;
  return { blocks: [section(body)], text: plain(body) };
}

export function renderCertificateNotices(notices: readonly CertificateNotice[]): SlackMessage {
  const lines = notices.map((notice) => `• ${noticeLine(notice)}`);
  const body = `:warning: *Certificates on the shared NLB need attention*\n${lines.join('\n')}`;
  return {
    blocks: [
      section(body),
      context('Each certificate is announced once at 30, 14, 7 and 1 days left, and once when it is not ISSUED. `/health` shows them all.'),
    ],
    text: plain(body),
  };
}

export function renderBlind(reason: string): SlackMessage {
  const body = `:grey_question: *The bot cannot check the NLB's health* (two polls in a row failed): ${escapeMrkdwn(reason)}`;
  return { blocks: [section(body)], text: plain(body) };
}

export function renderSightRestored(since: Date, now: Date): SlackMessage {
  const body = `:eyes: The bot can check the NLB's health again (it could not for ${formatDuration(now.getTime() - since.getTime())}).`;
  return { blocks: [section(body)], text: body };
}

const statusMeaning: Readonly<Record<string, string>> = {
  EXPIRED: 'has expired: TLS clients reject it',
  REVOKED: 'was revoked: TLS clients reject it',
  INACTIVE: 'is inactive',
  PENDING_VALIDATION: 'waits for its domain validation',
  VALIDATION_TIMED_OUT: 'was never validated (validation timed out)',
  FAILED: 'could not be issued',
};

function noticeLine(notice: CertificateNotice): string {
  const { certificate } = notice;
  const name =
    `\`${escapeMrkdwn(certificate.domainName)}\` (${certificate.isDefault ? 'default' : 'SNI'} on ` +
    `${certificate.listenerPorts.join(', ')})`;
  if (notice.badStatus !== undefined) {
    return `${name} is *${escapeMrkdwn(notice.badStatus)}*, not ISSUED: it ${statusMeaning[notice.badStatus] ?? 'cannot be served'}.`;
  }
  const days = certificate.daysLeft ?? 0;
  const when =
    days <= 0
      ? `expires today or has expired (${dateOnly(certificate.notAfter)})`
      : `expires in ${days} day(s), on ${dateOnly(certificate.notAfter)}`;
  const action = certificate.imported
    ? 'It is imported: ACM never renews it, so import a renewed certificate before then.'
    : 'ACM renews it only while its validation still works: check its renewal status in ACM.';
  return `${name} ${when}. ${action}`;
}

/** An affected group with its current numbers from the report. */
function groupNow(report: HealthReport, arn: string, group: AnnouncedGroup): string {
  const current = report.groups.find((candidate) => candidate.arn === arn);
  if (current === undefined) return `\`${escapeMrkdwn(group.name)}\``;
  return `\`${escapeMrkdwn(group.name)}\` (${escapeMrkdwn(listenersOf(current))}) *${current.healthy}/${current.total}* healthy`;
}

/**
 * Plain-text fallback: without mrkdwn marks and Slack date tokens; code spans keep their text
 * (`*.example.com`). Escaped characters stay escaped: Slack reads `text` as mrkdwn too (it is what
 * notifications show), so a target group or certificate name must not become a `<!channel>` there.
 */
function plain(markdown: string): string {
  return markdown
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? part.slice(1, -1) : part.replace(/\*/g, '')))
    .join('');
}
