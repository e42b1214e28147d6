import { describe, expect, it } from '@jest/globals';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';
import { BUTTON_VALUE_MAX_LENGTH, ButtonValueSigner } from '../../src/slack/button-value-signer.js';
import { decodeExposeTicket, decodeUnexposeTicket, encodeExposeTicket, encodeUnexposeTicket } from '../../src/slack/expose-tickets.js';

const SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const NOW = new Date('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;

function refusal(run: () => unknown): UserFacingError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error('accepted');
}

const ticket = {
  request: parseExposeRequest('api.example.com team-a/orders-api:http /v1'),
  requestedBy: 'U0DEVELOPER',
  channel: 'C0PLATFORM1',
};

describe('signed button values', () => {
  const signer = new ButtonValueSigner(SECRET);

  it('carries an expose request through a button and back', () => {
    const value = encodeExposeTicket(signer, ticket, NOW);
    expect(decodeExposeTicket(signer, value, new Date(NOW.getTime() + HOUR))).toEqual(ticket);
  });

  it('does not show the signing secret in the value', () => {
    const value = encodeExposeTicket(signer, ticket, NOW);
    expect(value).not.toContain(SECRET);
    expect(Buffer.from(value.split('.')[0] ?? '', 'base64url').toString()).not.toContain(SECRET);
  });

  it('refuses a value whose request was changed', () => {
    const value = encodeExposeTicket(signer, ticket, NOW);
    const [body, tag] = value.split('.');
    const data = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as { d: Record<string, unknown> };
    data.d['n'] = 'kube-system';
    const forged = `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${tag ?? ''}`;
    const error = refusal(() => decodeExposeTicket(signer, forged, NOW));
    expect(error.code).toBe(ErrorCode.NotAuthorized);
    expect(error.message).toContain('not valid');
  });

  it('refuses a value signed with another key, a cut tag and garbage', () => {
    const other = encodeExposeTicket(new ButtonValueSigner('0000000000000000ffffffffffffffff'), ticket, NOW);
    const value = encodeExposeTicket(signer, ticket, NOW);
    for (const bad of [other, value.slice(0, -2), `${value}.x`, 'x', '', 42, undefined, 'a'.repeat(3000)]) {
      expect(refusal(() => decodeExposeTicket(signer, bad, NOW)).code).toBe(ErrorCode.NotAuthorized);
    }
  });

  it('refuses a value older than 24 hours, and one from the future', () => {
    const value = encodeExposeTicket(signer, ticket, NOW);
    expect(decodeExposeTicket(signer, value, new Date(NOW.getTime() + 23 * HOUR)).request.host).toBe('api.example.com');
    expect(refusal(() => decodeExposeTicket(signer, value, new Date(NOW.getTime() + 25 * HOUR))).message).toContain('expired');
    expect(refusal(() => decodeExposeTicket(signer, value, new Date(NOW.getTime() - HOUR))).message).toContain('not valid');
  });

  it('does not accept an /unexpose value on an /expose button, or the reverse', () => {
    const removal = encodeUnexposeTicket(
      signer,
      { host: 'api.example.com', namespace: 'team-a', name: 'api.example.com', uid: '0b9f', requestedBy: 'U0ADMIN', channel: 'C0X' },
      NOW,
    );
    expect(refusal(() => decodeExposeTicket(signer, removal, NOW)).code).toBe(ErrorCode.NotAuthorized);
    expect(refusal(() => decodeUnexposeTicket(signer, encodeExposeTicket(signer, ticket, NOW), NOW)).code).toBe(ErrorCode.NotAuthorized);
    expect(decodeUnexposeTicket(signer, removal, NOW).uid).toBe('0b9f');
  });

  it('validates a correctly signed request again, as if it had been typed', () => {
    const value = signer.sign('expose', { h: 'bad host', n: 'team-a', s: 'svc', p: 80, a: '/', r: 'U0DEV', c: 'C0X' }, NOW);
    expect(refusal(() => decodeExposeTicket(signer, value, NOW)).code).toBe(ErrorCode.BadInput);
    const noUser = signer.sign('expose', { h: 'a.example.com', n: 'team-a', s: 'svc', p: 80, a: '/', r: '<!channel>', c: 'C0X' }, NOW);
    expect(refusal(() => decodeExposeTicket(signer, noUser, NOW)).code).toBe(ErrorCode.BadInput);
  });

  it('stays under Slack’s 2000-character value limit for the longest valid request', () => {
    const label = 'a'.repeat(61);
    const host = `${`${label}.${label}.${label}.${label}.com`.slice(0, 249)}.com`;
    const longest = {
      request: parseExposeRequest(`${host} ${'n'.repeat(63)}/${'s'.repeat(63)}:${'p'.repeat(15)} /${'x'.repeat(199)}`),
      requestedBy: `U${'A'.repeat(20)}`,
      channel: `C${'B'.repeat(20)}`,
    };
    const value = encodeExposeTicket(signer, longest, NOW);
    expect(value.length).toBeLessThan(BUTTON_VALUE_MAX_LENGTH);
    expect(decodeExposeTicket(signer, value, NOW)).toEqual(longest);
  });
});
