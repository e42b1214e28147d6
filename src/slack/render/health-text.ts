import type { CertificateHealth } from '../../domain/certificate-alert.js';
import type { Diagnosis } from '../../domain/diagnosis.js';
import type { Verdict } from '../../domain/health-verdict.js';
import type { TargetGroupHealth, TargetHealthView } from '../../domain/target-group-health.js';
import { escapeMrkdwn } from './blocks.js';

/** Pieces of text shared by /health and the alerts, so both say the same thing the same way. */

export const verdictEmoji: Readonly<Record<Verdict, string>> = {
  healthy: ':large_green_circle:',
  degraded: ':large_orange_circle:',
  down: ':red_circle:',
};
export const verdictLabel: Readonly<Record<Verdict, string>> = { healthy: 'healthy', degraded: 'degraded', down: 'down' };

export function listenersOf(group: Pick<TargetGroupHealth, 'listeners'>): string {
  return group.listeners.length === 0
    ? 'no listener'
    : group.listeners.map((listener) => `${listener.protocol}:${listener.port}`).join(', ');
}

/** "1/3": healthy targets of all registered ones. */
export function ratio(group: Pick<TargetGroupHealth, 'healthy' | 'total'>): string {
  return `${group.healthy}/${group.total}`;
}

export function healthCheckOf(group: TargetGroupHealth): string {
  const { protocol, port, path } = group.healthCheck;
  return `${protocol ?? '?'}:${port ?? 'traffic-port'}${path === undefined || protocol === 'TCP' ? '' : ` ${path}`}`;
}

export function targetLine(target: TargetHealthView): string {
  const where = [
    target.zone,
    target.nodeName === undefined ? undefined : `node \`${target.nodeName}\``,
    target.podName === undefined ? undefined : `pod \`${target.podName}\``,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  return escapeMrkdwn(
    `\`${target.id}\`${target.port === undefined ? '' : `:${target.port}`}${where === '' ? '' : ` (${where})`} ${target.explanation}`,
  );
}

export function diagnosisText(diagnosis: Diagnosis, withFixes = true): string {
  const lines = [`:mag: *${escapeMrkdwn(diagnosis.summary)}*`, escapeMrkdwn(diagnosis.details)];
  if (withFixes) {
    lines.push('*How to fix it:*', ...diagnosis.fixes.map((fix) => `• ${escapeMrkdwn(fix)}`));
    if (diagnosis.caution !== undefined) lines.push(`:warning: ${escapeMrkdwn(diagnosis.caution)}`);
  }
  return lines.join('\n');
}

export function certificateLine(certificate: CertificateHealth): string {
  const names = certificate.names.map((name) => `\`${name}\``).join(', ');
  const expiry =
    certificate.daysLeft === undefined
      ? 'no expiry date'
      : certificate.daysLeft < 0
        ? `expired ${-certificate.daysLeft} day(s) ago`
        : `${certificate.daysLeft} day(s) left (until ${dateOnly(certificate.notAfter)})`;
  const origin = certificate.imported
    ? 'imported: ACM never renews it'
    : `${certificate.type === 'PRIVATE' ? 'private CA' : 'Amazon-issued'}: ACM renews it while validation works`;
  const role = `${certificate.isDefault ? 'default' : 'SNI'} on ${certificate.listenerPorts.join(', ')}`;
  return escapeMrkdwn(`${names}\n${certificate.status} · ${expiry} · ${origin} · ${role}`);
}

export function dateOnly(date: Date | undefined): string {
  return date === undefined ? '?' : date.toISOString().slice(0, 10);
}

/** A time Slack shows in the reader's own time zone, with the UTC time as fallback. */
export function slackTime(date: Date): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString().replace(/\.\d+Z$/, 'Z')}>`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
