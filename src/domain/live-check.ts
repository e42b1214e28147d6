import { daysUntilExpiry } from './certificate.js';
import { type DnsLookup, describeRecord, dnsVerdict } from './dns-verdict.js';
import { sameDnsName } from './load-balancer.js';
import { type HttpProbeResult, isFallbackAnswer, type ProbeFailure, type TlsProbeResult } from './probe-result.js';

/** A certificate that expires within this many days fails the live check: partners would lose the host soon. */
export const LIVE_CHECK_EXPIRY_DAYS = 14;

/** An HTTPRoute's state for the shared Gateway, read from status.parents[] (current observedGeneration only). */
export type HttpRouteStatus = 'live' | 'pending' | { readonly refused: true; readonly reason: string; readonly message: string };

/** Whether the proxy took the route up: an Ingress's status.loadBalancer.ingress, or an HTTPRoute's status. */
export type RouteUptake =
  | { readonly kind: 'Ingress'; readonly loadBalancer: readonly { readonly hostname?: string; readonly ip?: string }[] }
  | { readonly kind: 'HTTPRoute'; readonly status: HttpRouteStatus }
  /** Nothing on the edge routes the host: no Ingress of the shared class, or no HTTPRoute on the shared Gateway, names it. */
  | { readonly kind: 'unrouted'; readonly routes: 'Ingress' | 'HTTPRoute' };

export interface LiveCheckInput {
  readonly host: string;
  readonly nlb: { readonly dnsName: string; readonly addresses: readonly string[] };
  /** Undefined when the route could not be read (the cluster did not answer): the step is skipped. */
  readonly route: RouteUptake | undefined;
  readonly dns: { readonly lookup: DnsLookup; readonly zoneApex: boolean } | undefined;
  /** One per NLB address and TLS listener port. */
  readonly tls: readonly TlsProbeResult[];
  /** One per NLB address (the host's answer and the unknown host's answer). */
  readonly http: readonly HttpProbeResult[];
  /** False when the NLB was not probed on purpose (a retry that waits for DNS or the route only); default true. */
  readonly probed?: boolean;
  readonly now: Date;
}

export type LiveCheckStepName = 'route' | 'dns' | 'tls' | 'http';
export type LiveCheckStepStatus = 'pass' | 'fail' | 'skipped';

export interface LiveCheckStep {
  readonly name: LiveCheckStepName;
  readonly status: LiveCheckStepStatus;
  /** What was found, in a sentence or two. */
  readonly summary: string;
  /** What to do, one sentence; set on failure only. */
  readonly action: string | undefined;
}

export interface LiveCheckVerdict {
  /** unchecked: nothing failed, but a partner's path was not checked whole (no TLS listener, no answer to compare, ...). */
  readonly status: 'pass' | 'fail' | 'unchecked';
  readonly summary: string;
  readonly steps: readonly LiveCheckStep[];
  /**
   * Every failure is one that time fixes by itself: a host that does not resolve yet (DNS propagation), a route
   * the controller has not reported on yet (ingress-nginx writes an Ingress's status.loadBalancer about once a
   * minute), and, while it has not, the proxy's fallback answering the host. The caller asks again (for up to
   * 10 minutes). The probes connect to the NLB's addresses, so they do not wait for DNS.
   */
  readonly shouldRetry: boolean;
  /** The steps waited for when shouldRetry, in order (route, dns, http); empty otherwise. */
  readonly waitingFor: readonly LiveCheckStepName[];
}

/** From request to reachable: can a partner reach the host through the shared NLB now? */
export function liveCheck(input: LiveCheckInput): LiveCheckVerdict {
  const steps = [routeStep(input), dnsStep(input), tlsStep(input), httpStep(input)];
  const failed = steps.filter((step) => step.status === 'fail');
  const skipped = steps.filter((step) => step.status === 'skipped').map((step) => step.name);
  const notChecked = skipped.length === 0 ? '' : ` (not checked: ${skipped.join(', ')})`;
  if (failed.length === 0) {
    // "Reachable" only when a request reached the route through the NLB; a skipped route read or DNS step is said.
    if (skipped.includes('tls') || skipped.includes('http')) {
      const summary = `Nothing failed, but ${input.host} was not checked through the NLB${notChecked}.`;
      return { status: 'unchecked', summary, steps, shouldRetry: false, waitingFor: [] };
    }
    const summary = `${input.host} is reachable through the shared NLB${notChecked}.`;
    return { status: 'pass', summary, steps, shouldRetry: false, waitingFor: [] };
  }
  const notYet = stepsNotYet(input);
  const retry = failed.every((step) => notYet.includes(step.name));
  return {
    status: 'fail',
    summary: `${input.host} is not reachable yet: ${failed.map((step) => step.name).join(', ')} failed${notChecked}.`,
    steps,
    shouldRetry: retry,
    waitingFor: retry ? failed.map((step) => step.name) : [],
  };
}

/** The steps that fail, if they do, only because something is still on its way. */
function stepsNotYet(input: LiveCheckInput): LiveCheckStepName[] {
  const { route } = input;
  const routePending =
    (route?.kind === 'Ingress' && route.loadBalancer.length === 0) || (route?.kind === 'HTTPRoute' && route.status === 'pending');
  const dnsPending = input.dns !== undefined && shouldRetryDns(input.dns.lookup);
  // A proxy that has not taken the route up may not serve it yet: its fallback answering is expected then, and only then.
  const onlyFallback = input.http.every(
    ({ answer, fallback }) => answer === undefined || (answer.ok && (isFallbackAnswer(answer, fallback) || answer.status < 500)),
  );
  return [
    ...(routePending ? (['route'] as const) : []),
    ...(dnsPending ? (['dns'] as const) : []),
    ...(routePending && onlyFallback ? (['http'] as const) : []),
  ];
}

/** DNS failures that pass by themselves: the resolver timed out, or the zone's servers failed or refused to connect. */
const TRANSIENT_DNS_ERRORS = new Set(['ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED']);

/**
 * The host does not resolve yet (NXDOMAIN, or a name without A or CNAME records): a record may still be on its
 * way; or the lookup failed in a way that passes (a timeout, SERVFAIL): asking again is the answer to both.
 */
export function shouldRetryDns(lookup: DnsLookup): boolean {
  if (lookup.kind === 'nxdomain') return true;
  if (lookup.kind === 'error') return TRANSIENT_DNS_ERRORS.has(lookup.code);
  return lookup.kind === 'answer' && lookup.cname === undefined && lookup.addresses.length === 0;
}

const pass = (name: LiveCheckStepName, summary: string): LiveCheckStep => ({ name, status: 'pass', summary, action: undefined });
const fail = (name: LiveCheckStepName, summary: string, action: string): LiveCheckStep => ({ name, status: 'fail', summary, action });
const skip = (name: LiveCheckStepName, summary: string): LiveCheckStep => ({ name, status: 'skipped', summary, action: undefined });

function routeStep({ host, route, nlb }: LiveCheckInput): LiveCheckStep {
  if (route === undefined) return skip('route', 'The route’s status could not be read from the cluster.');
  if (route.kind === 'unrouted') {
    return fail(
      'route',
      route.routes === 'Ingress'
        ? `No Ingress of the shared ingress class routes ${host}.`
        : `No HTTPRoute attached to the shared Gateway routes ${host}.`,
      `Expose ${host} with /expose (or check the host’s spelling): the proxy answers it with its fallback.`,
    );
  }
  if (route.kind === 'Ingress') {
    const shown = route.loadBalancer.map((entry) => entry.hostname ?? entry.ip ?? '').filter((value) => value !== '');
    if (route.loadBalancer.length === 0) {
      return fail(
        'route',
        'The Ingress has no status.loadBalancer yet: no ingress controller has reported taking it up.',
        'A controller may take a minute to report (ingress-nginx does about once a minute); if it stays so, check that ' +
          'spec.ingressClassName names the class of the shared controller and that the controller runs.',
      );
    }
    const ours = route.loadBalancer.some(
      (entry) =>
        (entry.hostname !== undefined && sameDnsName(entry.hostname, nlb.dnsName)) ||
        (entry.ip !== undefined && nlb.addresses.includes(entry.ip)),
    );
    if (!ours && shown.length > 0) {
      return fail(
        'route',
        `The Ingress was taken up by another load balancer (${shown.join(', ')}), not the shared NLB.`,
        'Check spec.ingressClassName: another controller, with a load balancer of its own, serves that class.',
      );
    }
    return pass('route', `The ingress controller took the Ingress up (status.loadBalancer: ${shown.join(', ') || 'set'}).`);
  }
  const { status } = route;
  if (status === 'live') return pass('route', 'The Gateway accepted the HTTPRoute and resolved its backends.');
  if (status === 'pending') {
    return fail(
      'route',
      'No Gateway controller has reported on the HTTPRoute yet.',
      'Check again in a few seconds; if it stays so, the route’s parentRef names no existing Gateway.',
    );
  }
  return fail('route', `The Gateway refused the HTTPRoute: ${status.reason} (${shorten(status.message)}).`, refusalAction(status.reason));
}

const REFUSAL_ACTIONS: Readonly<Record<string, string>> = {
  NotAllowedByListeners: 'The Gateway’s listener does not allow routes from this namespace: widen its allowedRoutes or move the route.',
  NoMatchingListenerHostname: 'The host is outside the hostname of the Gateway’s listener: use a host the listener allows.',
  NoMatchingParent: 'The parentRef’s sectionName or port names no listener of the Gateway: fix the parentRef.',
  UnsupportedValue: 'The route uses a value the Gateway’s implementation does not support: change it as the message says.',
  RefNotPermitted: 'The backend is in another namespace: add a ReferenceGrant in the Service’s namespace, or move the route there.',
  BackendNotFound: 'The backend Service or its port does not exist: fix the route’s backendRefs.',
  InvalidKind: 'A backendRef names a kind the Gateway cannot route to: point it at a Service.',
};

function refusalAction(reason: string): string {
  return REFUSAL_ACTIONS[reason] ?? 'Fix the HTTPRoute as the condition’s message says.';
}

function dnsStep({ host, dns, nlb }: LiveCheckInput): LiveCheckStep {
  if (dns === undefined) return skip('dns', 'DNS was not looked up.');
  const verdict = dnsVerdict(host, dns.lookup, nlb, { apex: dns.zoneApex });
  if (verdict.status === 'pass') return pass('dns', verdict.summary);
  // dnsVerdict says what it found, then what to create: the live check shows the two apart.
  const [found] = verdict.summary.split(/(?<=[.)]) (?=Create |Make sure |Replace )/);
  const record = verdict.record === undefined ? 'the NLB' : describeRecord(verdict.record);
  const wait = shouldRetryDns(dns.lookup) ? '; a new record may take a few minutes to reach partners’ resolvers' : '';
  return fail('dns', found ?? verdict.summary, `Point ${host} at the NLB with ${record}${wait}.`);
}

type TlsProblemKind = 'connect' | 'handshake' | 'untrusted' | 'name' | 'expiry';

interface Problem<Kind> {
  readonly kind: Kind;
  readonly where: string;
  /** What is wrong there, without the place: the same finding on several addresses is said once. */
  readonly detail: string;
  readonly action: string;
}

function tlsStep({ host, tls, probed: wasProbed, now }: LiveCheckInput): LiveCheckStep {
  if (wasProbed === false) return skip('tls', 'Not probed this time: the check waits for DNS or the route first.');
  if (tls.length === 0) return skip('tls', 'The NLB has no TLS listener: nothing was probed.');
  const problems: Problem<TlsProblemKind>[] = [];
  for (const result of tls) {
    const where = `${result.address}:${result.port}`;
    if (!result.ok) {
      const handshake = result.reason === 'tls';
      problems.push({
        kind: handshake ? 'handshake' : 'connect',
        where,
        detail: failureText(result),
        action: handshake
          ? `The listener on port ${result.port} does not complete a TLS handshake for ${host}: ` +
            'make it a TLS listener with an ACM certificate.'
          : `Nothing answers on ${where}: check that the NLB has a listener on port ${result.port} and healthy targets (/health).`,
      });
      continue;
    }
    const { certificate } = result;
    if (!result.trusted) {
      const code = result.authorizationError ?? 'unknown reason';
      problems.push({
        kind: 'untrusted',
        where,
        detail: `the certificate is not trusted (${code})`,
        action: untrustedAction(code),
      });
    }
    if (!result.validForHost) {
      const names = certificate.subjectAltNames.length > 0 ? certificate.subjectAltNames.join(', ') : `only ${certificate.subject}`;
      problems.push({
        kind: 'name',
        where,
        detail: `the certificate covers ${names}, not ${host}`,
        action: `Attach an ACM certificate that covers ${host} to the NLB’s TLS listener (an extra SNI certificate will do).`,
      });
    }
    const days = daysUntilExpiry(certificate, now) ?? 0;
    if (
      certificate.notAfter.getTime() - now.getTime() <= LIVE_CHECK_EXPIRY_DAYS * DAY_MS &&
      result.authorizationError !== 'CERT_HAS_EXPIRED'
    ) {
      const date = isoDate(certificate.notAfter);
      problems.push({
        kind: 'expiry',
        where,
        detail: `the certificate expires on ${date} (in ${Math.max(0, days)} days)`,
        action:
          `Renew the certificate before ${date}: re-import an imported one in ACM; ` +
          'for an Amazon-issued one keep its validation records in DNS.',
      });
    }
  }
  const probed = [...new Set(tls.map((result) => `${result.address}:${result.port}`))];
  if (problems.length === 0) {
    const first = tls.find((result) => result.ok);
    const until = first?.ok === true ? `, valid until ${isoDate(first.certificate.notAfter)}` : '';
    return pass('tls', `${probed.join(', ')}: a trusted certificate for ${host}${until}.`);
  }
  return fail('tls', describeProblems(problems, probed), actionFor(problems, probed, ['connect', 'handshake']));
}

type HttpProblemKind = 'no-answer' | 'fallback' | 'server-error';

function httpStep({ host, http, probed: wasProbed }: LiveCheckInput): LiveCheckStep {
  if (wasProbed === false) return skip('http', 'Not asked this time: the check waits for DNS or the route first.');
  const asked = http.filter((result) => result.answer !== undefined);
  if (asked.length === 0) return skip('http', http.length === 0 ? 'No HTTP request was sent.' : 'No HTTP request was sent: TLS failed.');
  const problems: Problem<HttpProblemKind>[] = [];
  const uncompared: string[] = [];
  for (const result of asked) {
    const where = `${result.address}:${result.port}`;
    const { answer, fallback } = result;
    if (answer === undefined) continue;
    if (!answer.ok) {
      problems.push({
        kind: 'no-answer',
        where,
        detail: `no HTTP answer for ${host} (${failureText(answer)})`,
        action: noAnswerAction(answer),
      });
    } else if (isFallbackAnswer(answer, fallback)) {
      problems.push({
        kind: 'fallback',
        where,
        detail: `${host} got the answer an unknown host gets (HTTP ${answer.status}): the proxy’s fallback answered, not the route`,
        action:
          'The proxy does not serve the route: check the route step and the route’s host; a new route may take a few seconds to load.',
      });
    } else if (answer.status >= 500) {
      problems.push({
        kind: 'server-error',
        where,
        detail: `HTTP ${answer.status} for ${host} ${result.path}`,
        action: `The route is served but its backend fails (HTTP ${answer.status}): check the Service’s endpoints and pods’ readiness.`,
      });
    } else if (fallback?.ok !== true) {
      uncompared.push(where);
    }
  }
  const probed = asked.map((result) => `${result.address}:${result.port}`);
  if (problems.length === 0) {
    // The status and the time per address, as partners would see them.
    const answers = asked.flatMap((result) =>
      result.answer?.ok === true ? [`${result.address}:${result.port} HTTP ${result.answer.status} in ${result.answer.durationMs} ms`] : [],
    );
    const note = uncompared.length === 0 ? '' : ` (not compared with an unknown host on ${uncompared.join(', ')}: it got no answer)`;
    return pass('http', `The route answers ${host}: ${answers.join(', ')}${note}.`);
  }
  return fail('http', describeProblems(problems, probed), actionFor(problems, probed, ['no-answer', 'server-error', 'fallback']));
}

/**
 * The problems as one text, each finding once with the places it was found ("127.0.0.1:443, 127.0.0.2:443: the
 * certificate covers …"); when some addresses work, it says which fail and which work.
 */
function describeProblems(problems: readonly Problem<string>[], probed: readonly string[]): string {
  const failing = new Set(problems.map((problem) => problem.where));
  const working = [...new Set(probed)].filter((where) => !failing.has(where));
  const places = new Map<string, string[]>();
  for (const problem of problems) {
    const seen = places.get(problem.detail);
    if (seen === undefined) places.set(problem.detail, [problem.where]);
    else if (!seen.includes(problem.where)) seen.push(problem.where);
  }
  const texts = [...places].map(([detail, wheres]) => `${wheres.join(', ')}: ${detail}`).join('; ');
  return working.length === 0 ? `${texts}.` : `${texts}; ${working.join(', ')} ${working.length === 1 ? 'works' : 'work'}.`;
}

/**
 * What to do about the first problem. When only some addresses fail in a way one zone can cause (no
 * healthy target there), the action names them: each NLB address is one Availability Zone.
 */
function actionFor<Kind extends string>(problems: readonly Problem<Kind>[], probed: readonly string[], zonal: readonly Kind[]): string {
  const first = problems[0];
  if (first === undefined) return '';
  const failing = [...new Set(problems.map((problem) => problem.where))];
  const partial = failing.length < new Set(probed).size;
  if (partial && problems.every((problem) => zonal.includes(problem.kind))) {
    const addresses = failing.map((where) => where.replace(/:\d+$/, ''));
    return (
      `Only ${[...new Set(addresses)].join(', ')} ${failing.length === 1 ? 'fails' : 'fail'}: check the NLB’s targets in ` +
      `${failing.length === 1 ? 'that Availability Zone' : 'those Availability Zones'} with /health.`
    );
  }
  return first.action;
}

function untrustedAction(code: string): string {
  if (code === 'CERT_HAS_EXPIRED') return 'The certificate has expired: renew or re-import it in ACM, or attach a valid one.';
  if (code === 'CERT_NOT_YET_VALID') return 'The certificate is not valid yet: check its NotBefore, or attach one that is valid now.';
  return (
    'Partners’ clients will refuse this certificate: serve one from a public CA such as ACM, or, for a private CA, ' +
    'make sure partners trust it and add it to the file in NODE_EXTRA_CA_CERTS.'
  );
}

function noAnswerAction(failure: ProbeFailure): string {
  if (failure.reason === 'not-http') {
    return 'Something that does not speak HTTP answers behind the NLB: check that the TLS listener forwards to the proxy’s HTTP port.';
  }
  return 'The proxy gave no answer: check the NLB’s targets (/health) and the proxy’s pods and logs.';
}

function failureText(failure: ProbeFailure): string {
  const text: Record<ProbeFailure['reason'], string> = {
    refused: 'connection refused',
    timeout: 'no answer in time',
    reset: 'connection reset',
    tls: 'TLS handshake failed',
    'not-http': 'not an HTTP answer',
    unreachable: 'address unreachable',
    error: 'failed',
  };
  return `${text[failure.reason]}, ${failure.detail}`;
}

const DAY_MS = 86_400_000;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
