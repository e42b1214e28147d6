import { describe, expect, it } from '@jest/globals';
import { isAwsRegion, isEksClusterName, isIamRoleArn } from '../../src/domain/aws-names.js';

describe('AWS names', () => {
  it.each([
    ['arn:aws:iam::111122223333:role/nlb-bot-read', true],
    ['arn:aws:iam::111122223333:role/platform/bots/nlb-bot-read', true],
    ['arn:aws-cn:iam::111122223333:role/nlb-bot', true],
    ['arn:aws-us-gov:iam::111122223333:role/nlb-bot', true],
    ['arn:aws:iam::111122223333:user/nlb-bot', false],
    ['arn:aws:iam:eu-west-1:111122223333:role/nlb-bot', false],
    ['arn:aws:sts::111122223333:assumed-role/nlb-bot/session', false],
    ['arn:aws:iam::11112222333:role/nlb-bot', false],
    ['arn:aws:iam::111122223333:role/', false],
    ['arn:aws:iam::111122223333:role/has space', false],
    [`arn:aws:iam::111122223333:role/${'a'.repeat(65)}`, false],
    [`arn:aws:iam::111122223333:role/${'p/'.repeat(400)}x`, false],
    ['arn:evil:iam::111122223333:role/nlb-bot', false],
  ])('%s is an IAM role ARN: %s', (value, expected) => {
    expect(isIamRoleArn(value)).toBe(expected);
  });

  it.each([
    ['eu-west-1', true],
    ['us-gov-west-1', true],
    ['ap-southeast-3', true],
    ['eu-west', false],
    ['EU-WEST-1', false],
    ['eu-west-1a', false],
  ])('%s is a region: %s', (value, expected) => {
    expect(isAwsRegion(value)).toBe(expected);
  });

  it.each([
    ['prod-euw1', true],
    ['Prod_2', true],
    ['-prod', false],
    ['a'.repeat(101), false],
    ['prod.euw1', false],
  ])('%s is an EKS cluster name: %s', (value, expected) => {
    expect(isEksClusterName(value)).toBe(expected);
  });
});
