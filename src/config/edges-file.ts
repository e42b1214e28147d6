import { X509Certificate } from 'node:crypto';
import { parseDocument } from 'yaml';
import { isAwsRegion, isEksClusterName, isIamRoleArn } from '../domain/aws-names.js';
import { isDns1035Label, isDnsLabel, isDnsSubdomain } from '../domain/kube-names.js';
import { isSlackChannelId, isSlackUserId } from '../domain/slack-ids.js';
import { ConfigError } from '../errors.js';
import { kindOf, quote, SettingsReader } from './settings-reader.js';

/**
 * The edges file: every shared NLB ("edge") one bot serves, with the cluster, AWS region and account, the
 * proxy and the people and channel of each. Parsed and checked here, every problem at once, one line each.
 */
export interface NamespacedName {
  readonly namespace: string;
  readonly name: string;
}

/** Where the edge's cluster is reached: the bot's own (KUBECONFIG or in-cluster), a KUBECONFIG context, or EKS. */
export type EdgeCluster =
  | { readonly kind: 'own' }
  | { readonly kind: 'kube-context'; readonly context: string }
  | { readonly kind: 'eks'; readonly cluster: string; readonly endpoint: string; readonly certificateAuthorityData: string };

interface EdgeSettings {
  readonly name: string;
  readonly region: string;
  readonly cluster: EdgeCluster;
  /** Assumed for every AWS call of this edge (and its EKS token); undefined: the bot's own credentials. */
  readonly roleArn: string | undefined;
  readonly exposeNamespaces: readonly string[];
  /** Admins of this edge only, on top of the global EXPOSE_ADMINS. */
  readonly admins: readonly string[];
  /** undefined: the global ALERT_CHANNEL. */
  readonly alertChannel: string | undefined;
}

export interface IngressEdge extends EdgeSettings {
  readonly mode: 'ingress';
  readonly ingressClass: string;
  readonly controllerService: NamespacedName;
}

export interface GatewayEdge extends EdgeSettings {
  readonly mode: 'gateway';
  readonly gateway: NamespacedName;
  readonly gatewayListener: string | undefined;
  /** The Gateway's data-plane Service when given; undefined: found by its gateway-name label. */
  readonly controllerService: NamespacedName | undefined;
}

export type EdgeConfig = IngressEdge | GatewayEdge;

/** One bot reads every edge on each poll: more than this is more than one replica should carry. */
export const MAX_EDGES = 50;
const MAX_FILE_CHARACTERS = 1024 * 1024;
const MAX_LIST = 100;
const EDGE_KEYS = [
  'name',
  'kubeContext',
  'eks',
  'region',
  'roleArn',
  'ingressClass',
  'controllerService',
  'gateway',
  'gatewayListener',
  'exposeNamespaces',
  'admins',
  'alertChannel',
] as const;
const EKS_KEYS = ['cluster', 'endpoint', 'certificateAuthorityData'] as const;

/** Parses the edges file's text; throws a ConfigError with every problem, each prefixed with `fileName`. */
export function parseEdgesFile(text: string, fileName: string): EdgeConfig[] {
  const read = new SettingsReader();
  const edges = readFile(text, read);
  if (read.problems.length > 0 || edges === undefined) throw new ConfigError(read.problems.map((problem) => `${fileName}: ${problem}`));
  return edges;
}

function readFile(text: string, read: SettingsReader): EdgeConfig[] | undefined {
  if (text.length > MAX_FILE_CHARACTERS) return read.fail('', `is ${text.length} characters long; at most ${MAX_FILE_CHARACTERS}`);
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  for (const issue of [...document.errors, ...document.warnings]) read.fail('', yamlProblem(issue.message));
  if (read.problems.length > 0) return undefined;
  let root: unknown;
  try {
    root = document.toJS({ mapAsMap: true, maxAliasCount: 100 });
  } catch (error) {
    return read.fail('', `is not YAML the bot can read: ${(error as Error).message}`);
  }
  if (root === null || root === undefined) return read.fail('', 'is empty: it needs `edges:`, a list with one entry per edge');
  const top = read.mapping('', root, ['edges'], 'a mapping with the key edges (a list of edges)');
  if (top === undefined) return undefined;
  const list = top.get('edges');
  if (list === undefined || list === null) return read.fail('edges', 'is required: a list with one entry per edge');
  if (!Array.isArray(list)) return read.fail('edges', `must be a list of edges (each starting with "- name:"), not ${kindOf(list)}`);
  if (list.length === 0) return read.fail('edges', 'is empty: give at least one edge');
  if (list.length > MAX_EDGES) return read.fail('edges', `has ${list.length} edges; at most ${MAX_EDGES} (one bot reads every edge)`);
  const edges = list.map((item: unknown, index) => readEdge(`edges[${index}]`, item, read));
  reportDuplicateNames(list, read);
  return edges.every((edge) => edge !== undefined) ? edges : undefined;
}

function readEdge(path: string, value: unknown, read: SettingsReader): EdgeConfig | undefined {
  const settings = read.mapping(path, value, EDGE_KEYS, 'a mapping of settings (name, region, ...)');
  if (settings === undefined) return undefined;
  const at = (key: string) => `${path}.${key}`;
  const named = read.required(at('name'), settings.get('name'), isDnsLabel, 'must be a lower-case DNS label without dots such as prod');
  const reserved = named !== undefined && (RESERVED_EDGE_NAMES as readonly string[]).includes(named);
  if (reserved)
    read.fail(at('name'), `is ${quote(named)}, a word of the commands (${RESERVED_EDGE_NAMES.join(', ')}): choose another name`);
  const name = reserved ? undefined : named;

  const region = read.required(at('region'), settings.get('region'), isAwsRegion, 'must be an AWS region such as eu-west-1');
  const cluster = readCluster(path, settings, region, read);
  const roleArn = read.text(
    at('roleArn'),
    settings.get('roleArn'),
    isIamRoleArn,
    'must be an IAM role ARN such as arn:aws:iam::111122223333:role/nlb-bot-read',
  );
  const mode = readMode(path, settings, read);
  const exposeNamespaces = read.texts(
    at('exposeNamespaces'),
    settings.get('exposeNamespaces'),
    { max: MAX_LIST, example: '[shop, payments]' },
    isDnsLabel,
    'must be a namespace name (a lower-case DNS label)',
  );
  const admins = read.texts(
    at('admins'),
    settings.get('admins'),
    { max: MAX_LIST, example: '[U0123ABCD]' },
    isSlackUserId,
    'must be a Slack user ID such as U0123ABCD (Profile > ⋮ > Copy member ID), not a name',
  );
  const alertChannel = readAlertChannel(at('alertChannel'), settings.get('alertChannel'), read);
  if (name === undefined || region === undefined || cluster === undefined || mode === undefined) return undefined;
  return { name, region, cluster, roleArn, exposeNamespaces, admins, alertChannel, ...mode };
}

function readCluster(
  path: string,
  settings: ReadonlyMap<string, unknown>,
  region: string | undefined,
  read: SettingsReader,
): EdgeCluster | undefined {
  const context = settings.get('kubeContext');
  const eks = settings.get('eks');
  const both = context !== undefined && eks !== undefined;
  if (both)
    read.fail(path, 'kubeContext and eks exclude each other: kubeContext names a context of KUBECONFIG, eks reaches an EKS cluster');
  const fromEks = eks === undefined ? undefined : readEks(`${path}.eks`, eks, region, read);
  if (context === undefined) return eks === undefined ? { kind: 'own' } : fromEks;
  const name = read.required(
    `${path}.kubeContext`,
    context,
    (text) => /^[\x21-\x7e][\x20-\x7e]{0,252}$/.test(text),
    'must be the name of a context in KUBECONFIG (printable ASCII, at most 253 characters)',
  );
  return name === undefined || both ? undefined : { kind: 'kube-context', context: name };
}

function readEks(path: string, value: unknown, region: string | undefined, read: SettingsReader): EdgeCluster | undefined {
  const eks = read.mapping(path, value, EKS_KEYS, 'a mapping with cluster, endpoint and certificateAuthorityData');
  if (eks === undefined) return undefined;
  const cluster = read.required(
    `${path}.cluster`,
    eks.get('cluster'),
    isEksClusterName,
    'must be an EKS cluster name (letters, digits, - and _, at most 100 characters)',
  );
  const endpoint = read.required(
    `${path}.endpoint`,
    eks.get('endpoint'),
    isApiEndpoint,
    'must be the cluster’s API server endpoint, an https URL without path such as https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  );
  const endpointRegion =
    endpoint === undefined ? undefined : /\.([a-z0-9-]+)\.eks\.amazonaws\.com(\.cn)?$/.exec(new URL(endpoint).hostname)?.[1];
  if (endpointRegion !== undefined && region !== undefined && endpointRegion !== region) {
    read.fail(`${path}.endpoint`, `is in ${endpointRegion}, but the edge's region is ${region} (the NLB is in its cluster's region)`);
  }
  const caPath = `${path}.certificateAuthorityData`;
  const caText = read.required(
    caPath,
    eks.get('certificateAuthorityData'),
    () => true,
    'must be the base64 of the cluster’s CA certificate',
  );
  const certificateAuthorityData = caText === undefined ? undefined : caText.replace(/\s+/g, '');
  const caProblem = certificateAuthorityData === undefined ? undefined : certificateProblem(certificateAuthorityData);
  if (caProblem !== undefined) read.fail(caPath, caProblem);
  if (cluster === undefined || endpoint === undefined || certificateAuthorityData === undefined || caProblem !== undefined)
    return undefined;
  return { kind: 'eks', cluster, endpoint: endpoint.replace(/\/$/, ''), certificateAuthorityData };
}

function isApiEndpoint(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    const bare = url.username === '' && url.password === '' && url.search === '' && url.hash === '' && url.pathname === '/';
    return url.protocol === 'https:' && bare && !/[\s]/.test(value);
  } catch {
    return false;
  }
}

/** What `aws eks describe-cluster` gives as certificateAuthority.data: base64 of a PEM certificate (bundle). */
function certificateProblem(data: string): string | undefined {
  const hint = 'certificateAuthority.data of `aws eks describe-cluster`';
  if (data.length > 65536) return `is ${data.length} characters long; a CA certificate takes a few thousand`;
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return `must be base64 (${hint}); this is not base64`;
  const pem = Buffer.from(data, 'base64').toString('latin1');
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    return `must be the base64 of a PEM certificate (${hint}); it decodes to something else`;
  try {
    new X509Certificate(pem);
    return undefined;
  } catch {
    return `decodes to a PEM block that is not a valid X.509 certificate (${hint})`;
  }
}

type Mode =
  | Pick<IngressEdge, 'mode' | 'ingressClass' | 'controllerService'>
  | Pick<GatewayEdge, 'mode' | 'gateway' | 'gatewayListener' | 'controllerService'>;

/** Words the commands take where an edge name may stand (`/expose list`, `/ips help`): no edge may be called so. */
export const RESERVED_EDGE_NAMES = ['help', 'list', 'all', 'egress'] as const;

function readMode(path: string, settings: ReadonlyMap<string, unknown>, read: SettingsReader): Mode | undefined {
  const at = (key: string) => `${path}.${key}`;
  const gateway = settings.has('gateway');
  const ingress = settings.has('ingressClass') || (settings.has('controllerService') && !gateway);
  if (settings.has('gatewayListener') && !gateway) read.fail(at('gatewayListener'), 'only applies with gateway (Gateway mode)');
  if (ingress && gateway) {
    return read.fail(path, 'ingressClass (Ingress mode) and gateway (Gateway mode) exclude each other: choose one');
  }
  if (gateway) {
    const ref = read.required(at('gateway'), settings.get('gateway'), isGatewayRef, 'must be <namespace>/<name> of the shared Gateway');
    const listener = read.text(
      at('gatewayListener'),
      settings.get('gatewayListener'),
      isDnsSubdomain,
      'must be the name of one of the Gateway’s listeners (a lower-case DNS name)',
    );
    const override = read.text(
      at('controllerService'),
      settings.get('controllerService'),
      isServiceRef,
      'must be <namespace>/<service name> of the Gateway’s data-plane Service (or left out: it is found by its label)',
    );
    return ref === undefined
      ? undefined
      : {
          mode: 'gateway',
          gateway: split(ref),
          gatewayListener: listener,
          controllerService: override === undefined ? undefined : split(override),
        };
  }
  if (!ingress) return read.fail(path, 'needs a mode: ingressClass with controllerService (Ingress), or gateway (Gateway API)');
  const ingressClass = read.required(at('ingressClass'), settings.get('ingressClass'), isDnsSubdomain, 'must be an IngressClass name');
  const service = read.required(
    at('controllerService'),
    settings.get('controllerService'),
    isServiceRef,
    'must be <namespace>/<service name> of the controller Service, such as ingress-nginx/ingress-nginx-controller',
  );
  return ingressClass === undefined || service === undefined
    ? undefined
    : { mode: 'ingress', ingressClass, controllerService: split(service) };
}

function readAlertChannel(path: string, value: unknown, read: SettingsReader): string | undefined {
  if (typeof value === 'string' && value.startsWith('#')) {
    return read.fail(
      path,
      `must be a channel ID such as C0123ABCD, not a name (${quote(value)}): the channel's details show its ID at the bottom`,
    );
  }
  return read.text(path, value, isSlackChannelId, 'must be a Slack channel ID such as C0123ABCD');
}

function isServiceRef(value: string): boolean {
  const [namespace, name, extra] = value.split('/');
  return extra === undefined && isDnsLabel(namespace ?? '') && isDns1035Label(name ?? '');
}

function isGatewayRef(value: string): boolean {
  const [namespace, name, extra] = value.split('/');
  return extra === undefined && isDnsLabel(namespace ?? '') && isDnsSubdomain(name ?? '');
}

function split(ref: string): NamespacedName {
  const [namespace = '', name = ''] = ref.split('/');
  return { namespace, name };
}

/** Names are compared as written, whatever else is wrong with their edges, so every duplicate is named at once. */
function reportDuplicateNames(list: readonly unknown[], read: SettingsReader): void {
  const byName = new Map<string, number[]>();
  list.forEach((item, index) => {
    const name = item instanceof Map ? (item as Map<unknown, unknown>).get('name') : undefined;
    if (typeof name === 'string' && isDnsLabel(name)) byName.set(name, [...(byName.get(name) ?? []), index]);
  });
  for (const [name, [first, ...again]] of byName) {
    if (again.length === 0) continue;
    const times = again.length === 1 ? 'twice' : `${again.length + 1} times`;
    read.fail(`edges[${first}].name`, `${quote(name)} is used ${times} (again at ${again.map((index) => `edges[${index}]`).join(', ')})`);
  }
}

/** yaml's message, on one line: "Map keys must be unique at line 2, column 1" (its source excerpt dropped). */
function yamlProblem(message: string): string {
  return `is not valid YAML: ${(message.split('\n')[0] ?? message).replace(/:$/, '')}`;
}
