import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, Socket } from 'node:net';

/**
 * The test suite connects to loopback only: every stand-in listens there, and nothing a test runs may reach
 * the outside (a live check of the sample NLB's public addresses, a response_url of hooks.slack.com). Installed
 * by jest-setup.ts for every test file: a TCP connection (net, tls, http, https, fetch all go through
 * net.Socket#connect) to an address outside 127.0.0.0/8 and ::1 fails at once with ELOOPBACKONLY, as if
 * refused, and is recorded; a host name is resolved first and refused the same way unless it is loopback.
 * UNIX sockets and pipes are left alone. Child processes (Chromium, kubectl) are not covered.
 */

export const LOOPBACK_ONLY_CODE = 'ELOOPBACKONLY';

interface GuardedPrototype {
  connect: (...args: unknown[]) => Socket;
  [INSTALLED]?: true;
  [BLOCKED]?: string[];
}

// Symbol.for: the prototype is shared by every test file of a Jest worker, each with its own module registry.
const INSTALLED = Symbol.for('nlb-ingress-bot.test.loopback-only');
const BLOCKED = Symbol.for('nlb-ingress-bot.test.loopback-only.blocked');

type Lookup = (hostname: string, options: object, callback: (...result: unknown[]) => void) => void;

interface ConnectOptions {
  host?: unknown;
  port?: unknown;
  path?: unknown;
  lookup?: Lookup;
}

export function installLoopbackOnly(): void {
  const prototype = Socket.prototype as unknown as GuardedPrototype;
  if (prototype[INSTALLED] === true) return;
  const blocked: string[] = [];
  const original = prototype.connect;
  prototype[BLOCKED] = blocked;
  prototype[INSTALLED] = true;
  prototype.connect = function connect(this: Socket, ...args: unknown[]): Socket {
    const options = connectOptions(args);
    if (options !== undefined && options.path === undefined) {
      const host = typeof options.host === 'string' && options.host !== '' ? options.host : 'localhost';
      const where = `${host}:${String(options.port ?? '')}`;
      if (isIP(host) !== 0) {
        if (!isLoopback(host)) return refuse(this, where, blocked);
      } else if (host.toLowerCase() !== 'localhost') {
        options.lookup = guardedLookup(options.lookup ?? (dnsLookup as unknown as Lookup), where, blocked);
      }
    } else if (options === undefined) {
      // connect(port, host): only a loopback host is let through.
      const [port, host] = args;
      if (typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port))) {
        const name = typeof host === 'string' ? host : 'localhost';
        if (name.toLowerCase() !== 'localhost' && !(isIP(name) !== 0 && isLoopback(name))) return refuse(this, `${name}:${port}`, blocked);
      }
    }
    return original.apply(this, args);
  };
}

/** What the guard refused so far in this worker (host:port), for a test to show. */
export function blockedConnections(): readonly string[] {
  return (Socket.prototype as unknown as GuardedPrototype)[BLOCKED] ?? [];
}

export function isLoopback(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/** The options object of a connect call: connect(options), or Node's own normalised [options, callback]. */
function connectOptions(args: readonly unknown[]): ConnectOptions | undefined {
  const [first] = args;
  if (Array.isArray(first)) {
    const [options] = first as unknown[];
    return typeof options === 'object' && options !== null ? (options as ConnectOptions) : undefined;
  }
  return typeof first === 'object' && first !== null ? (first as ConnectOptions) : undefined;
}

/** Set LOOPBACK_ONLY_LOG=1 to see every refusal on stderr (which test tried to reach the outside). */
function record(blocked: string[], where: string): void {
  blocked.push(where);
  if (process.env['LOOPBACK_ONLY_LOG'] === '1') process.stderr.write(`loopback-only: refused a connection to ${where}\n`);
}

function refuse(socket: Socket, where: string, blocked: string[]): Socket {
  record(blocked, where);
  const error = Object.assign(new Error(`connect ${LOOPBACK_ONLY_CODE} ${where}: the tests connect to loopback only`), {
    code: LOOPBACK_ONLY_CODE,
  });
  process.nextTick(() => socket.destroy(error));
  return socket;
}

function guardedLookup(lookup: Lookup, where: string, blocked: string[]): Lookup {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error: unknown, address: unknown, family: unknown) => {
      if (error !== null && error !== undefined) {
        callback(error);
        return;
      }
      const found = Array.isArray(address) ? (address as LookupAddress[]).map((entry) => entry.address) : [String(address)];
      if (found.some((candidate) => !isLoopback(candidate))) {
        record(blocked, `${where} (${found.join(', ')})`);
        callback(Object.assign(new Error(`${LOOPBACK_ONLY_CODE}: ${where} resolves outside loopback`), { code: LOOPBACK_ONLY_CODE }));
        return;
      }
      callback(null, address, family);
    });
  };
}
