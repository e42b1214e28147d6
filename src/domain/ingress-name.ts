import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * The name of the one Ingress the bot writes for a host, derived from the host alone so that a
 * repeated apply lands on the same object: dots become hyphens (`api.example.com` -> `api-example-com`).
 * A name longer than 63 characters is cut and ends in a hash of the host, so it stays unique.
 */
export function ingressNameForHost(host: string): string {
  const name = host.toLowerCase().replace(/\.$/, '').replace(/\./g, '-');
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(host).digest('hex').slice(0, HASH_LENGTH);
  const prefix = name.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}
