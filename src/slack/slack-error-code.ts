import { ErrorCode } from '@slack/web-api';

/**
 * The error code Slack answered a Web API call with (`not_in_channel`, `invalid_auth`, ...), read from the
 * Web API client's coded error; undefined when Slack did not answer (network, timeout) or for other errors.
 */
export function slackErrorCode(error: unknown): string | undefined {
  const coded = error as { code?: unknown; data?: { error?: unknown } } | null | undefined;
  if (coded?.code !== ErrorCode.PlatformError) return undefined;
  return typeof coded.data?.error === 'string' ? coded.data.error : undefined;
}
