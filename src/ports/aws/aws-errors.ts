import { ErrorCode, UserFacingError } from '../../errors.js';

const accessDenied = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

const throttled = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** Turns an AWS SDK failure into a sentence a Slack user can act on; anything unknown stays unexpected. */
export function toAwsUserError(error: unknown, operation: string): unknown {
  if (!(error instanceof Error)) return error;
  const name = error.name;
  if (accessDenied.has(name)) {
    return new UserFacingError(
      ErrorCode.AwsAccessDenied,
      `AWS refused ${operation} (${name}).`,
      'Check that the bot’s IAM role (IRSA) has the permissions in manifests/iam-policy.json and that its credentials are valid.',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError') {
    return new UserFacingError(
      ErrorCode.AwsAccessDenied,
      `The bot has no AWS credentials for ${operation}.`,
      'Give the bot’s ServiceAccount an IAM role (IRSA) or set the standard AWS credential variables.',
      { cause: error },
    );
  }
  if (throttled.has(name)) {
    return new UserFacingError(
      ErrorCode.AwsUnavailable,
      `AWS kept throttling ${operation}, even after retries.`,
      'Try again in a minute.',
      { cause: error },
    );
  }
  if (name === 'TimeoutError') {
    return new UserFacingError(
      ErrorCode.AwsUnavailable,
      `AWS did not answer ${operation} in time, even after retries.`,
      'Check the network path from the cluster to the ELBv2/ACM endpoints (VPC endpoints, NAT, proxy) and try again.',
      { cause: error },
    );
  }
  const code = (error as { code?: unknown }).code;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (
    (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) ||
    (status !== undefined && status >= 500)
  ) {
    return new UserFacingError(
      ErrorCode.AwsUnavailable,
      `AWS could not be reached for ${operation}.`,
      'Check the network path from the cluster to the ELBv2/ACM endpoints (VPC endpoints, NAT, proxy) and try again.',
      { cause: error },
    );
  }
  return error;
}
