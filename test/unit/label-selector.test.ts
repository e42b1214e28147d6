import { describe, expect, it } from '@jest/globals';
import { describeLabelSelector, type LabelSelector, labelSelectorMatches } from '../../src/domain/label-selector.js';

const labels = { 'nlb-ingress-bot/exposable': 'true', team: 'a', env: 'prod' };

describe('label selector matching', () => {
  it.each<[string, LabelSelector, boolean]>([
    ['an empty selector', {}, true],
    ['a matching label', { matchLabels: { team: 'a' } }, true],
    ['all labels of matchLabels', { matchLabels: { team: 'a', env: 'prod' } }, true],
    ['one label that differs', { matchLabels: { team: 'a', env: 'dev' } }, false],
    ['a missing label', { matchLabels: { owner: 'x' } }, false],
    ['In with the value', { matchExpressions: [{ key: 'env', operator: 'In', values: ['staging', 'prod'] }] }, true],
    ['In without the value', { matchExpressions: [{ key: 'env', operator: 'In', values: ['staging'] }] }, false],
    ['In on a missing label', { matchExpressions: [{ key: 'owner', operator: 'In', values: ['x'] }] }, false],
    ['NotIn with the value', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    ['NotIn on a missing label', { matchExpressions: [{ key: 'owner', operator: 'NotIn', values: ['x'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
    ['Exists on a missing label', { matchExpressions: [{ key: 'owner', operator: 'Exists' }] }, false],
    ['DoesNotExist on a missing label', { matchExpressions: [{ key: 'owner', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist on a present label', { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
    ['an unknown operator', { matchExpressions: [{ key: 'team', operator: 'Gt', values: ['1'] }] }, false],
    [
      'labels and expressions together, one failing',
      { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
      false,
    ],
  ])('%s: %s', (_what, selector, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });
});

describe('describing a label selector', () => {
  it('writes it as kubectl does', () => {
    expect(
      describeLabelSelector({
        matchLabels: { 'nlb-ingress-bot/exposable': 'true' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('nlb-ingress-bot/exposable=true,env in (prod,staging),tier notin (db),team,!legacy');
    expect(describeLabelSelector({})).toBe('(everything)');
  });
});
