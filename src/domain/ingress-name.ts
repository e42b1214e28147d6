/**
 * The name of the one Ingress the bot writes for a host: the host itself. Ingress names are DNS-1123
 * subdomains (lower-case alphanumerics, `-` and `.`, at most 253 characters) and a normalised host is
 * one, so the name is valid, the same on every apply, and no two hosts share it (a scheme that turned
 * dots into hyphens gave `api-v2.example.com` and `api.v2.example.com` the same name).
 */
export function ingressNameForHost(host: string): string {
  return host;
}
