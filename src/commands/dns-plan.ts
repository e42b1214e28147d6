import { BLOCKING_RECORD_TYPES, ownsRecords } from '../domain/dns-ownership.js';
import type { DnsVerdict } from '../domain/dns-verdict.js';
import { CheckName, type ExposeCheck } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import { externalDnsCoverage, type RouteKind } from '../domain/external-dns.js';
import type { HostedZoneSummary } from '../domain/hosted-zone.js';
import type { LoadBalancer } from '../domain/load-balancer.js';
import { ErrorCode, isUserFacingError } from '../errors.js';
import type { Route53Reader, Route53Writer } from '../ports/aws/route53-gateway.js';
import type { DeploymentReader } from '../ports/kube/deployment-gateway.js';

/** Who makes the host's DNS record: ExternalDNS in the cluster, the bot in Route 53 (DNS_PROVIDER), or the requester. */
export interface DnsPlanDependencies {
  readonly deployments: DeploymentReader;
  /** DNS_PROVIDER=route53: the edge's Route 53 (its credentials), the zones it may touch, the owner id of its records. */
  readonly route53:
    | { readonly gateway: Route53Reader & Route53Writer; readonly zoneIds: readonly string[]; readonly ownerId: string }
    | undefined;
}

export type DnsPlan =
  /** The host already resolves to the NLB: nothing to make. */
  | { readonly kind: 'done' }
  | { readonly kind: 'external-dns'; readonly deployment: string; readonly reason: string; readonly caveats: readonly string[] }
  /** The bot creates an alias A record (and its ownership TXT) in this zone on apply. */
  | { readonly kind: 'route53'; readonly zone: HostedZoneSummary }
  /** The bot's own record is already there. */
  | { readonly kind: 'route53-owned'; readonly zone: HostedZoneSummary }
  /** Records the bot did not create are at the name: it never replaces them. */
  | { readonly kind: 'route53-blocked'; readonly zone: HostedZoneSummary; readonly existing: string }
  /** Nobody will: the requester creates the record (the DNS check says which). */
  | { readonly kind: 'manual'; readonly note: string | undefined };

/**
 * Decides who makes the DNS record, for the preview and again on apply. ExternalDNS first (a running Deployment
 * labelled app.kubernetes.io/name=external-dns that reads this kind of route for this host): the bot then writes
 * nothing to DNS. Otherwise, with DNS_PROVIDER=route53, the bot will create an alias record in the host's
 * most specific zone when that zone is allowed, unless other records are already at the name. A read that fails makes the
 * plan manual with a note: DNS never blocks a write on its own.
 */
export async function planDns(
  deps: DnsPlanDependencies,
  request: ExposeRequest,
  kind: RouteKind,
  context: { readonly resolvesToNlb: boolean; readonly internal: boolean; readonly ingressClass?: string },
): Promise<DnsPlan> {
  if (context.resolvesToNlb) return { kind: 'done' };
  const externalDns = await externalDnsPlan(deps, request, kind, context.ingressClass);
  if (externalDns !== undefined) return externalDns;
  const route53 = deps.route53;
  if (route53 === undefined) return { kind: 'manual', note: undefined };
  try {
    const visibility = context.internal ? 'private' : 'public';
    const zone = await route53.gateway.findHostedZone(request.host, { allowedZoneIds: route53.zoneIds, visibility });
    if (zone === undefined) {
      const allowed =
        route53.zoneIds.length === 0 ? 'the account’s public hosted zones' : `ROUTE53_ZONE_IDS (${route53.zoneIds.join(', ')})`;
      return {
        kind: 'manual',
        note:
          `${request.host} has no hosted zone the bot may change (its zone, the longest zone name it ends with, must be ` +
          `among ${allowed}), so the bot cannot create its record.`,
      };
    }
    const records = await route53.gateway.readRecords(zone.id, request.host);
    if (ownsRecords(records, route53.ownerId)) return { kind: 'route53-owned', zone };
    const blocking = records.filter((record) => BLOCKING_RECORD_TYPES.has(record.type));
    if (blocking.length > 0) {
      const existing = blocking
        .map(
          (record) =>
            `${record.type} ${record.aliasTarget === undefined ? record.values.join(' ') : `alias ${record.aliasTarget.dnsName}`}`,
        )
        .join('; ');
      return { kind: 'route53-blocked', zone, existing };
    }
    return { kind: 'route53', zone };
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    return { kind: 'manual', note: `Route 53 could not be read: ${error.message}` };
  }
}

async function externalDnsPlan(deps: DnsPlanDependencies, request: ExposeRequest, kind: RouteKind, ingressClass: string | undefined) {
  let deployments: Awaited<ReturnType<DeploymentReader['listExternalDns']>>;
  try {
    deployments = await deps.deployments.listExternalDns();
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    return undefined;
  }
  for (const deployment of deployments) {
    if (deployment.readyReplicas === 0) continue;
    const coverage = externalDnsCoverage(deployment.settings, {
      kind,
      host: request.host,
      namespace: request.namespace,
      ...(ingressClass === undefined ? {} : { ingressClass }),
    });
    if (coverage.publishes) {
      return {
        kind: 'external-dns' as const,
        deployment: `${deployment.namespace}/${deployment.name}`,
        reason: coverage.reason,
        caveats: coverage.caveats,
      };
    }
  }
  return undefined;
}

/** The DNS check of the preview: what resolves now, and who will make the record. */
export function dnsCheck(host: string, verdict: DnsVerdict, plan: DnsPlan): ExposeCheck {
  const name = CheckName.Dns;
  switch (plan.kind) {
    case 'done':
    case 'manual':
      return {
        name,
        status: verdict.status,
        detail: plan.kind === 'manual' && plan.note !== undefined ? `${verdict.summary} ${plan.note}` : verdict.summary,
      };
    case 'external-dns': {
      const caveats = plan.caveats.length === 0 ? '' : ` Its filters ${plan.caveats.join(', ')} are not judged by the bot.`;
      return {
        name,
        status: 'pass',
        detail:
          `\`${host}\` does not resolve to the NLB yet; ExternalDNS (\`${plan.deployment}\`) will create the record ` +
          `once the route is written: ${plan.reason}${caveats} The live check waits for it.`,
      };
    }
    case 'route53':
      return {
        name,
        status: 'pass',
        detail:
          `The bot will create an alias A record to the NLB in the Route 53 zone \`${plan.zone.name}\` (${plan.zone.id}) on apply, ` +
          'with a TXT record that marks it as the bot’s (DNS_PROVIDER=route53); /unexpose deletes both.',
      };
    case 'route53-owned':
      return {
        name,
        status: 'pass',
        detail: `The bot’s own record is already in the Route 53 zone \`${plan.zone.name}\`. ${verdict.summary}`,
      };
    case 'route53-blocked':
      return {
        name,
        status: 'fail',
        detail:
          `The Route 53 zone \`${plan.zone.name}\` already has records at this name that the bot did not create (${plan.existing}), ` +
          'and they do not point at the NLB: the bot never replaces a record. Remove or change them first, or choose another host.',
      };
  }
}

/** What happened to DNS on apply or on /unexpose, for the answer and the log. */
export type DnsPublication =
  | { readonly kind: 'created'; readonly zone: string; readonly changeId: string }
  | { readonly kind: 'deleted'; readonly zone: string; readonly changeId: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'nothing' };

/** On apply, after the route is written: the alias record and its TXT, when the plan says the bot makes them. */
export async function publishDns(
  deps: DnsPlanDependencies,
  plan: DnsPlan,
  request: ExposeRequest,
  route: { readonly kind: RouteKind; readonly namespace: string; readonly name: string },
  loadBalancer: LoadBalancer,
): Promise<DnsPublication> {
  if (plan.kind !== 'route53' || deps.route53 === undefined) return { kind: 'nothing' };
  if (loadBalancer.canonicalHostedZoneId === undefined) {
    return { kind: 'failed', message: 'ELBv2 gave no CanonicalHostedZoneId for the NLB, so no alias record can point at it.' };
  }
  try {
    const change = await deps.route53.gateway.createAliasRecord({
      zone: plan.zone,
      host: request.host,
      target: { dnsName: loadBalancer.dnsName, canonicalHostedZoneId: loadBalancer.canonicalHostedZoneId },
      ownerId: deps.route53.ownerId,
      resource: { kind: route.kind.toLowerCase(), namespace: route.namespace, name: route.name },
    });
    return { kind: 'created', zone: plan.zone.name, changeId: change.id };
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    return { kind: 'failed', message: error.message };
  }
}

/** On /unexpose, after the route is deleted: the bot's own records of the host, and nothing else. */
export async function withdrawDns(deps: DnsPlanDependencies, host: string): Promise<DnsPublication> {
  // Either visibility: the bot deletes only records whose TXT names its owner id.
  const route53 = deps.route53;
  if (route53 === undefined) return { kind: 'nothing' };
  try {
    // The public zone for an internet-facing NLB, the private one for an internal one: either may hold them.
    for (const visibility of ['public', 'private'] as const) {
      const zone = await route53.gateway.findHostedZone(host, { allowedZoneIds: route53.zoneIds, visibility });
      if (zone === undefined) continue;
      // The delete reads the records and refuses any the bot does not own: that refusal is the usual "nothing".
      const change = await route53.gateway.deleteOwnedRecords({ zone, host, ownerId: route53.ownerId }).catch((error: unknown) => {
        if (isUserFacingError(error) && error.code === ErrorCode.NotManaged) return undefined;
        throw error;
      });
      if (change !== undefined) return { kind: 'deleted', zone: zone.name, changeId: change.id };
    }
    return { kind: 'nothing' };
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    return { kind: 'failed', message: error.message };
  }
}
