import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { ErrorCode, UserFacingError } from '../errors.js';

const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const HINT = 'Give a lower-case DNS name such as `api.example.com`: letters, digits, hyphens and dots; no scheme, port, path or wildcard.';

/**
 * A host a partner will reach: a lower-case RFC 1123 DNS name with at least two labels. Case and one
 * trailing dot are normalised; anything else that is not a plain name (wildcard, IP address, scheme,
 * port, path, unicode that is not punycode) is refused with a message that names the problem, because
 * the host ends up in nginx's configuration and in a certificate match.
 */
export function normaliseHostName(raw: string): string {
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  const refuse = (problem: string) => new UserFacingError(ErrorCode.BadInput, `The host \`${shown}\` ${problem}`, HINT);
  if (raw === '') throw new UserFacingError(ErrorCode.BadInput, 'The host name is missing.', HINT);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme !== null) throw refuse(`starts with a scheme (${scheme[1] ?? ''}://): give the host name alone.`);
  if (/\s/.test(raw)) throw refuse('contains white space.');
  if (/[^\x21-\x7e]/.test(raw)) {
    throw refuse('contains characters outside ASCII: write an internationalised name in punycode (`xn--…`).');
  }
  if (raw.includes('*')) throw refuse('is a wildcard: the bot exposes one host at a time.');
  if (isIP(raw) !== 0 || isIP(raw.replace(/^\[|\]$/g, '')) !== 0) throw refuse('is an IP address: give the DNS name partners will use.');
  if (raw.includes('/')) throw refuse('contains a path: give the host name alone (the path is the optional last argument).');
  if (raw.includes(':')) throw refuse('contains a port: partners always connect on 443 (HTTPS), so give the host name alone.');
  if (raw.includes('@')) throw refuse('contains `@`: give the host name alone.');

  const host = (raw.endsWith('.') ? raw.slice(0, -1) : raw).toLowerCase();
  if (host.length > MAX_HOST_LENGTH) throw refuse(`is ${host.length} characters long; a DNS name has at most ${MAX_HOST_LENGTH}.`);
  const labels = host.split('.');
  if (labels.some((label) => label === '')) throw refuse('has an empty label (two dots in a row, or a leading dot).');
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH)
      throw refuse(`has a label of ${label.length} characters; a label has at most ${MAX_LABEL_LENGTH}.`);
    const bad = /[^a-z0-9-]/.exec(label);
    if (bad !== null) throw refuse(`contains \`${bad[0]}\`: only letters, digits, hyphens and dots are allowed.`);
    if (label.startsWith('-') || label.endsWith('-')) throw refuse(`has the label \`${label}\`, which starts or ends with a hyphen.`);
    if (label.startsWith('xn--') && !isPunycode(label)) throw refuse(`has the label \`${label}\`, which is not valid punycode.`);
  }
  if (labels.length < 2) throw refuse('is not a fully qualified name: give the whole name, such as `api.example.com`.');
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) throw refuse('ends in an all-numeric label, which no top-level domain is.');
  return host;
}

/** A punycode label decodes to unicode and encodes back to itself. */
function isPunycode(label: string): boolean {
  const decoded = domainToUnicode(label);
  return decoded !== label && decoded !== '' && domainToASCII(decoded) === label;
}

/**
 * A name from outside (a DNS answer) as a host name, or undefined when it is not one by the rules above:
 * such a name is never shown as it is, since it could carry markup into a Slack message.
 */
export function validHostName(raw: string): string | undefined {
  try {
    return normaliseHostName(raw);
  } catch {
    return undefined;
  }
}
