import type { ExposeDependencies } from '../../commands/expose-assessment.js';
import type { LiveChecks } from '../../commands/live-checks.js';
import type { UnexposeDependencies } from '../../commands/unexpose.js';
import { describeBackend } from '../../domain/expose-request.js';
import type { Edge } from '../../edges/edge.js';
import type { EdgeDirectory } from '../../edges/edge-directory.js';
import type { DnsReader } from '../../ports/dns/dns-gateway.js';
import type { DecisionStore } from '../../ports/kube/decision-gateway.js';
import type { ReachabilityProber } from '../../ports/probe/reachability-probe.js';
import type { ButtonValueSigner } from '../button-value-signer.js';
import { decodeExposeTicket, type ExposeTicket } from '../expose-tickets.js';
import type { ButtonClick } from '../runner/register-button.js';

/** What the buttons of /expose and /unexpose share: signed values, the edges (each with its admins and channel). */
export interface ButtonDependencies {
  readonly signer: ButtonValueSigner;
  readonly edges: EdgeDirectory<Edge>;
  readonly now: () => Date;
}

export interface ExposeSlackDependencies extends ButtonDependencies {
  /** DNS is the same from every edge: the bot's resolvers. */
  readonly dns: DnsReader;
  /** Where Approve and Reject record who decided first. */
  readonly decisions: DecisionStore;
  /** The live check that follows every apply. */
  readonly live: LiveFollowUp;
}

/** What the live check after an apply needs: the running checks (one per edge and host), the prober, the timing. */
export interface LiveFollowUp {
  readonly checks: LiveChecks;
  readonly probe: ReachabilityProber;
  /** How long a host that does not resolve is waited for, in minutes (for the message). */
  readonly retryForMinutes: number;
}

/** The key of an edge's host among the running live checks. */
export function liveCheckKey(edge: Edge, host: string): string {
  return `${edge.name}/${host}`;
}

/** What /expose's checks and writes use on one edge. */
export function exposeDependencies(edge: Edge, dns: DnsReader): ExposeDependencies {
  return {
    services: edge.services,
    routing: edge.routing,
    locator: edge.locator,
    certificates: { elbv2: edge.elbv2, acm: edge.acm },
    dns,
    exposeNamespaces: edge.exposeNamespaces,
    dnsPlan: edge.dnsPlan,
  };
}

export function unexposeDependencies(edge: Edge): UnexposeDependencies {
  return { routing: edge.routing, exposeNamespaces: edge.exposeNamespaces };
}

/** The edge a signed value names: one that is still configured (a value of the only edge may carry no name). */
export function edgeOfTicket(deps: ButtonDependencies, ticket: { readonly edge?: string | undefined }, what: string): Edge {
  return deps.edges.require(ticket.edge === undefined ? undefined : deps.edges.get(ticket.edge, what), what, `${what} <edge> ...`);
}

/** The edge's name for messages when the bot serves several; undefined (nothing shown) when it serves one. */
export function edgeLabelOf(deps: ButtonDependencies, edge: Edge): { readonly name: string; readonly region: string } | undefined {
  return deps.edges.several ? { name: edge.name, region: edge.region } : undefined;
}

/** The signed request of a click, validated again, and its edge; what it names goes into the click's log line. */
export function readTicket(deps: ButtonDependencies, click: ButtonClick, now: Date): { ticket: ExposeTicket; edge: Edge } {
  const ticket = decodeExposeTicket(deps.signer, click.value, now);
  const edge = edgeOfTicket(deps, ticket, '/expose');
  Object.assign(click.log, {
    ...(deps.edges.several ? { edge: edge.name } : {}),
    host: ticket.request.host,
    path: ticket.request.path,
    backend: describeBackend(ticket.request),
    requestedBy: ticket.requestedBy,
  });
  return { ticket, edge };
}
