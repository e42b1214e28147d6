import { describe, expect, it } from '@jest/globals';
import { normaliseHostName } from '../../src/domain/host-name.js';
import { ErrorCode, UserFacingError } from '../../src/errors.js';

function refusal(raw: string): UserFacingError {
  try {
    normaliseHostName(raw);
  } catch (error) {
    if (error instanceof UserFacingError) return error;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe('host names', () => {
  it.each([
    ['api.example.com', 'api.example.com'],
    ['API.Example.COM', 'api.example.com'],
    ['api.example.com.', 'api.example.com'],
    ['a-b.c-d.example.com', 'a-b.c-d.example.com'],
    ['123.example.com', '123.example.com'],
    ['example.com', 'example.com'],
    ['xn--bcher-kva.example.com', 'xn--bcher-kva.example.com'],
    [`${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
  ])('accepts %s as %s', (raw, expected) => {
    expect(normaliseHostName(raw)).toBe(expected);
  });

  it('accepts a name of exactly 253 characters and refuses 254', () => {
    const label = 'a'.repeat(61);
    const name253 = `${`${label}.${label}.${label}.${label}.com`.slice(0, 249)}.com`;
    expect(name253).toHaveLength(253);
    expect(normaliseHostName(name253)).toBe(name253);
    const name254 = `a${name253}`;
    expect(refusal(name254).message).toContain('254 characters long; a DNS name has at most 253');
  });

  it.each([
    ['', 'missing'],
    ['*.x.com', 'wildcard'],
    ['1.2.3.4', 'IP address'],
    ['[::1]', 'IP address'],
    ['2001:db8::1', 'IP address'],
    ['https://x.com/a', 'scheme (https://)'],
    ['ftp://x.com', 'scheme (ftp://)'],
    ['x.com/a', 'contains a path'],
    ['x.com:8443', 'contains a port'],
    ['bücher.example.com', 'punycode'],
    ['аpple.com', 'punycode'],
    ['api .example.com', 'white space'],
    ['api\t.example.com', 'white space'],
    ['a..b.com', 'empty label'],
    ['.example.com', 'empty label'],
    ['x.com..', 'empty label'],
    ['localhost', 'fully qualified'],
    ['-api.example.com', 'starts or ends with a hyphen'],
    ['api-.example.com', 'starts or ends with a hyphen'],
    ['api_v1.example.com', 'contains `_`'],
    [`${'a'.repeat(64)}.example.com`, 'label of 64 characters'],
    ['xn--zz.example.com', 'not valid punycode'],
    ['a.b.c.123', 'all-numeric'],
    ['user@example.com', '`@`'],
    ['$(reboot).example.com', 'contains `$`'],
    ['`id`.example.com', 'contains ```'],
    ['x.com;rm', 'contains `;`'],
    ['x.com|sh', 'contains `|`'],
    ['x.com&&id', 'contains `&`'],
    ["x.com'", "contains `'`"],
    ['x.com"', 'contains `"`'],
    ['x.com\\n', 'contains `\\`'],
    ['{x}.com', 'contains `{`'],
    ['x.com#frag', 'contains `#`'],
    ['key: value', 'white space'],
    ['- x.com', 'white space'],
    ['x.com\n', 'white space'],
    ['&x.com', 'contains `&`'],
    ['!x.com', 'contains `!`'],
    ['<!channel>.com', 'contains `<`'],
  ])('refuses %j (%s)', (raw, problem) => {
    const error = refusal(raw);
    expect(error.code).toBe(ErrorCode.BadInput);
    expect(error.message).toContain(problem);
    expect(error.hint).toBeDefined();
  });

  it('shows at most 80 characters of what was typed', () => {
    expect(refusal(`${'a'.repeat(300)}.com`).message.length).toBeLessThan(200);
  });
});
