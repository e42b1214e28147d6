import { normaliseHostName } from '../domain/host-name.js';
import type { IngressRoute } from '../domain/ingress-route.js';
import { BotAnnotation, isManagedByBot } from '../domain/ownership.js';
import { pluralOf } from '../domain/route-claim.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { EdgeRouting, NamedRoute, RouteRef, StoredRoute, WrittenKind } from '../routing/edge-routing.js';
import { requireOpenNamespace } from './expose-assessment.js';

export interface UnexposeDependencies {
  readonly routing: EdgeRouting;
  readonly exposeNamespaces: readonly string[];
}

/** The bot's Ingress or HTTPRoute for a host, as the confirmation shows it and the Remove button names it. */
export interface Exposure {
  readonly host: string;
  readonly kind: WrittenKind;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly route: IngressRoute | undefined;
  readonly requestedBy: string | undefined;
  readonly approvedBy: string | undefined;
  readonly approvedAt: string | undefined;
}

/**
 * /unexpose <host>: finds the object the bot wrote for the host. Refuses when only objects the bot did not
 * create serve it, and when its namespace is not (or no longer) open for /expose.
 */
export async function findExposure(deps: UnexposeDependencies, rawHost: string): Promise<Exposure> {
  const host = normaliseHostName(rawHost);
  const kind = deps.routing.kind;
  const { ours, others } = await deps.routing.servingHost(host);
  const names = (list: readonly NamedRoute[]) => list.map((ref) => `${ref.namespace}/${ref.name}`).join(', ');
  if (ours.length > 1) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `Several ${pluralOf(kind)} labelled as the bot’s serve ${host}: ${names(ours.map((route) => route.ref))}. ` +
        'The bot keeps one per host, so it will not guess which to remove.',
      'Remove the extra ones by hand, then run /unexpose again.',
    );
  }
  const found = ours[0];
  if (found === undefined) {
    if (others.length > 0) {
      throw new UserFacingError(
        ErrorCode.NotManaged,
        `${host} is served by ${names(others)}, which the bot did not create; it removes only its own ${pluralOf(kind)}.`,
        `Change that ${others[0]?.kind ?? kind} where it is managed (its manifests or GitOps repository).`,
      );
    }
    throw new UserFacingError(
      ErrorCode.NotFound,
      `No ${kind} serves ${host}; there is nothing to remove.`,
      '`/expose list` shows the hosts the bot manages.',
    );
  }
  requireOpenNamespace(found.ref.namespace, deps.exposeNamespaces);
  const route = await deps.routing.read(found.ref);
  if (route?.uid === undefined || !isManagedByBot(route.labels) || !route.rules.some((rule) => rule.host === host)) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The ${kind} ${found.ref.namespace}/${found.ref.name} for ${host} changed or disappeared while the bot was reading it.`,
      `Run /unexpose ${host} again.`,
    );
  }
  requireOnlyWhatTheBotWrote(route, host);
  return toExposure(host, route, route.uid);
}

/**
 * The Remove click: re-reads the object, checks it is still the bot's and still the one that was confirmed
 * (same uid, still serving the host, nothing added by hand since), then deletes it with uid and
 * resourceVersion preconditions so a change in between is not deleted by mistake.
 */
export async function removeExposure(
  deps: UnexposeDependencies,
  target: { readonly host: string; readonly namespace: string; readonly name: string; readonly uid: string },
): Promise<Exposure> {
  requireOpenNamespace(target.namespace, deps.exposeNamespaces);
  const kind = deps.routing.kind;
  const ref: RouteRef = { kind, namespace: target.namespace, name: target.name };
  const where = `${target.namespace}/${target.name}`;
  const gone = new UserFacingError(ErrorCode.NotFound, `The ${kind} ${where} for ${target.host} is already gone; nothing to remove.`);
  const route = await deps.routing.read(ref);
  if (route === undefined) throw gone;
  if (!isManagedByBot(route.labels)) {
    throw new UserFacingError(ErrorCode.NotManaged, `The ${kind} ${where} is no longer labelled as the bot’s, so it was left alone.`);
  }
  if (route.uid !== target.uid || route.resourceVersion === undefined || !route.rules.some((rule) => rule.host === target.host)) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The ${kind} ${where} was replaced or changed since the confirmation, so it was left alone.`,
      `Run /unexpose ${target.host} again to see what it is now.`,
    );
  }
  requireOnlyWhatTheBotWrote(route, target.host);
  const result = await deps.routing.delete(ref, { uid: target.uid, resourceVersion: route.resourceVersion });
  if (result === 'gone') throw gone;
  return toExposure(target.host, route, target.uid);
}

function toExposure(host: string, route: StoredRoute, uid: string): Exposure {
  return {
    host,
    kind: route.ref.kind,
    namespace: route.ref.namespace,
    name: route.ref.name,
    uid,
    route: route.rules.find((candidate) => candidate.host === host),
    requestedBy: route.annotations[BotAnnotation.RequestedBy],
    approvedBy: route.annotations[BotAnnotation.ApprovedBy],
    approvedAt: route.annotations[BotAnnotation.ApprovedAt],
  };
}

/**
 * The bot writes one rule (host, one path). An object that serves more, because someone added hosts, paths,
 * a default backend or parents by hand, is no longer only the bot's work: deleting it would take those down too.
 */
function requireOnlyWhatTheBotWrote(route: StoredRoute, host: string): void {
  const own = route.rules.findIndex((rule) => rule.host === host);
  const added = route.rules
    .filter((_rule, index) => index !== own)
    .map((rule) => `${rule.host ?? 'every host'} path ${rule.path} → ${backend(rule.serviceName, rule.servicePort)}`);
  added.push(...route.extras);
  if (added.length === 0) return;
  const shown = added.length > 10 ? [...added.slice(0, 10), `${added.length - 10} more`] : added;
  throw new UserFacingError(
    ErrorCode.NotManaged,
    `The ${route.ref.kind} ${route.ref.namespace}/${route.ref.name} serves more than the bot wrote for ${host}: ` +
      `also ${shown.join('; ')}. ` +
      'Removing it would take that down too, so nothing was changed.',
    `Remove what was added by hand from the ${route.ref.kind} first ` +
      `(or delete the whole ${route.ref.kind} with kubectl if it should all go).`,
  );
}

function backend(service: string | undefined, port: number | string | undefined): string {
  return `${service ?? '?'}:${port ?? '?'}`;
}
