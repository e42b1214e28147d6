import { describe, expect, it } from '@jest/globals';
import {
  chooseHostedZone,
  type HostedZoneSummary,
  isInZone,
  normaliseZoneId,
  normaliseZoneName,
  type ZoneChoice,
  zoneNameCandidates,
} from '../../src/domain/hosted-zone.js';

const zone = (id: string, name: string, privateZone = false): HostedZoneSummary => ({ id, name, privateZone });
const ZONES = [
  zone('Z1PUBLIC', 'example.com'),
  zone('Z2DEV', 'dev.example.com'),
  zone('Z3OTHER', 'myexample.com'),
  zone('Z4PRIVATE', 'example.com', true),
  zone('Z5SUB', 'api.example.com'),
];

describe('choosing the hosted zone for a host', () => {
  it.each<[string, string, ZoneChoice, string | undefined]>([
    ['the longest zone that is a suffix', 'shop.dev.example.com', {}, 'Z2DEV'],
    ['a suffix on a label boundary only', 'www.myexample.com', {}, 'Z3OTHER'],
    ['not a zone whose name merely ends the same', 'shop.notexample.com', {}, undefined],
    ['the zone whose apex the host is', 'api.example.com', {}, 'Z5SUB'],
    ['a public zone over a private zone of the same name', 'www.example.com', {}, 'Z1PUBLIC'],
    ['the private zone when asked', 'www.example.com', { visibility: 'private' }, 'Z4PRIVATE'],
    ['only public zones when asked', 'www.dev.example.com', { visibility: 'public' }, 'Z2DEV'],
    [
      'nothing when the longest zone is not allowed (its parent’s record would be shadowed)',
      'shop.dev.example.com',
      { allowedZoneIds: ['/hostedzone/Z1PUBLIC'] },
      undefined,
    ],
    ['the longest zone when it is allowed', 'shop.dev.example.com', { allowedZoneIds: ['Z1PUBLIC', '/hostedzone/Z2DEV'] }, 'Z2DEV'],
    ['an allowed zone of the longest name (split horizon)', 'www.example.com', { allowedZoneIds: ['Z4PRIVATE'] }, 'Z4PRIVATE'],
    ['nothing when no allowed zone holds the host', 'www.myexample.com', { allowedZoneIds: ['Z1PUBLIC'] }, undefined],
    ['any zone when the allow-list is empty', 'shop.dev.example.com', { allowedZoneIds: [] }, 'Z2DEV'],
    ['names compared case-insensitively, with or without a trailing dot', 'WWW.Dev.Example.COM.', {}, 'Z2DEV'],
  ])('picks %s', (_name, host, choice, expected) => {
    expect(chooseHostedZone(host, ZONES, choice)?.id).toBe(expected);
  });

  it('picks the lowest ID among equal zones, so the choice is stable', () => {
    expect(chooseHostedZone('a.example.org', [zone('ZB', 'example.org', true), zone('ZA', 'example.org', true)])?.id).toBe('ZA');
  });

  it('lists the names a zone could have, longest first', () => {
    expect(zoneNameCandidates('a.b.example.com.')).toEqual(['a.b.example.com', 'b.example.com', 'example.com', 'com']);
  });

  it('normalises Route 53’s IDs and names', () => {
    expect(normaliseZoneId('/hostedzone/Z123')).toBe('Z123');
    expect(normaliseZoneName('\\052.Example.com.')).toBe('*.example.com');
    expect(isInZone('example.com', 'example.com.')).toBe(true);
    expect(isInZone('badexample.com', 'example.com')).toBe(false);
  });
});
