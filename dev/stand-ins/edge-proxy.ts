import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type AddressInfo, isIP } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { ingressClassOf } from '../../src/domain/ingress-route.js';
import { GATEWAY_API_GROUP } from './gateway-api-schema.js';
import type { KubeObject, KubeStore } from './kube-api-server.js';

/**
 * A stand-in of the shared proxy behind the NLB (ingress-nginx, Envoy Gateway): HTTPS on one port of one or
 * more loopback addresses (each stands for one NLB address; Linux routes all of 127/8 to lo), the certificate
 * chosen by SNI from a list (the first is the default, as a TLS listener's default certificate), and HTTP by
 * the Host header: a host it serves answers 200 with a body naming the host and path; any other host gets the
 * same default 404 page, as ingress-nginx's default backend gives. It records every TLS connection (SNI) and
 * every request (SNI, Host, path). Binds loopback addresses only.
 */

export interface ProxyCertificate {
  /** PKCS#8 PEM. */
  readonly key: string;
  /** PEM; a chain (leaf first) works too. */
  readonly cert: string;
}

/** Which hosts the proxy routes: a set of names, or a function (e.g. servedInCluster, from the stand-in cluster's routes). */
export type ServedHosts = ReadonlySet<string> | ((host: string, path: string) => boolean);

export interface EdgeProxyOptions {
  /** Loopback addresses to listen on, the same port on each (default 127.0.0.1). */
  readonly addresses?: readonly string[];
  /** The port; 0 (default) picks one that is free on every address. */
  readonly port?: number;
  /** The certificates; the one whose names cover the SNI is presented, the first when none does (or no SNI). */
  readonly certificates: readonly ProxyCertificate[];
  readonly serves: ServedHosts;
}

export interface ProxyConnection {
  /** The address the client connected to: which "NLB address". */
  readonly address: string;
  readonly servername: string | undefined;
}

export interface ProxyRequest extends ProxyConnection {
  /** The Host header, lower case, without a port. */
  readonly host: string;
  readonly path: string;
  readonly status: number;
}

export interface EdgeProxy {
  readonly addresses: readonly string[];
  readonly port: number;
  /** Which hosts it routes; change it at any time (a route loaded, a route gone). */
  serves: ServedHosts;
  /** Every completed TLS handshake, in order. */
  readonly connections: ProxyConnection[];
  /** Every HTTP request, in order. */
  readonly requests: ProxyRequest[];
  close(): Promise<void>;
}

/** ingress-nginx's default backend page (the "default server" of nginx): what every host nobody routes gets. */
export const DEFAULT_BACKEND_404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const PORT_ATTEMPTS = 10;

export async function startEdgeProxy(options: EdgeProxyOptions): Promise<EdgeProxy> {
  const addresses = [...(options.addresses ?? ['127.0.0.1'])];
  if (addresses.length === 0) throw new Error('the edge proxy needs at least one address');
  for (const address of addresses) {
    if (!isLoopback(address)) throw new Error(`the edge proxy listens on loopback addresses only, not ${address}`);
  }
  const [first, ...more] = options.certificates;
  if (first === undefined) throw new Error('the edge proxy needs at least one certificate');
  const contexts = [first, ...more].map((certificate) => ({
    names: new X509Certificate(certificate.cert),
    context: createSecureContext({ key: certificate.key, cert: certificate.cert }),
  }));
  const state: { serves: ServedHosts } = { serves: options.serves };
  const connections: ProxyConnection[] = [];
  const requests: ProxyRequest[] = [];

  const pick = (servername: string): SecureContext | undefined =>
    contexts.find((candidate) => candidate.names.checkHost(servername, { subject: 'default' }) !== undefined)?.context;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket as TLSSocket;
    const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const path = request.url ?? '/';
    const served = isServed(state.serves, host, path.replace(/\?.*$/, ''));
    const status = served ? 200 : 404;
    requests.push({ address: localAddress(socket), servername: servernameOf(socket), host, path, status });
    const body = served ? `${host} ${path}: answered by its route\n` : DEFAULT_BACKEND_404;
    response.writeHead(status, {
      'content-type': served ? 'text/plain; charset=utf-8' : 'text/html',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  };

  const make = (): Server => {
    const server = createServer(
      {
        key: first.key,
        cert: first.cert,
        // Without a certificate for the name, the default one: as an NLB's TLS listener (and nginx) do.
        SNICallback: (servername, done) => done(null, pick(servername)),
      },
      handle,
    );
    server.on('secureConnection', (socket: TLSSocket) => {
      connections.push({ address: localAddress(socket), servername: servernameOf(socket) });
    });
    // A client that gives up mid-handshake (a probe's timeout) is no error of the proxy's.
    server.on('tlsClientError', () => undefined);
    return server;
  };

  const { servers, port } = await listenOnAll(addresses, options.port ?? 0, make);
  return {
    addresses,
    port,
    get serves() {
      return state.serves;
    },
    set serves(value: ServedHosts) {
      state.serves = value;
    },
    connections,
    requests,
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}

/**
 * The hosts the stand-in cluster routes, as a proxy that loaded its routes would serve them: rules of Ingresses
 * of `ingressClass` (exact hosts), and hostnames of HTTPRoutes the Gateway's controller accepted (status
 * Accepted True for a parent naming the Gateway). Read at each request, so a route written or deleted shows at once.
 */
export function servedInCluster(
  store: KubeStore,
  options: { readonly ingressClass?: string; readonly gateway?: { readonly namespace: string; readonly name: string } },
): (host: string) => boolean {
  return (host) => {
    if (options.ingressClass !== undefined) {
      for (const ingress of store.list('networking.k8s.io/v1', 'Ingress')) {
        if (classOf(ingress) === options.ingressClass && ingressHosts(ingress).includes(host)) return true;
      }
    }
    const gateway = options.gateway;
    if (gateway !== undefined) {
      for (const route of store.list(`${GATEWAY_API_GROUP}/v1`, 'HTTPRoute')) {
        const hostnames = ((route['spec'] as { hostnames?: string[] } | undefined)?.hostnames ?? []).map((name) => name.toLowerCase());
        if (hostnames.includes(host) && acceptedBy(route, gateway)) return true;
      }
    }
    return false;
  };
}

function isServed(serves: ServedHosts, host: string, path: string): boolean {
  return typeof serves === 'function' ? serves(host, path) : serves.has(host);
}

function classOf(ingress: KubeObject): string | undefined {
  const spec = ingress['spec'] as { ingressClassName?: string } | undefined;
  return ingressClassOf({ className: spec?.ingressClassName, annotations: ingress.metadata.annotations ?? {} });
}

function ingressHosts(ingress: KubeObject): string[] {
  const rules = (ingress['spec'] as { rules?: Array<{ host?: string }> } | undefined)?.rules ?? [];
  return rules.flatMap((rule) => (rule.host === undefined ? [] : [rule.host.toLowerCase()]));
}

function acceptedBy(route: KubeObject, gateway: { readonly namespace: string; readonly name: string }): boolean {
  type Parent = { parentRef?: { name?: string; namespace?: string }; conditions?: Array<{ type?: string; status?: string }> };
  const parents = (route['status'] as { parents?: Parent[] } | undefined)?.parents ?? [];
  return parents.some(
    (parent) =>
      parent.parentRef?.name === gateway.name &&
      (parent.parentRef.namespace ?? route.metadata.namespace) === gateway.namespace &&
      (parent.conditions ?? []).some((condition) => condition.type === 'Accepted' && condition.status === 'True'),
  );
}

function servernameOf(socket: TLSSocket): string | undefined {
  const servername = (socket as { servername?: string | false }).servername;
  return typeof servername === 'string' && servername !== '' ? servername : undefined;
}

function localAddress(socket: TLSSocket): string {
  return (socket.localAddress ?? '').replace(/^::ffff:/, '');
}

export function isLoopback(address: string): boolean {
  const plain = address.replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}

/** One server per address on one port: the first address picks it (when 0), the others take the same; retried when taken. */
async function listenOnAll(addresses: readonly string[], port: number, make: () => Server): Promise<{ servers: Server[]; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const servers: Server[] = [];
    try {
      let chosen = port;
      for (const address of addresses) {
        const server = make();
        servers.push(server);
        await listen(server, chosen, address);
        chosen = (server.address() as AddressInfo).port;
      }
      return { servers, port: chosen };
    } catch (error) {
      await Promise.all(servers.map(closeServer));
      const taken = (error as { code?: unknown }).code === 'EADDRINUSE';
      if (!taken || port !== 0 || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

function listen(server: Server, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
