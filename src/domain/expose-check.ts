import type { CertificateCoverage } from './certificate-coverage.js';
import type { ControllerService } from './controller-service.js';
import { describeBackend, describePort, type ExposeRequest } from './expose-request.js';
import { isManagedByBot } from './ownership.js';
import { type HostHolder, kindOf, pluralOf, type RouteClaim } from './route-claim.js';

/**
 * One check of an exposure and its verdict. `fail` blocks the write; `warn` is shown and does not.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export const CheckName = {
  Host: 'Host name',
  Namespace: 'Namespace',
  Service: 'Service',
  Port: 'Port',
  Gateway: 'Gateway',
  Listener: 'Listener',
  Route: 'Host free',
  Tls: 'TLS certificate',
  Dns: 'DNS',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

export interface ExposeCheck {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** One or more sentences, with `code` spans; the renderer escapes Slack markup (&, <, >). */
  readonly detail: string;
}

export function failedChecks(checks: readonly ExposeCheck[]): ExposeCheck[] {
  return checks.filter((check) => check.status === 'fail');
}

/** The Service exists, selects Pods (not ExternalName, not hand-set endpoints), and has the port (by number or name) over TCP. */
export function serviceChecks(request: ExposeRequest, service: ControllerService | undefined): ExposeCheck[] {
  const name = `${request.namespace}/${request.service}`;
  if (service === undefined) {
    return [
      {
        name: CheckName.Service,
        status: 'fail',
        detail: `There is no Service \`${request.service}\` in the namespace \`${request.namespace}\`.`,
      },
    ];
  }
  if (service.type === 'ExternalName') {
    return [
      {
        name: CheckName.Service,
        status: 'fail',
        detail: `The Service \`${name}\` is of type ExternalName: the bot exposes only Services backed by Pods in the cluster.`,
      },
    ];
  }
  if (Object.keys(service.selector).length === 0) {
    // Without a selector nothing ties the Service to Pods: its endpoints are whatever addresses someone wrote.
    return [
      {
        name: CheckName.Service,
        status: 'fail',
        detail:
          `The Service \`${name}\` has no selector: its endpoints are set by hand, so what ` +
          `it would expose cannot be checked. The bot exposes only Services that select Pods.`,
      },
    ];
  }
  const serviceCheck: ExposeCheck = {
    name: CheckName.Service,
    status: 'pass',
    detail: `\`${name}\` exists (${service.type}) and selects Pods.`,
  };
  const wanted = request.port;
  const port = service.ports.find((candidate) => ('number' in wanted ? candidate.port === wanted.number : candidate.name === wanted.name));
  const listed = service.ports.map(
    (candidate) => `${candidate.name === undefined ? '' : `${candidate.name} `}${candidate.port}/${candidate.protocol}`,
  );
  if (port === undefined) {
    const kind = 'number' in wanted ? 'port' : 'port named';
    const ports = listed.length === 0 ? 'It has no ports.' : `Its ports: ${listed.join(', ')}.`;
    return [
      serviceCheck,
      { name: CheckName.Port, status: 'fail', detail: `The Service \`${name}\` has no ${kind} \`${describePort(wanted)}\`. ${ports}` },
    ];
  }
  if (port.protocol !== 'TCP') {
    return [
      serviceCheck,
      {
        name: CheckName.Port,
        status: 'fail',
        detail: `The port \`${describePort(wanted)}\` of \`${name}\` is ${port.protocol}; an Ingress carries HTTP over TCP.`,
      },
    ];
  }
  const label = port.name === undefined ? `${port.port}/TCP` : `${port.port}/TCP, named ${port.name}`;
  return [
    serviceCheck,
    { name: CheckName.Port, status: 'pass', detail: `\`${describePort(wanted)}\` is a port of \`${name}\` (${label}).` },
  ];
}

/**
 * Where a host is routed: Ingresses of a class (ingress-nginx and other controllers merge them by host), or
 * routes on one Gateway (Gateway API accepts a second route for a host and lets the oldest win, silently).
 */
export type RoutingMode =
  | { readonly kind: 'ingress'; readonly ingressClass?: string }
  | { readonly kind: 'gateway'; readonly gateway: string };

/** Nobody else serves the host, at any path (see RouteClaim). */
export function routeCheck(request: ExposeRequest, claim: RouteClaim, mode: RoutingMode = { kind: 'ingress' }): ExposeCheck {
  const host = `\`${request.host}\``;
  const written = mode.kind === 'ingress' ? 'Ingress' : 'HTTPRoute';
  switch (claim.kind) {
    case 'free':
      return {
        name: CheckName.Route,
        status: 'pass',
        detail:
          mode.kind === 'ingress'
            ? `No Ingress serves ${host} yet, at any path.`
            : `No route on the Gateway \`${mode.gateway}\` (and no Ingress on its NLB) serves ${host} yet, at any path.`,
      };
    case 'exposed':
      return {
        name: CheckName.Route,
        status: 'fail',
        detail:
          `The bot already exposes ${host} with the path \`${request.path}\` to \`${describeBackend(request)}\` ` +
          `(${kindOf(claim.route)} \`${claim.route.namespace}/${claim.route.name}\`). Nothing to do.`,
      };
    case 'taken': {
      if (claim.reason === 'name') {
        const holder = claim.holders[0]?.route;
        const managed = holder !== undefined && isManagedByBot(holder.labels);
        const kind = holder === undefined ? written : kindOf(holder);
        return {
          name: CheckName.Route,
          status: 'fail',
          detail:
            `An ${kind} named \`${holder?.name ?? request.host}\` already exists in ` +
            `\`${request.namespace}\`${managed ? '' : ' and the bot did not create it'}, so the bot cannot write its ${written} for ` +
            `${host} there.`,
        };
      }
      const holders = describeHolders(claim.holders);
      if (claim.reason === 'managed-host') {
        return {
          name: CheckName.Route,
          status: 'fail',
          detail:
            `The bot already exposes ${host}: it is served by ${holders}. The bot keeps ` +
            `one ${written} per host: \`/unexpose ${request.host}\` first to change it.`,
        };
      }
      const why =
        mode.kind === 'ingress'
          ? 'Ingress controllers merge the Ingresses of their class across namespaces, so another Ingress for this host, at any path, ' +
            'would receive part of its traffic. Ask the owners of that Ingress, or choose another host.'
          : 'Gateway API does not refuse a second route for a host: the oldest one silently wins, so a new HTTPRoute would ' +
            'either take part of its traffic or never be served. Ask the owners of that route, or choose another host.';
      return { name: CheckName.Route, status: 'fail', detail: `${host} is already served by ${holders}. ${why}` };
    }
  }
}

const HOLDERS_SHOWN = 5;

/**
 * "the Ingress `team-b/reports` (path `/` → `reports:http`)", wildcard rules named, at most five objects;
 * "the HTTPRoutes ..." for routes, "the routes Ingress `a/b` (...), HTTPRoute `c/d` (...)" for a mix.
 */
export function describeHolders(holders: readonly HostHolder[]): string {
  const kinds = new Set(holders.map((holder) => kindOf(holder.route)));
  const [only] = kinds;
  const mixed = kinds.size > 1;
  const shown = holders.slice(0, HOLDERS_SHOWN).map(({ route, rules }) => {
    const described = rules.map((rule) => {
      const wildcard = rule.host?.startsWith('*.') === true ? `wildcard \`${rule.host}\`, ` : '';
      const every = rule.host === undefined && kindOf(route) !== 'Ingress' ? 'every hostname, ' : '';
      const backend = `\`${rule.serviceName ?? '?'}:${rule.servicePort ?? '?'}\``;
      // A GRPCRoute matches services and methods, not paths.
      if (kindOf(route) === 'GRPCRoute') return `${wildcard}${every}gRPC → ${backend}`;
      return `${wildcard}${every}path \`${rule.path}\` → ${backend}`;
    });
    return `${mixed ? `${kindOf(route)} ` : ''}\`${route.namespace}/${route.name}\` (${described.join(', ')})`;
  });
  const more = holders.length > HOLDERS_SHOWN ? ` and ${holders.length - HOLDERS_SHOWN} more` : '';
  const noun = mixed || only === undefined ? 'the routes' : holders.length === 1 ? `the ${only}` : `the ${pluralOf(only)}`;
  return `${noun} ${shown.join(', ')}${more}`;
}

/** A usable certificate on the NLB covers the host; warnings for expiry and imported certificates. */
export function tlsCheck(host: string, coverage: CertificateCoverage): ExposeCheck {
  const { covering, unusable, attachedNames, warnings } = coverage;
  if (covering !== undefined) {
    const certificate = covering.certificate;
    const until = certificate.notAfter === undefined ? '' : `, valid until ${certificate.notAfter.toISOString().slice(0, 10)}`;
    const role = covering.isDefault ? 'default' : 'SNI';
    const where = `${role} certificate on port ${covering.listenerPort}${until}`;
    const detail = `Covered by \`${certificate.domainName}\` (${certificate.type}, ${where}).`;
    return { name: CheckName.Tls, status: warnings.length > 0 ? 'warn' : 'pass', detail: [detail, ...warnings].join(' ') };
  }
  if (unusable.length > 0) {
    const reasons = unusable.map((entry) => `\`${entry.certificate.certificate.domainName}\` (${entry.reason})`).join('; ');
    return { name: CheckName.Tls, status: 'fail', detail: `\`${host}\` is named only by certificates that cannot serve it: ${reasons}.` };
  }
  if (attachedNames.length === 0) {
    return {
      name: CheckName.Tls,
      status: 'fail',
      detail: `The NLB has no TLS listener with a certificate, so \`${host}\` cannot be served over HTTPS.`,
    };
  }
  return {
    name: CheckName.Tls,
    status: 'fail',
    detail:
      `No certificate on the NLB’s TLS listener covers \`${host}\`. The attached ` +
      `certificates cover: ${attachedNames.map((name) => `\`${name}\``).join(', ')}.`,
  };
}
