import { AccessDeniedException } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2ServiceException } from '@aws-sdk/client-elastic-load-balancing-v2';
import { isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { ErrorCode, UserFacingError } from '../../errors.js';

const NETWORK_HINT = 'Check the network path from the cluster to the AWS endpoints (VPC endpoints, NAT, proxy) and try again.';
const IAM_HINT =
  'Check that the bot’s IAM role (IRSA or Pod Identity) has the permissions ' +
  'in manifests/iam-policy.json and that its credentials are valid.';

/**
 * Turns an AWS SDK failure into a sentence a Slack user can act on, classified the way the SDK's own retry
 * does (@smithy/service-error-classification): throttling, transient (timeouts, connection errors, 5xx),
 * a refusal by AWS (a service exception with a client fault: 401/403 and the modelled AccessDeniedException
 * are access problems), missing credentials. Anything else stays unexpected.
 */
export function toAwsUserError(error: unknown, operation: string): unknown {
  if (!(error instanceof Error)) return error;
  const { name } = error;
  const classified = error as Parameters<typeof isTransientError>[0];
  if (name === 'CredentialsProviderError') {
    return new UserFacingError(
      ErrorCode.AwsAccessDenied,
      `The bot has no AWS credentials for ${operation}.`,
      'Give the bot’s ServiceAccount an IAM role (IRSA) or set the standard AWS credential variables.',
      { cause: error },
    );
  }
  if (isThrottlingError(classified)) {
    return new UserFacingError(
      ErrorCode.AwsUnavailable,
      `AWS kept throttling ${operation}, even after retries.`,
      'Try again in a minute.',
      { cause: error },
    );
  }
  if (name === 'TimeoutError' || (error as { code?: unknown }).code === 'ETIMEDOUT') {
    return new UserFacingError(ErrorCode.AwsUnavailable, `AWS did not answer ${operation} in time, even after retries.`, NETWORK_HINT, {
      cause: error,
    });
  }
  if (isTransientError(classified) || (ElasticLoadBalancingV2ServiceException.isInstance(error) && error.$fault === 'server')) {
    return new UserFacingError(ErrorCode.AwsUnavailable, `AWS could not be reached for ${operation}.`, NETWORK_HINT, { cause: error });
  }
  if (ElasticLoadBalancingV2ServiceException.isInstance(error) && error.$fault === 'client') {
    const status = error.$metadata.httpStatusCode;
    const denied = error instanceof AccessDeniedException || status === 401 || status === 403;
    return new UserFacingError(denied ? ErrorCode.AwsAccessDenied : ErrorCode.AwsRefused, `AWS refused ${operation} (${name}).`, IAM_HINT, {
      cause: error,
    });
  }
  return error;
}
