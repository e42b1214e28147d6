import { describe, expect, it } from '@jest/globals';
import { type AlertState, emptyAlertState, parseAlertState, serializeAlertState } from '../../src/alerts/alert-state.js';

describe('the alert state in the Lease', () => {
  it('reads back what it wrote', () => {
    const state: AlertState = {
      groups: { 'arn:tg': { name: 'https', confirmed: 'down', candidate: 'healthy' } },
      incident: {
        channel: 'C0ALERTS001',
        ts: '1.000100',
        openedAt: '2026-11-01T10:00:00.000Z',
        worst: 'down',
        verdict: 'down',
        groups: { 'arn:tg': { name: 'https', status: 'down' } },
      },
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

describe('reading a damaged alert state', () => {
  it.each([
    ['an unknown status', '{"groups":{"a":{"name":"x","confirmed":"bad"}},"certificates":{},"failedPolls":0}', 'groups.a.confirmed'],
    [
      'an incident without ts',
      '{"groups":{},"incident":{"channel":"C1","openedAt":"t","worst":"down","verdict":"down","groups":{}},"certificates":{},"failedPolls":0}',
      'incident.ts',
    ],
    ['a threshold that is text', '{"groups":{},"certificates":{"c":{"threshold":"14"}},"failedPolls":0}', 'certificates.c.threshold'],
    ['a fractional poll count', '{"groups":{},"certificates":{},"failedPolls":1.5}', 'failedPolls'],
    ['an array', '[]', 'state'],
  ])('names what is wrong: %s', (_what, text, path) => {
    const parsed = parseAlertState(text);
    expect(parsed.state).toEqual(emptyAlertState);
    expect(parsed.problem).toContain(path);
  });

  it('keeps absent optional fields absent', () => {
    const { state } = parseAlertState('{"groups":{"a":{"name":"x"}},"certificates":{"c":{}},"failedPolls":0}');
    expect(Object.keys(state)).toEqual(['groups', 'certificates', 'failedPolls']);
    expect(Object.keys(state.groups['a']!)).toEqual(['name']);
  });
});
