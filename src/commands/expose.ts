import { describeHolders, failedChecks } from '../domain/expose-check.js';
import { describeBackend, type ExposeRequest } from '../domain/expose-request.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import type { IngressSummary } from '../domain/ingress-route.js';
import { buildManagedIngress, type ExposeApproval, type IngressManifest } from '../domain/managed-ingress.js';
import { BotAnnotation, isManagedByBot } from '../domain/ownership.js';
import { exposes, findRouteClaim, hostHolders } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { StoredIngress } from '../ports/kube/ingress-gateway.js';
import { assessExposure, type ExposeAssessment, type ExposeDependencies } from './expose-assessment.js';

export interface ExposePreview extends ExposeAssessment {
  /** No check failed: the request may be applied (or sent for approval). */
  readonly ready: boolean;
  /** The Ingress that will be written; approver and time are added on apply. */
  readonly manifest: IngressManifest;
}

export type ExposeOutcome =
  | {
      readonly kind: 'applied';
      readonly assessment: ExposeAssessment;
      readonly manifest: IngressManifest;
      readonly ingress: IngressRef;
      /** false when the look for a concurrent writer after the create could not be made (the Ingress stands). */
      readonly recheckedHost: boolean;
    }
  /**
   * The bot's Ingress already routes exactly this request (a repeated click, a retry, a second approver):
   * nothing was written; `approvedBy` is who approved it, as the Ingress records it.
   */
  | {
      readonly kind: 'unchanged';
      readonly assessment: ExposeAssessment;
      readonly ingress: IngressRef;
      readonly approvedBy: string | undefined;
    };

export interface IngressRef {
  readonly namespace: string;
  readonly name: string;
}

/** A write to the cluster, reported the moment it succeeded (for the log: every write is recorded). */
export interface IngressWrite {
  readonly verb: 'create' | 'delete';
  readonly ingress: IngressRef;
  readonly reason: string;
}

/** /expose <host> <namespace>/<service>:<port> [<path>]: every check, and the Ingress it would write. */
export async function previewExpose(
  deps: ExposeDependencies,
  request: ExposeRequest,
  origin: Pick<ExposeApproval, 'requestedBy' | 'channel'>,
  now: Date,
): Promise<ExposePreview> {
  const assessment = await assessExposure(deps, request, now);
  return {
    ...assessment,
    ready: failedChecks(assessment.checks).length === 0,
    manifest: buildManagedIngress(request, deps.ingressClass, { requestedBy: origin.requestedBy, channel: origin.channel }),
  };
}

/**
 * Apply or Approve: re-runs every check (the cluster may have changed since the preview), then creates
 * the one Ingress for the host with a plain create, which never replaces an object: of two concurrent
 * writers of the host (two admins, two approvals, two replicas) exactly one creates it, and the other
 * reads back what is really there and answers from that. A check and a create are not atomic across
 * namespaces, so after creating, the bot looks again: if another Ingress for the host appeared meanwhile,
 * it deletes its own (with preconditions) and says so, keeping one Ingress per host.
 */
export async function applyExpose(
  deps: ExposeDependencies,
  request: ExposeRequest,
  approval: Required<ExposeApproval>,
  now: Date,
  onWrite: (write: IngressWrite) => void = () => undefined,
): Promise<ExposeOutcome> {
  const assessment = await assessExposure(deps, request, now);
  const { claim } = assessment;
  if (claim.kind === 'exposed') return unchanged(assessment, claim.ingress);
  const [first, ...others] = failedChecks(assessment.checks);
  if (first !== undefined) {
    throw new UserFacingError(
      ErrorCode.CheckFailed,
      `Nothing was written: ${first.detail}`,
      others.length === 0 ? undefined : others.map((check) => check.detail).join(' '),
    );
  }
  const manifest = buildManagedIngress(request, deps.ingressClass, approval);
  const ref = { namespace: manifest.metadata.namespace, name: manifest.metadata.name };
  const created = await deps.ingresses.createIngress(manifest);
  if (created.kind === 'exists') return answerFromCluster(deps, request, assessment, ref);
  onWrite({ verb: 'create', ingress: ref, reason: `expose ${request.host}` });

  let ingresses: IngressSummary[];
  try {
    ingresses = await deps.ingresses.listIngresses();
  } catch {
    // The Ingress is written and the checks before found the host free: say so, rather than an error
    // that would read as "nothing happened". Only the look for a writer at the same moment is missing.
    return { kind: 'applied', assessment, manifest, ingress: ref, recheckedHost: false };
  }
  const contenders = hostHolders(ingresses, request.host, deps.ingressClass).filter(
    (holder) => holder.ingress.namespace !== ref.namespace || holder.ingress.name !== ref.name,
  );
  if (contenders.length === 0) return { kind: 'applied', assessment, manifest, ingress: ref, recheckedHost: true };
  await withdraw(deps, created.ingress, ref, describeHolders(contenders), request.host, onWrite);
  throw new UserFacingError(
    ErrorCode.Conflict,
    `Nothing was written: while the bot created its Ingress \`${ref.namespace}/${ref.name}\`, ${describeHolders(contenders)} ` +
      `appeared for \`${request.host}\` at the same time, so the bot deleted its own again (one Ingress per host).`,
    'Run /expose again to see who holds the host now.',
  );
}

/** The bot's Ingress that already routes exactly this request, if any (one cluster-wide list). */
export async function findExposed(
  deps: Pick<ExposeDependencies, 'ingresses' | 'ingressClass'>,
  request: ExposeRequest,
): Promise<IngressRef | undefined> {
  const ingressName = ingressNameForHost(request.host);
  const claim = findRouteClaim(await deps.ingresses.listIngresses(), request, { ingressClass: deps.ingressClass, ingressName });
  return claim.kind === 'exposed' ? { namespace: claim.ingress.namespace, name: claim.ingress.name } : undefined;
}

function unchanged(assessment: ExposeAssessment, ingress: IngressSummary): ExposeOutcome {
  return {
    kind: 'unchanged',
    assessment,
    ingress: { namespace: ingress.namespace, name: ingress.name },
    approvedBy: ingress.annotations[BotAnnotation.ApprovedBy],
  };
}

/** The create found an object of that name: someone else won. Read it and say what it really is. */
async function answerFromCluster(
  deps: ExposeDependencies,
  request: ExposeRequest,
  assessment: ExposeAssessment,
  ref: IngressRef,
): Promise<ExposeOutcome> {
  const name = `${ref.namespace}/${ref.name}`;
  const existing = await deps.ingresses.readIngress(ref.namespace, ref.name);
  if (existing === undefined) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The Ingress ${name} was created and removed by someone else while the bot was writing it; nothing was written.`,
      'Run /expose again to see the current state.',
    );
  }
  if (exposes(existing, request, deps.ingressClass)) return unchanged(assessment, existing);
  if (!isManagedByBot(existing.labels)) {
    throw new UserFacingError(
      ErrorCode.NotManaged,
      `An Ingress named ${name} exists and the bot did not create it; nothing was written.`,
      'The bot never changes an Ingress it does not own.',
    );
  }
  throw new UserFacingError(
    ErrorCode.Conflict,
    `Nothing was written: another request for \`${request.host}\` was applied at the same moment. The host is now served ` +
      `by ${describeHolders([{ ingress: existing, routes: existing.routes }])}, not by \`${describeBackend(request)}\`.`,
    `To change it: /unexpose ${request.host}, then /expose again.`,
  );
}

/** Deletes the Ingress the bot just created, only if it is still exactly that object. */
async function withdraw(
  deps: ExposeDependencies,
  created: StoredIngress,
  ref: IngressRef,
  contenders: string,
  host: string,
  onWrite: (write: IngressWrite) => void,
): Promise<void> {
  const name = `${ref.namespace}/${ref.name}`;
  let result: 'deleted' | 'gone';
  try {
    if (created.uid === undefined || created.resourceVersion === undefined)
      throw new Error(`the API server returned ${name} without uid or resourceVersion`);
    result = await deps.ingresses.deleteIngress(ref.namespace, ref.name, { uid: created.uid, resourceVersion: created.resourceVersion });
  } catch (error) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The bot created its Ingress \`${name}\`, but ${contenders} appeared for \`${host}\` ` +
        `at the same time, and the bot could not delete its own again: both serve the host now.`,
      `\`/expose list\` shows them; remove one (\`/unexpose ${host}\` removes the bot's).`,
      { cause: error },
    );
  }
  if (result === 'deleted') onWrite({ verb: 'delete', ingress: ref, reason: `another Ingress for ${host} appeared while it was created` });
}
