import type { KnownBlock } from '@slack/types';
import { stringify } from 'yaml';
import type { CheckStatus, ExposeCheck } from '../../domain/expose-check.js';
import { describeBackend, type ExposeRequest } from '../../domain/expose-request.js';
import { isSlackChannelId, isSlackUserId } from '../../domain/slack-ids.js';
import type { RouteManifest, RouteRef, WrittenKind, WrittenRouteStatus } from '../../routing/edge-routing.js';
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

/** An object's `namespace/name` in code, escaped. */
export function ingressCode(ingress: string): string {
  return `\`${escapeMrkdwn(ingress)}\``;
}

/** "the Ingress `ns/name`", "the HTTPRoute `ns/name`". */
export function routeLine(route: RouteRef): string {
  return `the ${route.kind} ${ingressCode(`${route.namespace}/${route.name}`)}`;
}

/** "Ingress ns/name", escaped, for `text` fallbacks. */
export function routeText(route: RouteRef): string {
  return `${route.kind} ${escapeMrkdwn(`${route.namespace}/${route.name}`)}`;
}

/** What the Gateway's controller said about a route just written, in words; undefined in Ingress mode. */
export function writtenStatusLine(status: WrittenRouteStatus | undefined): string | undefined {
  if (status === undefined) return undefined;
  switch (status.kind) {
    case 'live':
      return ':large_green_circle: The Gateway’s controller accepted the route and resolved its backend: it is live.';
    case 'refused':
      return (
        `:x: The Gateway’s controller refused the route: ${status.condition} is False, ` +
        `reason \`${escapeMrkdwn(status.reason)}\`: ${escapeMrkdwn(status.message.slice(0, 1500))}`
      );
    case 'no-answer':
      return (
        `:hourglass_flowing_sand: The Gateway’s controller has not answered within ${seconds(status.waitedMs)} ` +
        '(no Accepted condition on the route yet). `/expose list` shows the route’s status when it does.'
      );
  }
}

/** "15 s", "0.5 s". */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
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

export function manifestBlocks(manifest: RouteManifest): KnownBlock[] {
  return codeBlocks(stringify(manifest).trimEnd());
}

/** "The Ingress that will be written" and its YAML; nothing when a failed check means it cannot be built. */
export function manifestSection(preview: {
  readonly routeKind: WrittenKind;
  readonly request: ExposeRequest;
  readonly routeName: string;
  readonly manifest: RouteManifest | undefined;
}): KnownBlock[] {
  if (preview.manifest === undefined) return [];
  return [
    section(`*The ${preview.routeKind} that will be written* (${ingressCode(`${preview.request.namespace}/${preview.routeName}`)}):`),
    ...manifestBlocks(preview.manifest),
  ];
}
