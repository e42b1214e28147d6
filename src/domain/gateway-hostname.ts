/**
 * Gateway API's hostname rules, for listener and route hostnames (not ACM's, see certificate-coverage.ts, and
 * not the Ingress API's): a leading `*.` is a suffix match over one label OR MORE, so `*.example.com` matches
 * `foo.example.com` and `foo.bar.example.com` but not `example.com`. Names compare case-insensitively.
 */
export function gatewayHostnameMatches(pattern: string, host: string): boolean {
  const name = pattern.toLowerCase();
  const target = host.toLowerCase();
  if (!name.startsWith('*.')) return name === target;
  const suffix = name.slice(1);
  return target.length > suffix.length && target.endsWith(suffix);
}

/**
 * Whether two hostnames (listener and route, either may be a wildcard) have a host in common: equal names,
 * a wildcard that matches the other name, or two wildcards one of which covers the other (`*.example.com`
 * and `*.api.example.com` share `x.api.example.com`).
 */
export function gatewayHostnamesIntersect(a: string, b: string): boolean {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  if (left === right) return true;
  if (left.startsWith('*.') && right.startsWith('*.')) return right.endsWith(left.slice(1)) || left.endsWith(right.slice(1));
  return gatewayHostnameMatches(left, right) || gatewayHostnameMatches(right, left);
}

/**
 * Whether a route may attach to a listener as far as hostnames go: a listener without a hostname takes
 * every route, a route without hostnames fits every listener, otherwise one of the route's hostnames must
 * intersect the listener's.
 */
export function routeHostnamesFitListener(listenerHostname: string | undefined, routeHostnames: readonly string[]): boolean {
  if (listenerHostname === undefined || routeHostnames.length === 0) return true;
  return routeHostnames.some((hostname) => gatewayHostnamesIntersect(listenerHostname, hostname));
}
