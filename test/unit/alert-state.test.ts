import { describe, expect, it } from '@jest/globals';
import { emptyAlertState, parseAlertState, serializeAlertState, type AlertState } from '../../src/alerts/alert-state.js';

describe('the alert state in the Lease', () => {
  it('reads back what it wrote', () => {
    const state: AlertState = {
      groups: { 'arn:tg': { name: 'https', confirmed: 'down', candidate: 'healthy' } },
      incident: { channel: 'C0ALERTS001', ts: '1.000100', openedAt: '2026-11-01T10:00:00.000Z', worst: 'down', verdict: 'down', groups: { 'arn:tg': { name: 'https', status: 'down' } } },
      certificates: { 'arn:cert': { threshold: 14 } },
      failedPolls: 1,
    };
    expect(parseAlertState(serializeAlertState(state))).toEqual({ state });
  });

  it('starts empty without an annotation', () => {
    expect(parseAlertState(undefined)).toEqual({ state: emptyAlertState });
  });

  it.each([
    ['not JSON', '{oops', 'not JSON'],
    ['a wrong shape', '{"groups":[],"certificates":{},"failedPolls":-1}', 'groups'],
  ])('starts empty, and says why, when the annotation is %s', (_what, text, problem) => {
    const parsed = parseAlertState(text);
    expect(parsed.state).toEqual(emptyAlertState);
    expect(parsed.problem).toContain(problem);
  });
});
