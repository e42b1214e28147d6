import { describe, expect, it } from '@jest/globals';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { renderCheckFailure } from '../../src/slack/render/check-message.js';
import { blockKitProblems, blocksText } from '../support/block-kit.js';

describe('a live check that could not run', () => {
  it('says what failed when the error is meant for people, and how to try again', () => {
    const error = new UserFacingError(ErrorCode.AwsUnavailable, 'AWS did not answer the bot (DescribeLoadBalancers) in time.');
    const message = renderCheckFailure('api.example.com', '/v1', error, { name: 'prod', region: 'eu-west-1' });
    const text = blocksText(message.blocks);
    expect(text).toContain('The live check of api.example.com');
    expect(text).toContain('could not run: AWS did not answer the bot (DescribeLoadBalancers) in time.');
    expect(text).toContain('`/check prod api.example.com /v1` to try again');
    expect(blockKitProblems({ type: 'message', blocks: message.blocks }, 50)).toEqual([]);
  });

  it('shows nothing of an unexpected error, only where its details are', () => {
    const message = renderCheckFailure(
      'api.example.com',
      '/',
      new TypeError("Cannot read properties of undefined (reading 'arn')"),
      undefined,
    );
    const text = `${blocksText(message.blocks)}\n${message.text}`;
    expect(text).not.toContain('Cannot read');
    expect(text).toContain('the bot could not read the NLB or the cluster (the bot’s log has the details)');
    expect(text).toContain('`/check api.example.com` to try again');
  });
});
