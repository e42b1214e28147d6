/**
 * One check of an exposure and its verdict. `fail` blocks the write; `warn` is shown and does not.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export const CheckName = {
  Host: 'Host name',
  Namespace: 'Namespace',
  Service: 'Service',
  Port: 'Port',
  Route: 'Host and path free',
  Tls: 'TLS certificate',
  Dns: 'DNS',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

export interface ExposeCheck {
  readonly name: CheckName;
  readonly status: CheckStatus;
  /** One or more sentences, with `code` spans; the renderer escapes Slack markup (&, <, >). */
  readonly detail: string;
}

export function failedChecks(checks: readonly ExposeCheck[]): ExposeCheck[] {
  return checks.filter((check) => check.status === 'fail');
}
