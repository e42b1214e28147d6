import { ErrorCode, UserFacingError } from '../errors.js';
import { normaliseHostName } from './host-name.js';
import { parseIngressPath } from './ingress-path.js';
import { isDns1035Label, isDnsLabel } from './kube-names.js';

/** The Service port an Ingress backend names: by number (port.number) or by the port's name (port.name). */
export type BackendPort = { readonly number: number } | { readonly name: string };

/** What someone asks for with `/expose`: route `host` (+ `path`) to a Service port in a namespace. */
export interface ExposeRequest {
  readonly host: string;
  readonly namespace: string;
  readonly service: string;
  readonly port: BackendPort;
  readonly path: string;
}

export const EXPOSE_USAGE = '/expose <host> <namespace>/<service>:<port> [<path>]';
const USAGE_HINT = [
  `Usage: \`${EXPOSE_USAGE}\`, for example \`/expose api.example.com team-a/orders-api:80\`.`,
  '`/expose help` explains more.',
].join(' ');

const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Parses the text after `/expose`. Every problem is a UserFacingError that names it. */
export function parseExposeRequest(text: string): ExposeRequest {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map(unwrapSlackLink);
  if (words.length < 2) {
    throw new UserFacingError(ErrorCode.BadInput, `\`/expose\` needs a host and a target: ${EXPOSE_USAGE}.`, USAGE_HINT);
  }
  if (words.length > 3) {
    throw new UserFacingError(ErrorCode.BadInput, `\`/expose\` takes at most three arguments, got ${words.length}.`, USAGE_HINT);
  }
  const [host = '', target = '', path] = words;
  const match = /^([^/]*)\/([^:]*):(.*)$/.exec(target);
  if (match === null) {
    const shown = target.length > 80 ? `${target.slice(0, 80)}…` : target;
    throw new UserFacingError(ErrorCode.BadInput, `\`${shown}\` is not a target of the form <namespace>/<service>:<port>.`, USAGE_HINT);
  }
  return exposeRequestFrom({ host, namespace: match[1] ?? '', service: match[2] ?? '', port: match[3] ?? '', path });
}

/**
 * Validates every field of a request. Used for typed commands and again for a request that comes
 * back in a button value: a value is never trusted as already checked.
 */
export function exposeRequestFrom(fields: {
  readonly host: string;
  readonly namespace: string;
  readonly service: string;
  readonly port: string | number;
  readonly path: string | undefined;
}): ExposeRequest {
  const host = normaliseHostName(fields.host);
  const namespace = fields.namespace;
  if (!isDnsLabel(namespace)) {
    throw new UserFacingError(
      ErrorCode.BadInput,
      `\`${clip(namespace)}\` is not a namespace name.`,
      'A namespace name is lower-case letters, digits and hyphens, at most 63 characters.',
    );
  }
  const service = fields.service;
  if (!isDns1035Label(service)) {
    throw new UserFacingError(
      ErrorCode.BadInput,
      `\`${clip(service)}\` is not a Service name.`,
      'A Service name starts with a letter and has lower-case letters, digits and hyphens, at most 63 characters.',
    );
  }
  return { host, namespace, service, port: parseBackendPort(fields.port), path: parseIngressPath(fields.path) };
}

function parseBackendPort(raw: string | number): BackendPort {
  const text = String(raw);
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    if (number >= 1 && number <= 65535) return { number };
    throw new UserFacingError(ErrorCode.BadInput, `The port ${clip(text)} is out of range (1-65535).`, USAGE_HINT);
  }
  if (text.length <= 15 && PORT_NAME.test(text) && /[a-z]/.test(text) && !text.includes('--')) return { name: text };
  throw new UserFacingError(
    ErrorCode.BadInput,
    `\`${clip(text)}\` is neither a port number nor a Service port name.`,
    'Give the Service port as a number (`80`) or as its name (`http`: lower-case, at most 15 characters).',
  );
}

export function describePort(port: BackendPort): string {
  return 'number' in port ? String(port.number) : port.name;
}

/** `namespace/service:port`, as typed. */
export function describeBackend(request: Pick<ExposeRequest, 'namespace' | 'service' | 'port'>): string {
  return `${request.namespace}/${request.service}:${describePort(request.port)}`;
}

/**
 * Slack may send a typed host or URL as a link: `<http://api.example.com|api.example.com>` or
 * `<https://x.com/a>`. When the label is exactly what was typed, take the label; otherwise judge the
 * link's target, so a URL is refused for its scheme rather than for Slack's brackets.
 */
function unwrapSlackLink(word: string): string {
  const link = /^<([^|>]+)(?:\|([^>]+))?>$/.exec(word);
  if (link === null) return word;
  const [, url = '', label] = link;
  return label !== undefined && url.replace(/^https?:\/\//i, '') === label ? label : url;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
