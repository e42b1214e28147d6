import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { type EdgeConfig, type GatewayEdge, type IngressEdge, type NamespacedName, parseEdgesFile } from './config/edges-file.js';
import { isDnsLabel, isDnsSubdomain } from './domain/kube-names.js';
import { isSlackChannelId, isSlackUserId } from './domain/slack-ids.js';
import { ConfigError } from './errors.js';

/**
 * The environment variables are the public interface of the bot; README.md and .env.example document
 * each one. Validation reports every problem at once, one line per variable.
 */
export interface Config {
  readonly slack: SlackConfig;
  readonly port: number;
  /**
   * The shared edges the bot serves: the EDGES_FILE's, or without it one edge named `default` built from the
   * variables (INGRESS_CLASS and INGRESS_CONTROLLER_SERVICE, or GATEWAY; EXPOSE_NAMESPACES; AWS_REGION).
   */
  readonly edges: readonly EdgeConfig[];
  /** The edges file read at start, if any. */
  readonly edgesFile: string | undefined;
  readonly alertChannel: string | undefined;
  readonly exposeAdmins: readonly string[];
  readonly exposeNamespaces: readonly string[];
  readonly healthPollSeconds: number;
  readonly podNamespace: string;
  readonly kubeconfigPath: string | undefined;
  /** In a Pod (KUBERNETES_SERVICE_HOST set): without KUBECONFIG or ~/.kube/config, the Pod's ServiceAccount. */
  readonly inCluster: boolean;
  /** AWS_REGION (every edge of an edges file has its own region) and AWS_ENDPOINT_URL (a stand-in, in tests). */
  readonly aws: { readonly region: string | undefined; readonly endpointUrl: string | undefined };
  readonly logLevel: string;
  /** DNS servers (`ip` or `ip:port`) for the /expose DNS check; empty means the system's resolvers. */
  readonly dnsServers: readonly string[];
  /**
   * DNS_PROVIDER=route53: on apply the bot creates the host's alias record in Route 53 (in ROUTE53_ZONE_IDS
   * only, when given) with an ownership TXT record for DNS_OWNER_ID, and deletes only its own on /unexpose.
   */
  readonly dnsProvider: { readonly kind: 'route53'; readonly zoneIds: readonly string[]; readonly ownerId: string } | undefined;
  /** NODE_EXTRA_CA_CERTS: the extra CA certificates the live check trusts, next to Node's own roots. */
  readonly extraCaFile: string | undefined;
  /** Where this README is published (DOCS_URL), for links in messages; undefined: sections are named in words. */
  readonly docsUrl: string | undefined;
  /** This replica's name (HOSTNAME, the pod name in a cluster): the start of its leader-election identity. */
  readonly podName: string;
}

/** The default edge's name, when the variables describe the one edge. */
export const DEFAULT_EDGE_NAME = 'default';

/** Variables an edges file replaces: set per edge there, they may not also be set globally. */
const PER_EDGE_VARIABLES = ['INGRESS_CLASS', 'INGRESS_CONTROLLER_SERVICE', 'GATEWAY', 'GATEWAY_LISTENER', 'EXPOSE_NAMESPACES'] as const;

export interface SlackConfig {
  readonly mode: 'socket' | 'http';
  /** Socket Mode: the longest wait between two connection attempts. */
  readonly reconnectMaxSeconds: number;
  readonly botToken: string;
  readonly signingSecret: string;
  readonly appToken: string | undefined;
  readonly apiUrl: string | undefined;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353`: what node:dns setServers accepts. */
function isDnsServer(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(entry);
  const [ip, port] =
    bracketed !== null ? [bracketed[1], bracketed[2]] : withPort !== null ? [withPort[1], withPort[2]] : [entry, undefined];
  const family = isIP(ip ?? '');
  if (family === 0 || (bracketed !== null && family !== 6)) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Reads variables one by one and collects every problem instead of stopping at the first. (Hand-written
 * rather than a schema library: this runs once, and a library would stay in the bot's memory for good.)
 */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** A value that must be present; `valid` returns a problem or undefined. */
  required(name: string, missing: string, valid: (value: string) => string | undefined): string {
    const value = this.env[name];
    if (value === undefined) return this.fail(name, missing, '');
    const problem = valid(value);
    return problem === undefined ? value : this.fail(name, problem, value);
  }

  /** A value that may be absent or blank (then undefined, or the default). */
  optional(name: string, valid: (value: string) => string | undefined): string | undefined {
    const value = this.blankToUndefined(name);
    if (value === undefined) return undefined;
    const problem = valid(value);
    return problem === undefined ? value : this.fail(name, problem, undefined);
  }

  integer(name: string, fallback: number, range: { min: number; max: number; unit: string; outside: (value: number) => string }): number {
    const value = this.blankToUndefined(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (Number.isNaN(number)) return this.fail(name, `must be a number${range.unit}`, fallback);
    if (!Number.isInteger(number)) return this.fail(name, `must be a whole number${range.unit}`, fallback);
    if (number < range.min || number > range.max) return this.fail(name, range.outside(number), fallback);
    return number;
  }

  /** A comma-separated list (blank entries dropped) whose every entry must be valid. */
  list(name: string, validEntry: (entry: string) => boolean, problem: string): string[] {
    const value = this.blankToUndefined(name);
    if (value === undefined) return [];
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    return entries.every(validEntry) ? entries : this.fail(name, problem, []);
  }

  private blankToUndefined(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  private fail<T>(name: string, problem: string, fallback: T): T {
    this.problems.push(`${name} ${problem}`);
    return fallback;
  }
}

const matches = (pattern: RegExp, problem: string) => valid((value) => pattern.test(value), problem);
const valid = (test: (value: string) => boolean, problem: string) => (value: string) => (test(value) ? undefined : problem);
/** A channel is given by its ID; a name (#alerts) is the most common mistake, so it gets its own hint. */
const channelId = (value: string) =>
  value.startsWith('#')
    ? `is ${value.slice(0, 40)}, a channel name: give the channel ID instead ` +
      "(such as C0123ABCD; Slack shows it at the bottom of the channel's details)"
    : isSlackChannelId(value)
      ? undefined
      : 'must be a Slack channel ID such as C0123ABCD';
const startsWith = (prefix: string, problem: string) => (value: string) => (value.startsWith(prefix) ? undefined : problem);

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const read = new EnvReader(env);
  const botToken = read.required(
    'SLACK_BOT_TOKEN',
    'is required (the bot token, xoxb-...)',
    startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
  );
  const signingSecret = read.required(
    'SLACK_SIGNING_SECRET',
    'is required (Basic Information > App Credentials > Signing Secret)',
    matches(/^[0-9a-f]{16,}$/i, 'must be the app signing secret (hexadecimal)'),
  );
  const appToken = read.optional('SLACK_APP_TOKEN', startsWith('xapp-', 'must be an app-level token starting with xapp- (Socket Mode)'));
  const apiUrl = read.optional('SLACK_API_URL', (value) => (isHttpUrl(value) ? undefined : 'must be an http(s) URL'));
  const reconnectMaxSeconds = read.integer('SOCKET_MODE_RECONNECT_MAX_SECONDS', 30, {
    min: 1,
    max: 600,
    unit: ' of seconds',
    outside: () => 'must be between 1 and 600',
  });
  const port = read.integer('PORT', 3000, { min: 0, max: 65535, unit: '', outside: () => 'must be between 0 and 65535' });
  const namespacedName = (example: string) => (value: string) => {
    const [namespace, name, extra] = value.split('/');
    return extra === undefined && isDnsLabel(namespace ?? '') && isDnsLabel(name ?? '')
      ? undefined
      : `must be <namespace>/<name>, for example ${example}`;
  };
  const edgesFile = read.optional('EDGES_FILE', () => undefined);
  if (edgesFile !== undefined) {
    for (const name of PER_EDGE_VARIABLES) {
      if ((env[name] ?? '').trim() !== '') {
        read.problems.push(`${name} is set together with EDGES_FILE: set it per edge in ${edgesFile} instead, and unset it here`);
      }
    }
  }
  const controller = read.optional('INGRESS_CONTROLLER_SERVICE', namespacedName('ingress-nginx/ingress-nginx-controller'));
  const gateway = read.optional('GATEWAY', namespacedName('envoy-gateway-system/shared (the shared Gateway)'));
  const gatewayListener = read.optional('GATEWAY_LISTENER', (value) =>
    gateway === undefined
      ? 'is set but GATEWAY is not: a listener belongs to the Gateway of Gateway mode'
      : isDnsSubdomain(value) && value.length <= 253
        ? undefined
        : 'must be the name of a listener of the Gateway (a DNS subdomain, such as https)',
  );
  const ingressClassValue = read.optional('INGRESS_CLASS', (value) =>
    gateway !== undefined
      ? 'is set together with GATEWAY: in Gateway mode the bot writes HTTPRoutes, not Ingresses of a class; unset one of them'
      : isDnsSubdomain(value)
        ? undefined
        : 'must be an IngressClass name',
  );
  const alertChannel = read.optional('ALERT_CHANNEL', channelId);
  const exposeAdmins = read.list('EXPOSE_ADMINS', isSlackUserId, 'must be a comma-separated list of Slack user IDs such as U0123ABCD');
  const exposeNamespaces = read.list('EXPOSE_NAMESPACES', isDnsLabel, 'must be a comma-separated list of namespace names');
  const healthPollSeconds = read.integer('HEALTH_POLL_SECONDS', 60, {
    min: 1,
    max: 86400,
    unit: ' of seconds',
    outside: (value) => (value < 1 ? 'must be at least 1' : 'must be at most 86400 (one day)'),
  });
  const podNamespace = read.optional('POD_NAMESPACE', valid(isDnsLabel, 'must be a namespace name')) ?? 'default';
  const kubeconfigPath = read.optional('KUBECONFIG', () => undefined);
  const awsRegion = matches(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as eu-west-1');
  const region =
    edgesFile === undefined
      ? read.required('AWS_REGION', 'is required (the region of the NLB, for example eu-west-1)', awsRegion)
      : read.optional('AWS_REGION', awsRegion);
  const endpointUrl = read.optional('AWS_ENDPOINT_URL', (value) => (isHttpUrl(value) ? undefined : 'must be an http(s) URL'));
  const dnsServers = read.list(
    'DNS_SERVERS',
    isDnsServer,
    'must be a comma-separated list of DNS server addresses, ip or ip:port (e.g. 10.0.0.2 or 127.0.0.1:5353)',
  );
  const logLevel =
    read.optional('LOG_LEVEL', (value) =>
      (LOG_LEVELS as readonly string[]).includes(value) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`,
    ) ?? 'info';
  const podName = read.optional('HOSTNAME', () => undefined) ?? hostname();
  const dnsProviderName = read.optional('DNS_PROVIDER', (value) =>
    value === 'route53' ? undefined : 'must be route53 (the bot creates the DNS records), or unset (it only checks them)',
  );
  const zoneIds = read.list(
    'ROUTE53_ZONE_IDS',
    (entry) => /^(\/hostedzone\/)?Z[0-9A-Z]{1,31}$/.test(entry),
    'must be a comma-separated list of Route 53 hosted zone IDs such as Z0123456789ABCDEFGHIJ',
  );
  if (zoneIds.length > 0 && dnsProviderName === undefined)
    read.problems.push('ROUTE53_ZONE_IDS is set but DNS_PROVIDER is not route53: set DNS_PROVIDER=route53, or unset it');
  const ownerId =
    read.optional('DNS_OWNER_ID', (value) =>
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(value) ? undefined : 'must be letters, digits, ., _, : and - (at most 100)',
    ) ?? 'nlb-ingress-bot';
  const docsUrl = read.optional('DOCS_URL', (value) =>
    isHttpUrl(value) ? undefined : 'must be an http(s) URL (where the README is published)',
  );
  const edges =
    edgesFile === undefined
      ? [
          defaultEdge({
            region: region ?? '',
            exposeNamespaces,
            mode:
              gateway === undefined
                ? {
                    mode: 'ingress',
                    ingressClass: ingressClassValue ?? 'nginx',
                    controllerService: splitName(controller ?? 'ingress-nginx/ingress-nginx-controller'),
                  }
                : {
                    mode: 'gateway',
                    gateway: splitName(gateway),
                    gatewayListener,
                    controllerService: controller === undefined ? undefined : splitName(controller),
                  },
          }),
        ]
      : readEdgesFile(edgesFile, read);
  if (read.problems.length > 0) throw new ConfigError([...new Set(read.problems)].sort());

  return {
    slack: { mode: appToken === undefined ? 'http' : 'socket', reconnectMaxSeconds, botToken, signingSecret, appToken, apiUrl },
    port,
    edges,
    edgesFile,
    alertChannel,
    exposeAdmins,
    exposeNamespaces,
    healthPollSeconds,
    podNamespace,
    kubeconfigPath,
    inCluster: read.optional('KUBERNETES_SERVICE_HOST', () => undefined) !== undefined,
    aws: { region, endpointUrl },
    logLevel,
    dnsServers,
    docsUrl: docsUrl?.replace(/#.*$/, ''),
    extraCaFile: read.optional('NODE_EXTRA_CA_CERTS', () => undefined),
    dnsProvider:
      dnsProviderName === undefined
        ? undefined
        : { kind: 'route53', zoneIds: zoneIds.map((id) => id.replace(/^\/hostedzone\//, '')), ownerId },
    podName,
  };
}

function splitName(value: string): NamespacedName {
  const [namespace = '', name = ''] = value.split('/');
  return { namespace, name };
}

/** "Gateway edge/shared" or "Service ingress-nginx/ingress-nginx-controller (ingress class nginx)", for logs. */
export function describeEdge(edge: EdgeConfig): string {
  return edge.mode === 'gateway'
    ? `Gateway ${edge.gateway.namespace}/${edge.gateway.name}` +
        (edge.gatewayListener === undefined ? '' : ` listener ${edge.gatewayListener}`)
    : `Service ${edge.controllerService.namespace}/${edge.controllerService.name} (ingress class ${edge.ingressClass})`;
}

/** The one edge the variables describe: the bot's own cluster and credentials, the global admins and channel. */
function defaultEdge(settings: {
  readonly region: string;
  readonly exposeNamespaces: readonly string[];
  readonly mode:
    | Pick<IngressEdge, 'mode' | 'ingressClass' | 'controllerService'>
    | Pick<GatewayEdge, 'mode' | 'gateway' | 'gatewayListener' | 'controllerService'>;
}): EdgeConfig {
  const common = {
    name: DEFAULT_EDGE_NAME,
    region: settings.region,
    cluster: { kind: 'own' } as const,
    roleArn: undefined,
    exposeNamespaces: settings.exposeNamespaces,
    admins: [],
    alertChannel: undefined,
  };
  return { ...common, ...settings.mode };
}

/** The edges file, every problem reported with the others (prefixed with the file's name). */
function readEdgesFile(path: string, read: EnvReader): EdgeConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    read.problems.push(`EDGES_FILE is ${path}, which ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`);
    return [];
  }
  try {
    return parseEdgesFile(text, path);
  } catch (error) {
    if (error instanceof ConfigError) read.problems.push(...error.problems);
    else throw error;
    return [];
  }
}
