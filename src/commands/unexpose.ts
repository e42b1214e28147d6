import { normaliseHostName } from '../domain/host-name.js';
import type { IngressRoute } from '../domain/ingress-route.js';
import { BotAnnotation, isManagedByBot } from '../domain/ownership.js';
import { ErrorCode, UserFacingError } from '../errors.js';
import type { IngressReader, IngressWriter, StoredIngress } from '../ports/kube/ingress-gateway.js';
import { requireOpenNamespace } from './expose-assessment.js';

export interface UnexposeDependencies {
  readonly ingresses: IngressReader & IngressWriter;
  readonly exposeNamespaces: readonly string[];
}

/** The bot's Ingress for a host, as the confirmation shows it and the Remove button names it. */
export interface Exposure {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly route: IngressRoute | undefined;
  readonly requestedBy: string | undefined;
  readonly approvedBy: string | undefined;
  readonly approvedAt: string | undefined;
}

/**
 * /unexpose <host>: finds the Ingress the bot wrote for the host. Refuses when only Ingresses the bot did
 * not create serve it, and when its namespace is not (or no longer) open for /expose.
 */
export async function findExposure(deps: UnexposeDependencies, rawHost: string): Promise<Exposure> {
  const host = normaliseHostName(rawHost);
  const serving = (await deps.ingresses.listIngresses()).filter((ingress) => ingress.routes.some((route) => route.host === host));
  const ours = serving.filter((ingress) => isManagedByBot(ingress.labels));
  const names = (list: typeof serving) => list.map((ingress) => `${ingress.namespace}/${ingress.name}`).join(', ');
  if (ours.length > 1) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `Several Ingresses labelled as the bot’s serve ${host}: ${names(ours)}. ` +
        `The bot keeps one per host, so it will not guess which to remove.`,
      'Remove the extra ones by hand, then run /unexpose again.',
    );
  }
  const summary = ours[0];
  if (summary === undefined) {
    if (serving.length > 0) {
      throw new UserFacingError(
        ErrorCode.NotManaged,
        `${host} is served by ${names(serving)}, which the bot did not create; it removes only its own Ingresses.`,
        'Change that Ingress where it is managed (its manifests or GitOps repository).',
      );
    }
    throw new UserFacingError(
      ErrorCode.NotFound,
      `No Ingress serves ${host}; there is nothing to remove.`,
      '`/expose list` shows the hosts the bot manages.',
    );
  }
  requireOpenNamespace(summary.namespace, deps.exposeNamespaces);
  const ingress = await deps.ingresses.readIngress(summary.namespace, summary.name);
  if (ingress?.uid === undefined || !isManagedByBot(ingress.labels) || !ingress.routes.some((route) => route.host === host)) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The Ingress ${summary.namespace}/${summary.name} for ${host} changed or disappeared while the bot was reading it.`,
      `Run /unexpose ${host} again.`,
    );
  }
  requireOnlyWhatTheBotWrote(ingress, host);
  return toExposure(host, ingress, ingress.uid);
}

/**
 * The Remove click: re-reads the Ingress, checks it is still the bot's and still the one that was
 * confirmed (same uid, still serving the host, nothing added by hand since), then deletes it with uid and
 * resourceVersion preconditions so a change in between is not deleted by mistake.
 */
export async function removeExposure(
  deps: UnexposeDependencies,
  target: { readonly host: string; readonly namespace: string; readonly name: string; readonly uid: string },
): Promise<Exposure> {
  requireOpenNamespace(target.namespace, deps.exposeNamespaces);
  const where = `${target.namespace}/${target.name}`;
  const gone = new UserFacingError(ErrorCode.NotFound, `The Ingress ${where} for ${target.host} is already gone; nothing to remove.`);
  const ingress = await deps.ingresses.readIngress(target.namespace, target.name);
  if (ingress === undefined) throw gone;
  if (!isManagedByBot(ingress.labels)) {
    throw new UserFacingError(ErrorCode.NotManaged, `The Ingress ${where} is no longer labelled as the bot’s, so it was left alone.`);
  }
  if (ingress.uid !== target.uid || ingress.resourceVersion === undefined || !ingress.routes.some((route) => route.host === target.host)) {
    throw new UserFacingError(
      ErrorCode.Conflict,
      `The Ingress ${where} was replaced or changed since the confirmation, so it was left alone.`,
      `Run /unexpose ${target.host} again to see what it is now.`,
    );
  }
  requireOnlyWhatTheBotWrote(ingress, target.host);
  const result = await deps.ingresses.deleteIngress(target.namespace, target.name, {
    uid: target.uid,
    resourceVersion: ingress.resourceVersion,
  });
  if (result === 'gone') throw gone;
  return toExposure(target.host, ingress, target.uid);
}

function toExposure(host: string, ingress: StoredIngress, uid: string): Exposure {
  const route = ingress.routes.find((candidate) => candidate.host === host);
  return {
    host,
    namespace: ingress.namespace,
    name: ingress.name,
    uid,
    route,
    requestedBy: ingress.annotations[BotAnnotation.RequestedBy],
    approvedBy: ingress.annotations[BotAnnotation.ApprovedBy],
    approvedAt: ingress.annotations[BotAnnotation.ApprovedAt],
  };
}

/**
 * The bot writes one rule (host, one path). An Ingress that serves more, because someone added hosts, paths or
 * a default backend by hand, is no longer only the bot's work: deleting it would take those down too.
 */
function requireOnlyWhatTheBotWrote(ingress: StoredIngress, host: string): void {
  const own = ingress.routes.findIndex((route) => route.host === host);
  const added = ingress.routes
    .filter((_route, index) => index !== own)
    .map((route) => `${route.host ?? 'every host'} path ${route.path} → ${backend(route.serviceName, route.servicePort)}`);
  if (ingress.defaultBackend !== undefined)
    added.push(`a default backend → ${backend(ingress.defaultBackend.serviceName, ingress.defaultBackend.servicePort)}`);
  if (added.length === 0) return;
  const shown = added.length > 10 ? [...added.slice(0, 10), `${added.length - 10} more`] : added;
  throw new UserFacingError(
    ErrorCode.NotManaged,
    `The Ingress ${ingress.namespace}/${ingress.name} serves more than the bot wrote for ${host}: also ${shown.join('; ')}. Removing it ` +
      `would take that down too, so nothing was changed.`,
    'Remove what was added by hand from the Ingress first (or delete the whole Ingress with kubectl if it should all go).',
  );
}

function backend(service: string | undefined, port: number | string | undefined): string {
  return `${service ?? '?'}:${port ?? '?'}`;
}
