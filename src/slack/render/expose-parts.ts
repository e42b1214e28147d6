import type { KnownBlock } from '@slack/types';
import { stringify } from 'yaml';
import type { CheckStatus, ExposeCheck } from '../../domain/expose-check.js';
import { describeBackend, type ExposeRequest } from '../../domain/expose-request.js';
import type { IngressManifest } from '../../domain/managed-ingress.js';
import { isSlackChannelId, isSlackUserId } from '../../domain/slack-ids.js';
import { codeBlocks, escapeMrkdwn, section } from './blocks.js';

const STATUS_EMOJI: Record<CheckStatus, string> = { pass: ':white_check_mark:', warn: ':warning:', fail: ':x:' };

/** A Slack mention for a user ID. Values read from the cluster are not trusted as markup. */
export function mention(userId: string | undefined): string {
  if (userId === undefined || userId === '') return 'unknown';
  return isSlackUserId(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function channelLink(channelId: string | undefined): string {
  if (channelId === undefined) return 'unknown';
  return isSlackChannelId(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId);
}

/*
 * Everything external (typed by a user, read from the cluster, AWS or DNS) is escaped in the plain-text `text`
 * fallback as in the blocks: Slack reads `text` as mrkdwn too, for notifications and screen readers.
 */

/** `host` (path `/`) → `namespace/service:port` */
export function requestLine(request: ExposeRequest): string {
  return `\`${escapeMrkdwn(request.host)}\` (path \`${escapeMrkdwn(request.path)}\`) → \`${escapeMrkdwn(describeBackend(request))}\``;
}

/** host/path -> namespace/service:port, for `text` fallbacks. */
export function requestText(request: ExposeRequest): string {
  return escapeMrkdwn(`${request.host}${request.path === '/' ? '' : request.path} -> ${describeBackend(request)}`);
}

/** An Ingress `namespace/name` in code, escaped. */
export function ingressCode(ingress: string): string {
  return `\`${escapeMrkdwn(ingress)}\``;
}

/** One section per check, so a long detail (a certificate's names) is never cut off another check. */
export function checkBlocks(checks: readonly ExposeCheck[]): KnownBlock[] {
  return checks.map((check) => section(`${STATUS_EMOJI[check.status]} *${check.name}*: ${escapeMrkdwn(check.detail)}`));
}

export function checksText(checks: readonly ExposeCheck[]): string {
  return checks.map((check) => `[${check.status}] ${check.name}: ${escapeMrkdwn(check.detail.replace(/`/g, ''))}`).join('\n');
}

export function addressesLine(loadBalancer: { readonly dnsName: string; readonly addresses: readonly string[] }): string {
  const ips =
    loadBalancer.addresses.length === 0 ? 'no addresses yet' : loadBalancer.addresses.map((ip) => `\`${escapeMrkdwn(ip)}\``).join(', ');
  return `*Reachable on* ${ips} (HTTPS), through the NLB \`${escapeMrkdwn(loadBalancer.dnsName)}\`.`;
}

export function manifestBlocks(manifest: IngressManifest): KnownBlock[] {
  return codeBlocks(stringify(manifest).trimEnd());
}
