import { describe, expect, it } from '@jest/globals';
import { ownershipOf, ownershipTxtValue, parseOwnershipTxt } from '../../src/domain/dns-ownership.js';
import { isUserFacingError } from '../../src/errors.js';

const RESOURCE = { kind: 'Ingress', namespace: 'team-a', name: 'api.example.com' } as const;

describe('the ownership TXT record', () => {
  it('is written as ExternalDNS writes it, quoted, with the kind in lower case', () => {
    expect(ownershipTxtValue('nlb-bot-prod', RESOURCE)).toBe(
      '"heritage=external-dns,external-dns/owner=nlb-bot-prod,external-dns/resource=ingress/team-a/api.example.com"',
    );
    expect(ownershipTxtValue('prod', { kind: 'HTTPRoute', namespace: 'shop', name: 'web' })).toContain(
      'external-dns/resource=httproute/shop/web',
    );
  });

  it.each([['with,comma'], ['with"quote'], ['with space'], ['='], [''], ['x'.repeat(101)]])('refuses the owner id %j', (ownerId) => {
    const error = (() => {
      try {
        return ownershipTxtValue(ownerId, RESOURCE);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isUserFacingError(error) && error.code).toBe('not_configured');
  });

  it('refuses a resource name the format cannot carry', () => {
    expect(() => ownershipTxtValue('prod', { ...RESOURCE, name: 'a,b' })).toThrow('cannot go into an ownership record');
  });

  it.each<[string, string, ReturnType<typeof parseOwnershipTxt>]>([
    [
      'what the bot writes',
      '"heritage=external-dns,external-dns/owner=prod,external-dns/resource=ingress/team-a/api"',
      { ownerId: 'prod', resource: 'ingress/team-a/api' },
    ],
    ['unquoted', 'heritage=external-dns,external-dns/owner=prod', { ownerId: 'prod', resource: undefined }],
    ['split into several strings', '"heritage=external-dns,external-dns/ow" "ner=prod"', { ownerId: 'prod', resource: undefined }],
    ['an SPF record', '"v=spf1 include:_spf.example.com ~all"', undefined],
    ['another heritage', '"heritage=someone-else,external-dns/owner=prod"', undefined],
    ['no owner', '"heritage=external-dns,external-dns/resource=ingress/a/b"', undefined],
    ['an empty owner', '"heritage=external-dns,external-dns/owner="', undefined],
  ])('reads %s', (_name, value, expected) => {
    expect(parseOwnershipTxt(value)).toEqual(expected);
  });

  it('tells our record from another owner’s among a TXT record’s values', () => {
    const ours = ownershipTxtValue('prod', RESOURCE);
    const theirs = '"heritage=external-dns,external-dns/owner=staging"';
    expect(ownershipOf([ours, '"v=spf1 -all"'], 'prod')).toEqual({ owners: ['prod'], ours: true });
    expect(ownershipOf([theirs], 'prod')).toEqual({ owners: ['staging'], ours: false });
    expect(ownershipOf(['"v=spf1 -all"'], 'prod')).toEqual({ owners: [], ours: false });
  });
});
