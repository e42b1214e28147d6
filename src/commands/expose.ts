import { describeHolders, failedChecks } from '../domain/expose-check.js';
import { describeBackend, type ExposeRequest } from '../domain/expose-request.js';
import type { ExposeApproval } from '../domain/managed-ingress.js';
import { BotAnnotation, isManagedByBot } from '../domain/ownership.js';
import type { HolderRoute, HostHolder } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { RouteManifest, RouteRef, StoredRoute, WrittenRouteStatus } from '../routing/edge-routing.js';
import { type DnsPublication, publishDns } from './dns-plan.js';
import { assessExposure, type ExposeAssessment, type ExposeDependencies, pendingReads } from './expose-assessment.js';

export interface ExposePreview extends ExposeAssessment {
  /** No check failed: the request may be applied (or sent for approval). */
  readonly ready: boolean;
  /** The Ingress or HTTPRoute that will be written (approver and time are added on apply); undefined when it cannot be built. */
  readonly manifest: RouteManifest | undefined;
}

export type ExposeOutcome =
  | {
      readonly kind: 'applied';
      readonly assessment: ExposeAssessment;
      readonly manifest: RouteManifest;
      readonly route: RouteRef;
      /** false when the look for a concurrent writer after the create could not be made (the object stands). */
      readonly recheckedHost: boolean;
      /** Gateway mode: what the Gateway's controller said about the route within the wait. */
      readonly status?: WrittenRouteStatus;
      /** DNS_PROVIDER=route53: the record the bot created (or why it could not). */
      readonly dns: DnsPublication;
    }
  /**
   * The bot's object already routes exactly this request (a repeated click, a retry, a second approver):
   * nothing was written; `approvedBy` is who approved it, as the object records it.
   */
  | {
      readonly kind: 'unchanged';
      readonly assessment: ExposeAssessment;
      readonly route: RouteRef;
      readonly approvedBy: string | undefined;
    };

/** A write to the cluster, reported the moment it succeeded (for the log: every write is recorded). */
export interface RouteWrite {
  readonly verb: 'create' | 'delete';
  readonly route: RouteRef;
  readonly reason: string;
}

/** /expose <host> <namespace>/<service>:<port> [<path>]: every check, and the object it would write. */
export async function previewExpose(
  deps: ExposeDependencies,
  request: ExposeRequest,
  origin: Pick<ExposeApproval, 'requestedBy' | 'channel'>,
  now: Date,
): Promise<ExposePreview> {
  const assessment = await assessExposure(deps, request, now);
  return {
    ...assessment,
    ready: failedChecks(assessment.checks).length === 0 && assessment.routing.manifest !== undefined,
    manifest: assessment.routing.manifest?.({ requestedBy: origin.requestedBy, channel: origin.channel }),
  };
}

/**
 * Apply or Approve: re-runs every check (the cluster may have changed since the preview), then creates
 * the one object for the host with a plain create, which never replaces an object: of two concurrent
 * writers of the host (two admins, two approvals, two replicas) exactly one creates it, and the other
 * reads back what is really there and answers from that. A check and a create are not atomic across
 * namespaces, so after creating, the bot looks again: if another object for the host appeared meanwhile,
 * it deletes its own (with preconditions) and says so, keeping one per host. In Gateway mode it then waits
 * a little for the Gateway's controller to say whether the route is live.
 */
export async function applyExpose(
  deps: ExposeDependencies,
  request: ExposeRequest,
  approval: Required<ExposeApproval>,
  now: Date,
  onWrite: (write: RouteWrite) => void = () => undefined,
): Promise<ExposeOutcome> {
  const assessment = await assessExposure(deps, request, now);
  const { claim } = assessment;
  if (claim.kind === 'exposed') return unchanged(assessment, claim.route);
  const [first, ...others] = failedChecks(assessment.checks);
  if (first !== undefined || assessment.routing.manifest === undefined) {
    throw new UserFacingError(
      ErrorCode.CheckFailed,
      `Nothing was written: ${first?.detail ?? 'the route cannot be built from the request.'}`,
      others.length === 0 ? undefined : others.map((check) => check.detail).join(' '),
    );
  }
  const manifest = assessment.routing.manifest(approval);
  const ref: RouteRef = { kind: deps.routing.kind, namespace: manifest.metadata.namespace, name: manifest.metadata.name };
  const created = await deps.routing.create(manifest);
  if (created.kind === 'exists') return answerFromCluster(deps, request, assessment, ref);
  onWrite({ verb: 'create', route: ref, reason: `expose ${request.host}` });

  let holders: HostHolder[];
  try {
    holders = await deps.routing.holders(request, assessment.nlb);
  } catch {
    // The object is written and the checks before found the host free: say so, rather than an error
    // that would read as "nothing happened". Only the look for a writer at the same moment is missing.
    return applied(deps, assessment, manifest, ref, false);
  }
  const contenders = holders.filter(
    (holder) => kindOfHolder(holder.route) !== ref.kind || holder.route.namespace !== ref.namespace || holder.route.name !== ref.name,
  );
  if (contenders.length === 0) return applied(deps, assessment, manifest, ref, true);
  await withdraw(deps, created.route, describeHolders(contenders), request.host, onWrite);
  throw new UserFacingError(
    ErrorCode.Conflict,
    `Nothing was written: while the bot created its ${ref.kind} \`${ref.namespace}/${ref.name}\`, ${describeHolders(contenders)} ` +
      `appeared for \`${request.host}\` at the same time, so the bot deleted its own again (one per host).`,
    'Run /expose again to see who holds the host now.',
  );
}

/** The bot's object that already routes exactly this request, if any. */
export async function findExposed(deps: ExposeDependencies, request: ExposeRequest): Promise<RouteRef | undefined> {
  const { claim } = await deps.routing.assess(request, pendingReads(deps, request));
  return claim.kind === 'exposed' ? { kind: deps.routing.kind, namespace: claim.route.namespace, name: claim.route.name } : undefined;
}

async function applied(
  deps: ExposeDependencies,
  assessment: ExposeAssessment,
  manifest: RouteManifest,
  route: RouteRef,
  recheckedHost: boolean,
): Promise<ExposeOutcome> {
  const [status, dns] = await Promise.all([
    deps.routing.awaitStatus?.(route),
    publishDns(deps.dnsPlan, assessment.dnsPlan, assessment.request, route, assessment.nlb.loadBalancer),
  ]);
  return { kind: 'applied', assessment, manifest, route, recheckedHost, dns, ...(status === undefined ? {} : { status }) };
}

function unchanged(assessment: ExposeAssessment, route: HolderRoute): ExposeOutcome {
  return {
    kind: 'unchanged',
    assessment,
    route: { kind: assessment.routeKind, namespace: route.namespace, name: route.name },
    approvedBy: route.annotations[BotAnnotation.ApprovedBy],
  };
}

/** The create found an object of that name: someone else won. Read it and say what it really is. */
async function answerFromCluster(
  deps: ExposeDependencies,
  request: ExposeRequest,
  assessment: ExposeAssessment,
  ref: RouteRef,
): Promise<ExposeOutcome> {
  const name = `${ref.namespace}/${ref.name}`;
  const existing = await deps.routing.read(ref);
  if (existing === undefined) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The ${ref.kind} ${name} was created and removed by someone else while the bot was writing it; nothing was written.`,
      'Run /expose again to see the current state.',
    );
  }
  if (deps.routing.exposes(existing, request, assessment.routing.backendPort)) return unchanged(assessment, holderOf(existing));
  if (!isManagedByBot(existing.labels)) {
    throw new UserFacingError(
      ErrorCode.NotManaged,
      `An ${ref.kind} named ${name} exists and the bot did not create it; nothing was written.`,
      `The bot never changes an ${ref.kind} it does not own.`,
    );
  }
  throw new UserFacingError(
    ErrorCode.Conflict,
    `Nothing was written: another request for \`${request.host}\` was applied at the same moment. The host is now served ` +
      `by ${describeHolders([{ route: holderOf(existing), rules: existing.rules }])}, not by \`${describeBackend(request)}\`.`,
    `To change it: /unexpose ${request.host}, then /expose again.`,
  );
}

/** Deletes the object the bot just created, only if it is still exactly that object. */
async function withdraw(
  deps: ExposeDependencies,
  created: StoredRoute,
  contenders: string,
  host: string,
  onWrite: (write: RouteWrite) => void,
): Promise<void> {
  const { ref } = created;
  const name = `${ref.namespace}/${ref.name}`;
  let result: 'deleted' | 'gone';
  try {
    // The stored object may have moved on since the create (a controller writes status): read it again.
    const current = (await deps.routing.read(ref)) ?? created;
    if (current.uid !== created.uid) throw new Error(`${name} was replaced since the bot created it`);
    if (current.uid === undefined || current.resourceVersion === undefined)
      throw new Error(`the API server returned ${name} without uid or resourceVersion`);
    result = await deps.routing.delete(ref, { uid: current.uid, resourceVersion: current.resourceVersion });
  } catch (error) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The bot created its ${ref.kind} \`${name}\`, but ${contenders} appeared for \`${host}\` at the same time, and the bot could ` +
        `not delete its own again: both serve the host now.`,
      `\`/expose list\` shows them; remove one (\`/unexpose ${host}\` removes the bot's).`,
      { cause: error },
    );
  }
  if (result === 'deleted') onWrite({ verb: 'delete', route: ref, reason: `another route for ${host} appeared while it was created` });
}

export function holderOf(route: StoredRoute): HolderRoute {
  return {
    kind: route.ref.kind,
    namespace: route.ref.namespace,
    name: route.ref.name,
    labels: route.labels,
    annotations: route.annotations,
  };
}

function kindOfHolder(route: HolderRoute): string {
  return route.kind ?? 'Ingress';
}
