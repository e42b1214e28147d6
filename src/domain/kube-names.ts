/**
 * Kubernetes object names, the one pattern for each kind of name (the API server's own rules):
 * - a DNS-1123 label (namespaces): lower-case alphanumerics and `-`, at most 63 characters;
 * - a DNS-1035 label (Services): the same, starting with a letter;
 * - a DNS-1123 subdomain (Ingresses, IngressClasses, most other objects): labels joined by `.`, at most 253.
 */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_1123_LABEL.test(name);
}

export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS_1035_LABEL.test(name);
}

export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_1123_SUBDOMAIN.test(name);
}
