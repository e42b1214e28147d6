import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { ErrorCode, UserFacingError } from '../errors.js';
import { BUTTON_MAX_CLOCK_SKEW_MS, BUTTON_VALUE_MAX_AGE_MS } from '../tuning.js';

/** Slack's limit for a button's `value`. */
export const BUTTON_VALUE_MAX_LENGTH = 2000;

/**
 * Signs the state a button carries. Slack sends no message body for clicks on ephemeral messages, and
 * any replica may receive the click, so a pending request travels in the button's `value`:
 * `base64url(JSON {k: kind, t: issued-at seconds, d: data}) "." base64url(HMAC-SHA256)`. The HMAC key
 * is derived from the signing secret (HKDF), so it is never the secret itself and needs no new setting.
 */
export class ButtonValueSigner {
  private readonly key: Buffer;

  constructor(
    signingSecret: string,
    private readonly maxAgeMs = BUTTON_VALUE_MAX_AGE_MS,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', signingSecret, 'nlb-ingress-bot', 'slack button values v1', 32));
  }

  sign(kind: string, data: Readonly<Record<string, unknown>>, now: Date): string {
    const body = Buffer.from(JSON.stringify({ k: kind, t: Math.floor(now.getTime() / 1000), d: data })).toString('base64url');
    const value = `${body}.${this.tag(body)}`;
    // The data comes from validated requests whose fields are bounded, so this is a programming error.
    if (value.length > BUTTON_VALUE_MAX_LENGTH) throw new Error(`a ${kind} button value is ${value.length} characters, over Slack's limit`);
    return value;
  }

  /** The data of a value this bot signed for `kind`, not older than the maximum age; anything else is refused. */
  verify(kind: string, value: unknown, now: Date): Record<string, unknown> {
    const invalid = new UserFacingError(
      ErrorCode.NotAuthorized,
      'This button’s data is not valid (it was altered, or comes from another app), so nothing was done.',
      'Run the command again for fresh buttons.',
    );
    if (typeof value !== 'string' || value.length > BUTTON_VALUE_MAX_LENGTH) throw invalid;
    const [body, tag, extra] = value.split('.');
    if (body === undefined || tag === undefined || extra !== undefined) throw invalid;
    const expected = Buffer.from(this.tag(body));
    const given = Buffer.from(tag);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    let parsed: { k?: unknown; t?: unknown; d?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw invalid;
    }
    if (parsed.k !== kind || typeof parsed.t !== 'number' || parsed.d === null || typeof parsed.d !== 'object' || Array.isArray(parsed.d))
      throw invalid;
    const age = now.getTime() - parsed.t * 1000;
    if (age < -BUTTON_MAX_CLOCK_SKEW_MS) throw invalid;
    if (age > this.maxAgeMs) {
      throw new UserFacingError(
        ErrorCode.NotAuthorized,
        `This button has expired (it is more than ${Math.round(this.maxAgeMs / 3_600_000)} hours old), so nothing was done.`,
        'Run the command again for fresh buttons.',
      );
    }
    return parsed.d as Record<string, unknown>;
  }

  private tag(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
