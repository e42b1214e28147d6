import { failedChecks } from '../domain/expose-check.js';
import type { ExposeRequest } from '../domain/expose-request.js';
import { ingressNameForHost } from '../domain/ingress-name.js';
import { buildManagedIngress, type ExposeApproval, type IngressManifest } from '../domain/managed-ingress.js';
import { isManagedByBot } from '../domain/ownership.js';
import { findRouteClaim } from '../domain/route-claim.js';
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
  | { readonly kind: 'applied'; readonly assessment: ExposeAssessment; readonly manifest: IngressManifest; readonly ingress: IngressRef }
  /** The bot's Ingress already routes exactly this request (a repeated click, a retry, a second approver). */
  | { readonly kind: 'unchanged'; readonly assessment: ExposeAssessment; readonly ingress: IngressRef };

export interface IngressRef {
  readonly namespace: string;
  readonly name: string;
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
 * Apply or Approve: re-runs every check (the cluster may have changed since the preview), then writes
 * the one Ingress for the host with server-side apply. An Ingress of that name that the bot does not
 * own is never touched.
 */
export async function applyExpose(
  deps: ExposeDependencies,
  request: ExposeRequest,
  approval: Required<ExposeApproval>,
  now: Date,
): Promise<ExposeOutcome> {
  const assessment = await assessExposure(deps, request, now);
  const ref = { namespace: request.namespace, name: assessment.ingressName };
  if (assessment.claim.kind === 'exposed') return { kind: 'unchanged', assessment, ingress: ref };
  const failures = failedChecks(assessment.checks);
  const [first, ...others] = failures;
  if (first !== undefined) {
    throw new UserFacingError(
      ErrorCode.CheckFailed,
      `Nothing was written: ${first.detail}`,
      others.length === 0 ? undefined : others.map((check) => check.detail).join(' '),
    );
  }
  const existing = await deps.ingresses.readIngress(ref.namespace, ref.name);
  if (existing !== undefined) {
    if (isUnchanged(existing, request, deps.ingressClass, ref.name)) return { kind: 'unchanged', assessment, ingress: ref };
    throw notOurs(existing, ref);
  }
  const manifest = buildManagedIngress(request, deps.ingressClass, approval);
  const { ingress, created } = await deps.ingresses.applyIngress(manifest);
  if (created) return { kind: 'applied', assessment, manifest, ingress: ref };
  // The object appeared between the read and the apply: a concurrent click on the same request.
  if (isUnchanged(ingress, request, deps.ingressClass, ref.name)) return { kind: 'unchanged', assessment, ingress: ref };
  throw notOurs(ingress, ref);
}

/** The bot's Ingress that already routes exactly this request, if any (one cluster-wide list). */
export async function findExposed(deps: Pick<ExposeDependencies, 'ingresses' | 'ingressClass'>, request: ExposeRequest): Promise<IngressRef | undefined> {
  const ingressName = ingressNameForHost(request.host);
  const claim = findRouteClaim(await deps.ingresses.listIngresses(), request, { ingressClass: deps.ingressClass, ingressName });
  return claim.kind === 'exposed' ? { namespace: claim.ingress.namespace, name: claim.ingress.name } : undefined;
}

function isUnchanged(ingress: StoredIngress, request: ExposeRequest, ingressClass: string, ingressName: string): boolean {
  return isManagedByBot(ingress.labels) && findRouteClaim([ingress], request, { ingressClass, ingressName }).kind === 'exposed';
}

function notOurs(ingress: StoredIngress, ref: IngressRef): UserFacingError {
  const name = `${ref.namespace}/${ref.name}`;
  return isManagedByBot(ingress.labels)
    ? new UserFacingError(ErrorCode.Conflict, `The bot’s Ingress ${name} now routes something else; nothing was written.`, 'Run /expose again to see the current state.')
    : new UserFacingError(ErrorCode.NotManaged, `An Ingress named ${name} exists and the bot did not create it; nothing was written.`, 'The bot never changes an Ingress it does not own.');
}
