import { AccessDeniedException, ThrottlingException } from '@aws-sdk/client-acm';
import { ElasticLoadBalancingV2ServiceException, LoadBalancerNotFoundException } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from '@jest/globals';
import { isUserFacingError } from '../../src/errors.js';
import { toAwsUserError } from '../../src/ports/aws/aws-errors.js';

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

function serviceError(name: string, fault: 'client' | 'server', status: number): ElasticLoadBalancingV2ServiceException {
  return new ElasticLoadBalancingV2ServiceException({ name, $fault: fault, message: `${name} happened`, ...metadata(status) });
}

function classify(error: unknown): { code: string; message: string } | 'unexpected' {
  const result = toAwsUserError(error, 'DescribeListeners');
  return isUserFacingError(result) ? { code: result.code, message: result.message } : 'unexpected';
}

describe('AWS errors, classified as the SDK classifies them', () => {
  it.each([
    [
      'a 403 AccessDenied of the Query API',
      serviceError('AccessDenied', 'client', 403),
      'aws_access_denied',
      'AWS refused DescribeListeners (AccessDenied).',
    ],
    [
      'ACM’s modelled AccessDeniedException (HTTP 400)',
      new AccessDeniedException({ message: 'no', ...metadata(400) }),
      'aws_access_denied',
      'AWS refused DescribeListeners (AccessDeniedException).',
    ],
    ['an expired token (400)', serviceError('ExpiredToken', 'client', 400), 'aws_refused', 'AWS refused DescribeListeners (ExpiredToken).'],
    [
      'a modelled not-found the caller did not expect',
      new LoadBalancerNotFoundException({ message: 'gone', ...metadata(400) }),
      'aws_refused',
      'AWS refused DescribeListeners (LoadBalancerNotFoundException).',
    ],
    [
      'Throttling',
      serviceError('Throttling', 'client', 400),
      'aws_unavailable',
      'AWS kept throttling DescribeListeners, even after retries.',
    ],
    [
      'ACM’s ThrottlingException',
      new ThrottlingException({ message: 'slow down', ...metadata(400) }),
      'aws_unavailable',
      'AWS kept throttling DescribeListeners, even after retries.',
    ],
    [
      'a 429 of any name',
      serviceError('SomethingNew', 'client', 429),
      'aws_unavailable',
      'AWS kept throttling DescribeListeners, even after retries.',
    ],
    ['a 503', serviceError('ServiceUnavailable', 'server', 503), 'aws_unavailable', 'AWS could not be reached for DescribeListeners.'],
    [
      'a server fault outside 500-504',
      serviceError('InternalFailure', 'server', 599),
      'aws_unavailable',
      'AWS could not be reached for DescribeListeners.',
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      'aws_unavailable',
      'AWS could not be reached for DescribeListeners.',
    ],
    [
      'a DNS failure for the endpoint',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      'aws_unavailable',
      'AWS could not be reached for DescribeListeners.',
    ],
    [
      'a timeout',
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      'aws_unavailable',
      'AWS did not answer DescribeListeners in time, even after retries.',
    ],
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }),
      'aws_access_denied',
      'The bot has no AWS credentials for DescribeListeners.',
    ],
  ])('%s', (_what, error, code, message) => {
    expect(classify(error)).toEqual({ code, message });
  });

  it('leaves an error that is not from AWS unexpected (a bug, answered with a log reference)', () => {
    expect(classify(new TypeError('x is undefined'))).toBe('unexpected');
    expect(classify('a string')).toBe('unexpected');
  });
});
