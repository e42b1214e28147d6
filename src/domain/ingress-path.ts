import { ErrorCode, UserFacingError } from '../errors.js';

export const DEFAULT_PATH = '/';
const MAX_PATH_LENGTH = 200;
const HINT = 'A path starts with `/` and uses only letters, digits and `- . _ ~ /`, for example `/api/v1`.';

/**
 * The optional path of an exposure (pathType Prefix). ingress-nginx copies paths into its nginx
 * configuration, so only a conservative character set is accepted: no spaces, quotes, braces, `;`, `$`,
 * backslashes or percent-encoding, and no `.`/`..` segments or `//` (which Kubernetes rejects too).
 */
export function parseIngressPath(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_PATH;
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  const refuse = (problem: string) => new UserFacingError(ErrorCode.BadInput, `The path \`${shown}\` ${problem}`, HINT);
  if (!raw.startsWith('/')) throw refuse('must start with `/`.');
  if (raw.length > MAX_PATH_LENGTH) throw refuse(`is ${raw.length} characters long; at most ${MAX_PATH_LENGTH} are allowed.`);
  const bad = /[^A-Za-z0-9._~/-]/.exec(raw);
  if (bad !== null) throw refuse(`contains \`${bad[0]}\`, which is not allowed in a path.`);
  if (raw.includes('//')) throw refuse('contains `//`.');
  if (raw.split('/').some((segment) => segment === '.' || segment === '..')) throw refuse('contains a `.` or `..` segment.');
  return raw;
}

/** Prefix paths match by whole segments, so `/api` and `/api/` claim the same location. */
export function pathKey(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}
