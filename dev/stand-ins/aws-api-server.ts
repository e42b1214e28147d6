import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StandInExchange } from './aws-exchange.js';
import { AwsKeyring, verifyAuthorizationHeader } from './aws-sigv4.js';
import { type Ec2World, ec2ErrorXml, ec2Exchange, emptyEc2World } from './ec2-stand-in.js';
import { delay, listenLocal, readBody, sendJson, sendText } from './http-util.js';
import { emptyRoute53World, ROUTE53_PATH_PREFIX, type Route53World, route53ErrorXml, route53Exchange } from './route53-stand-in.js';
import { createStsStandIn, type StsStandIn } from './sts-stand-in.js';

/**
 * A local AWS endpoint that speaks the protocols the bot's SDK clients use: the ELBv2 Query API
 * (form-encoded POST, XML answers, Marker/NextMarker paging) and ACM's JSON 1.1 API (X-Amz-Target), plus
 * Route 53's REST/XML API (route53-stand-in.ts) and EC2's Query API (ec2-stand-in.ts).
 * Point the SDK at it with AWS_ENDPOINT_URL. Requests must carry a SigV4 Authorization header, so a
 * client that does not sign fails here as it would against AWS; with verifySignatures, the signature must
 * also verify with a key of the keyring (the made-up stand-in keys, plus what STS issues). STS lives in
 * sts-stand-in.ts and always verifies.
 */

export interface StandInAddress {
  ipAddress?: string;
  allocationId?: string;
  privateIPv4Address?: string;
}

export interface StandInLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  type: 'network' | 'application' | 'gateway';
  scheme: 'internet-facing' | 'internal';
  state: string;
  vpcId: string;
  zones: Array<{ zoneName: string; subnetId: string; addresses: StandInAddress[] }>;
  tags: Record<string, string>;
  /** The zone of the NLB's DNS name, for Route 53 alias records; the default is eu-west-1's NLB zone. */
  canonicalHostedZoneId?: string;
}

export interface StandInListener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP' | 'HTTP' | 'HTTPS';
  sslPolicy?: string;
  /** The default certificate first, then the extra SNI certificates. */
  certificateArns: string[];
  targetGroupArn: string;
}

export interface StandInTarget {
  id: string;
  port: number;
  availabilityZone: string;
  state: string;
  reason?: string;
  description?: string;
}

export interface StandInTargetGroup {
  arn: string;
  name: string;
  port: number;
  protocol: string;
  targetType: 'instance' | 'ip';
  healthCheckProtocol: string;
  healthCheckPort: string;
  healthCheckPath?: string;
  loadBalancerArns: string[];
  targets: StandInTarget[];
}

export interface StandInCertificate {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: string;
  type: 'AMAZON_ISSUED' | 'IMPORTED' | 'PRIVATE';
  notBefore: Date;
  notAfter: Date;
  inUseBy: string[];
  renewalEligibility?: 'ELIGIBLE' | 'INELIGIBLE';
}

export interface AwsWorld {
  loadBalancers: StandInLoadBalancer[];
  listeners: StandInListener[];
  targetGroups: StandInTargetGroup[];
  certificates: StandInCertificate[];
}

export interface AwsCall {
  readonly service: 'elbv2' | 'acm' | 'route53' | 'ec2';
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: number;
  /** The access key named in the Authorization header (verified only with verifySignatures). */
  readonly accessKeyId?: string;
  /** The region of the request's SigV4 credential scope. */
  readonly region?: string;
}

export interface AwsFault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export type AwsFaultRule = (call: Omit<AwsCall, 'status'>) => AwsFault | undefined;

export interface AwsApiServer {
  readonly url: string;
  /** What ELBv2 and ACM serve in every region that has no world of its own (worldFor). */
  readonly world: AwsWorld;
  /**
   * A region's own ELBv2 and ACM (created empty on first use): requests signed for that region (the SigV4
   * credential scope) are served from it instead of `world`, as two regions of one account are separate.
   */
  worldFor(region: string): AwsWorld;
  /** Route 53's hosted zones, records and changes (route53-stand-in.ts). */
  readonly route53: Route53World;
  /** EC2's NAT gateways, subnets and route tables (ec2-stand-in.ts). */
  readonly ec2: Ec2World;
  readonly calls: AwsCall[];
  /** STS (AssumeRole, GetCallerIdentity) on the same endpoint, with its own call record. */
  readonly sts: StsStandIn;
  /** The keys requests may be signed with; STS adds the temporary credentials it issues. */
  readonly keyring: AwsKeyring;
  /** How many calls of one action (or of all actions) were served. */
  count(action?: string): number;
  /** Adds a fault rule; `times` limits how often it fires (default: always). Returns a remover. */
  fail(rule: AwsFaultRule, times?: number): () => void;
  /** Milliseconds added to every response (the benchmark uses 50). */
  latencyMs: number;
  /** Page size for DescribeLoadBalancers/DescribeTargetGroups when the caller sets none (AWS: 400). */
  pageSize: number;
  /** Highest number of requests that were being served at the same time. */
  readonly peakConcurrency: number;
  close(): Promise<void>;
}

const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface AwsApiServerOptions {
  readonly port?: number;
  readonly world?: Partial<AwsWorld>;
  readonly route53?: Route53World;
  readonly ec2?: Ec2World;
  readonly keyring?: AwsKeyring;
  /** Refuse ELBv2 and ACM calls whose signature does not verify with a key of the keyring (403, as AWS). */
  readonly verifySignatures?: boolean;
  /** The clock signatures and temporary credentials are checked against. */
  readonly now?: () => number;
}

export async function startAwsApiServer(options: AwsApiServerOptions = {}): Promise<AwsApiServer> {
  const world: AwsWorld = {
    loadBalancers: options.world?.loadBalancers ?? [],
    listeners: options.world?.listeners ?? [],
    targetGroups: options.world?.targetGroups ?? [],
    certificates: options.world?.certificates ?? [],
  };
  const regionWorlds = new Map<string, AwsWorld>();
  const worldFor = (region: string): AwsWorld => {
    let found = regionWorlds.get(region);
    if (found === undefined) {
      found = { loadBalancers: [], listeners: [], targetGroups: [], certificates: [] };
      regionWorlds.set(region, found);
    }
    return found;
  };
  const route53 = options.route53 ?? emptyRoute53World();
  const ec2World = options.ec2 ?? emptyEc2World();
  const calls: AwsCall[] = [];
  const keyring = options.keyring ?? new AwsKeyring();
  const now = options.now ?? Date.now;
  const sts = createStsStandIn(keyring, now);
  const faults: Array<{ rule: AwsFaultRule; remaining: number }> = [];
  const state = { latencyMs: 0, pageSize: 400, active: 0, peak: 0 };
  // close() ends the latency waits, so a test may make AWS hang (a huge latencyMs) without leaving timers behind.
  const closing = new AbortController();

  const local = await listenLocal((request, response) => {
    state.active += 1;
    state.peak = Math.max(state.peak, state.active);
    void handle(request, response)
      .catch((error: unknown) => {
        if (!response.headersSent) sendText(response, 500, String(error));
      })
      .finally(() => {
        state.active -= 1;
      });
  }, options.port);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    // Dispatch by the Query API's Action: STS's actions go to its module, which checks signatures itself.
    if (sts.serve(request, body, response)) return;
    const target = request.headers['x-amz-target'];
    const acm = typeof target === 'string' && target.startsWith('CertificateManager.');
    const refuse = (code: string, message: string) =>
      acm
        ? sendJson(response, 403, { __type: code, message }, { 'content-type': 'application/x-amz-json-1.1' })
        : sendText(response, 403, queryError(code, message), 'text/xml');
    const authorization = String(request.headers.authorization ?? '');
    if (!authorization.startsWith('AWS4-HMAC-SHA256 '))
      return refuse('MissingAuthenticationToken', 'Request is missing Authentication Token');
    if (options.verifySignatures === true) {
      const check = verifyAuthorizationHeader(
        { method: request.method ?? 'POST', target: request.url ?? '/', headers: request.headers, body },
        keyring,
        now(),
      );
      if (!check.ok) return refuse(check.code, check.message);
    }
    if (state.latencyMs > 0) await delay(state.latencyMs, closing.signal);
    const scope = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\//.exec(authorization);
    const [accessKeyId, region] = [scope?.[1], scope?.[2]];
    const signer = { ...(accessKeyId === undefined ? {} : { accessKeyId }), ...(region === undefined ? {} : { region }) };
    const served = (region === undefined ? undefined : regionWorlds.get(region)) ?? world;
    if (acm) return handleAcm(String(target).slice('CertificateManager.'.length), body, response, signer, served);
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(ROUTE53_PATH_PREFIX)) {
      serveExchange('route53', route53Exchange(route53, request.method ?? 'GET', url, body), route53ErrorXml, response, signer);
      return;
    }
    const form = new URLSearchParams(body);
    const ec2 = ec2Exchange(ec2World, form);
    if (ec2 !== undefined) {
      serveExchange('ec2', ec2, ec2ErrorXml, response, signer);
      return;
    }
    handleElbv2(form, response, signer, served);
  }

  /** A request of a service module: recorded, fault rules first, then served. */
  function serveExchange(
    service: AwsCall['service'],
    exchange: StandInExchange,
    errorXml: (code: string, message: string) => string,
    response: ServerResponse,
    signer: { accessKeyId?: string; region?: string },
  ): void {
    const call = { service, action: exchange.action, params: exchange.params, ...signer };
    const fault = injected(call);
    const reply =
      fault === undefined ? exchange.serve() : { status: fault.status, body: errorXml(fault.code, fault.message ?? fault.code) };
    calls.push({ ...call, status: reply.status });
    sendText(response, reply.status, reply.body, 'text/xml');
  }

  function injected(call: Omit<AwsCall, 'status'>): AwsFault | undefined {
    for (const fault of faults) {
      if (fault.remaining <= 0) continue;
      const decided = fault.rule(call);
      if (decided !== undefined) {
        fault.remaining -= 1;
        return decided;
      }
    }
    return undefined;
  }

  function handleElbv2(
    form: URLSearchParams,
    response: ServerResponse,
    signer: { accessKeyId?: string; region?: string },
    world: AwsWorld,
  ): void {
    const action = form.get('Action') ?? '';
    const params = Object.fromEntries(form.entries());
    const call = { service: 'elbv2' as const, action, params, ...signer };
    const fault = injected(call);
    if (fault !== undefined) {
      calls.push({ ...call, status: fault.status });
      sendText(response, fault.status, queryError(fault.code, fault.message ?? fault.code), 'text/xml');
      return;
    }
    const result = elbv2Action(action, form, world);
    calls.push({ ...call, status: result.status });
    if (result.status !== 200) {
      sendText(response, result.status, queryError(result.code ?? 'InternalFailure', result.message ?? ''), 'text/xml');
      return;
    }
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ELBV2_NAMESPACE}">` +
      `<${action}Result>${toXml(result.body ?? {})}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    sendText(response, 200, xml, 'text/xml');
  }

  interface ActionResult {
    status: number;
    body?: Record<string, unknown>;
    code?: string;
    message?: string;
  }

  function elbv2Action(action: string, form: URLSearchParams, world: AwsWorld): ActionResult {
    const members = (name: string) => memberList(form, name);
    const marker = Number.parseInt(form.get('Marker') ?? '0', 10) || 0;
    const pageSize = Number.parseInt(form.get('PageSize') ?? '', 10) || state.pageSize;
    const page = <T>(items: T[]) => {
      const slice = items.slice(marker, marker + pageSize);
      const next = marker + pageSize < items.length ? String(marker + pageSize) : undefined;
      return { slice, next };
    };
    switch (action) {
      case 'DescribeLoadBalancers': {
        const names = members('Names');
        const arns = members('LoadBalancerArns');
        let selected = world.loadBalancers;
        if (names.length > 0) {
          const missing = names.filter((name) => !world.loadBalancers.some((lb) => lb.name === name));
          if (missing.length > 0)
            return { status: 400, code: 'LoadBalancerNotFound', message: `Load balancers '[${missing.join(', ')}]' not found` };
          selected = world.loadBalancers.filter((lb) => names.includes(lb.name));
        } else if (arns.length > 0) {
          const missing = arns.filter((arn) => !world.loadBalancers.some((lb) => lb.arn === arn));
          if (missing.length > 0) return { status: 400, code: 'LoadBalancerNotFound', message: `One or more load balancers not found` };
          selected = world.loadBalancers.filter((lb) => arns.includes(lb.arn));
        }
        const { slice, next } = page(selected);
        return { status: 200, body: { LoadBalancers: slice.map(loadBalancerXml), ...(next === undefined ? {} : { NextMarker: next }) } };
      }
      case 'DescribeTags': {
        const arns = members('ResourceArns');
        if (arns.length > 20) return { status: 400, code: 'ValidationError', message: 'ResourceArns: at most 20' };
        const all = [
          ...world.loadBalancers.map((lb) => ({ arn: lb.arn, tags: lb.tags })),
          ...world.targetGroups.map((group) => ({ arn: group.arn, tags: {} as Record<string, string> })),
        ];
        const missing = arns.filter((arn) => !all.some((entry) => entry.arn === arn));
        if (missing.length > 0) return { status: 400, code: 'LoadBalancerNotFound', message: `Load balancer '${missing[0]}' not found` };
        return {
          status: 200,
          body: {
            TagDescriptions: arns.map((arn) => ({
              ResourceArn: arn,
              Tags: Object.entries(all.find((entry) => entry.arn === arn)?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
            })),
          },
        };
      }
      case 'DescribeListeners': {
        const lbArn = form.get('LoadBalancerArn');
        const listenerArns = members('ListenerArns');
        if (lbArn !== null && !world.loadBalancers.some((lb) => lb.arn === lbArn)) {
          return { status: 400, code: 'LoadBalancerNotFound', message: `Load balancer '${lbArn}' not found` };
        }
        const selected = world.listeners.filter((listener) =>
          lbArn !== null ? listener.loadBalancerArn === lbArn : listenerArns.includes(listener.arn),
        );
        const { slice, next } = page(selected);
        return {
          status: 200,
          body: {
            Listeners: slice.map((listener) => ({
              ListenerArn: listener.arn,
              LoadBalancerArn: listener.loadBalancerArn,
              Port: listener.port,
              Protocol: listener.protocol,
              ...(listener.sslPolicy === undefined ? {} : { SslPolicy: listener.sslPolicy }),
              Certificates: listener.certificateArns.slice(0, 1).map((arn) => ({ CertificateArn: arn })),
              DefaultActions: [{ Type: 'forward', TargetGroupArn: listener.targetGroupArn }],
            })),
            ...(next === undefined ? {} : { NextMarker: next }),
          },
        };
      }
      case 'DescribeListenerCertificates': {
        const listener = world.listeners.find((candidate) => candidate.arn === form.get('ListenerArn'));
        if (listener === undefined) return { status: 400, code: 'ListenerNotFound', message: 'One or more listeners not found' };
        const { slice, next } = page(listener.certificateArns.map((arn, index) => ({ CertificateArn: arn, IsDefault: index === 0 })));
        return { status: 200, body: { Certificates: slice, ...(next === undefined ? {} : { NextMarker: next }) } };
      }
      case 'DescribeTargetGroups': {
        const lbArn = form.get('LoadBalancerArn');
        const arns = members('TargetGroupArns');
        if (lbArn !== null && !world.loadBalancers.some((lb) => lb.arn === lbArn)) {
          return { status: 400, code: 'LoadBalancerNotFound', message: `Load balancer '${lbArn}' not found` };
        }
        const selected = world.targetGroups.filter((group) =>
          lbArn !== null ? group.loadBalancerArns.includes(lbArn) : arns.length === 0 || arns.includes(group.arn),
        );
        const { slice, next } = page(selected);
        return {
          status: 200,
          body: {
            TargetGroups: slice.map((group) => ({
              TargetGroupArn: group.arn,
              TargetGroupName: group.name,
              Protocol: group.protocol,
              Port: group.port,
              TargetType: group.targetType,
              HealthCheckProtocol: group.healthCheckProtocol,
              HealthCheckPort: group.healthCheckPort,
              ...(group.healthCheckPath === undefined ? {} : { HealthCheckPath: group.healthCheckPath }),
              LoadBalancerArns: group.loadBalancerArns,
            })),
            ...(next === undefined ? {} : { NextMarker: next }),
          },
        };
      }
      case 'DescribeTargetHealth': {
        const group = world.targetGroups.find((candidate) => candidate.arn === form.get('TargetGroupArn'));
        if (group === undefined) return { status: 400, code: 'TargetGroupNotFound', message: 'One or more target groups not found' };
        return {
          status: 200,
          body: {
            TargetHealthDescriptions: group.targets.map((target) => ({
              Target: { Id: target.id, Port: target.port, AvailabilityZone: target.availabilityZone },
              HealthCheckPort: group.healthCheckPort === 'traffic-port' ? String(target.port) : group.healthCheckPort,
              TargetHealth: {
                State: target.state,
                ...(target.reason === undefined ? {} : { Reason: target.reason }),
                ...(target.description === undefined ? {} : { Description: target.description }),
              },
            })),
          },
        };
      }
      default:
        return { status: 400, code: 'InvalidAction', message: `The action ${action} is not valid for this web service.` };
    }
  }

  async function handleAcm(
    action: string,
    body: string,
    response: ServerResponse,
    signer: { accessKeyId?: string; region?: string },
    world: AwsWorld,
  ): Promise<void> {
    let params: Record<string, unknown>;
    try {
      params = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    } catch {
      sendJson(response, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      return;
    }
    const call = { service: 'acm' as const, action, params, ...signer };
    const fault = injected(call);
    const json = (status: number, payload: unknown) => {
      calls.push({ ...call, status });
      sendJson(response, status, payload, { 'content-type': 'application/x-amz-json-1.1' });
    };
    if (fault !== undefined) {
      json(fault.status, { __type: fault.code, message: fault.message ?? fault.code });
      return;
    }
    switch (action) {
      case 'DescribeCertificate': {
        const certificate = world.certificates.find((candidate) => candidate.arn === params['CertificateArn']);
        if (certificate === undefined) {
          json(400, { __type: 'ResourceNotFoundException', message: `Could not find certificate ${String(params['CertificateArn'])}.` });
          return;
        }
        json(200, { Certificate: certificateJson(certificate) });
        return;
      }
      case 'ListCertificates': {
        const statuses = (params['CertificateStatuses'] as string[] | undefined) ?? [];
        const selected = world.certificates.filter((certificate) => statuses.length === 0 || statuses.includes(certificate.status));
        json(200, {
          CertificateSummaryList: selected.map((certificate) => ({
            CertificateArn: certificate.arn,
            DomainName: certificate.domainName,
            SubjectAlternativeNameSummaries: certificate.subjectAlternativeNames,
            Status: certificate.status,
            Type: certificate.type,
            NotAfter: certificate.notAfter.getTime() / 1000,
          })),
        });
        return;
      }
      default:
        json(400, { __type: 'UnknownOperationException', message: `Unknown operation ${action}` });
    }
  }

  await Promise.resolve();
  return {
    url: local.url,
    world,
    worldFor,
    route53,
    ec2: ec2World,
    calls,
    sts,
    keyring,
    count: (action) => calls.filter((call) => action === undefined || call.action === action).length,
    fail(rule, times = Number.POSITIVE_INFINITY) {
      const entry = { rule, remaining: times };
      faults.push(entry);
      return () => {
        entry.remaining = 0;
      };
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    get pageSize() {
      return state.pageSize;
    },
    set pageSize(value: number) {
      state.pageSize = value;
    },
    get peakConcurrency() {
      return state.peak;
    },
    close: () => {
      closing.abort();
      return local.close();
    },
  };
}

function memberList(form: URLSearchParams, name: string): string[] {
  const entries: Array<[number, string]> = [];
  for (const [key, value] of form.entries()) {
    const match = new RegExp(`^${name}\\.member\\.(\\d+)$`).exec(key);
    if (match !== null) entries.push([Number(match[1]), value]);
  }
  return entries.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function loadBalancerXml(lb: StandInLoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId ?? 'Z2IFOLAFXWLO4F',
    CreatedTime: new Date('2024-01-01T00:00:00Z'),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    IpAddressType: 'ipv4',
    AvailabilityZones: lb.zones.map((zone) => ({
      ZoneName: zone.zoneName,
      SubnetId: zone.subnetId,
      LoadBalancerAddresses: zone.addresses.map((address) => ({
        ...(address.ipAddress === undefined ? {} : { IpAddress: address.ipAddress }),
        ...(address.allocationId === undefined ? {} : { AllocationId: address.allocationId }),
        ...(address.privateIPv4Address === undefined ? {} : { PrivateIPv4Address: address.privateIPv4Address }),
      })),
    })),
  };
}

function certificateJson(certificate: StandInCertificate): Record<string, unknown> {
  return {
    CertificateArn: certificate.arn,
    DomainName: certificate.domainName,
    SubjectAlternativeNames: certificate.subjectAlternativeNames,
    Status: certificate.status,
    Type: certificate.type,
    NotBefore: certificate.notBefore.getTime() / 1000,
    NotAfter: certificate.notAfter.getTime() / 1000,
    InUseBy: certificate.inUseBy,
    ...(certificate.renewalEligibility === undefined ? {} : { RenewalEligibility: certificate.renewalEligibility }),
  };
}

/** Query-protocol XML: objects become elements, arrays become <member> lists. */
function toXml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([key, item]) => `<${key}>${xmlValue(item)}</${key}>`)
    .join('');
}

function xmlValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlValue(item)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return toXml(value as Record<string, unknown>);
  return escapeXml(String(value));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function queryError(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ELBV2_NAMESPACE}">` +
    `<Error><Type>Sender</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
