import { randomBytes } from 'node:crypto';

/**
 * Errors a user can act on. They carry a code (callers branch on it, never on the text) and a
 * sentence for Slack that says what went wrong and what to check.
 */
export const ErrorCode = {
  BadInput: 'bad_input',
  ServiceNotFound: 'service_not_found',
  NoLoadBalancer: 'no_load_balancer',
  NlbNotFound: 'nlb_not_found',
  NotNetworkLoadBalancer: 'not_network_load_balancer',
  AwsAccessDenied: 'aws_access_denied',
  AwsRefused: 'aws_refused',
  AwsUnavailable: 'aws_unavailable',
  KubeForbidden: 'kube_forbidden',
  KubeUnavailable: 'kube_unavailable',
  NotAuthorized: 'not_authorized',
  CheckFailed: 'check_failed',
  Conflict: 'conflict',
  NotManaged: 'not_managed',
  NotFound: 'not_found',
  NotConfigured: 'not_configured',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  readonly code: ErrorCode;
  /** What the person should check or do next; shown under the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}

/** The environment (or a file it names) is not a configuration the bot can run with: one line per problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A short id for an unexpected error: the Slack answer quotes it, the log line carries it with the stack. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}
