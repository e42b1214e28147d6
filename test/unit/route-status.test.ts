import { describe, expect, it } from '@jest/globals';
import { type RouteStatus, routeStatusFor } from '../../src/domain/route-status.js';
import { condition, parentStatus, routeSummary, sharedGateway } from '../support/route-summary.js';

const accepted = (generation = 1) => condition('Accepted', 'True', 'Accepted', generation, 'Route is accepted');
const resolved = (generation = 1) => condition('ResolvedRefs', 'True', 'ResolvedRefs', generation, 'Resolved all the Object references');

describe('what the controller says about a route', () => {
  it.each<[string, Parameters<typeof routeSummary>[1], RouteStatus]>([
    [
      'live when Accepted and ResolvedRefs are True for the current generation',
      { parents: [parentStatus(sharedGateway(), [accepted(), resolved()])] },
      { kind: 'live' },
    ],
    ['pending without an entry for the parentRef', { parents: [] }, { kind: 'pending' }],
    [
      'pending when the only entry is for another listener',
      { parents: [parentStatus(sharedGateway('http'), [accepted(), resolved()])] },
      { kind: 'pending' },
    ],
    [
      'pending when the conditions are for an older generation',
      { generation: 2, parents: [parentStatus(sharedGateway(), [accepted(1), resolved(1)])] },
      { kind: 'pending' },
    ],
    [
      'pending when ResolvedRefs is still for an older generation',
      { generation: 2, parents: [parentStatus(sharedGateway(), [accepted(2), resolved(1)])] },
      { kind: 'pending' },
    ],
    ['pending when ResolvedRefs is missing', { parents: [parentStatus(sharedGateway(), [accepted()])] }, { kind: 'pending' }],
    [
      'pending when Accepted is Unknown',
      { parents: [parentStatus(sharedGateway(), [condition('Accepted', 'Unknown', 'Pending'), resolved()])] },
      { kind: 'pending' },
    ],
    [
      'refused with NotAllowedByListeners',
      { parents: [parentStatus(sharedGateway(), [condition('Accepted', 'False', 'NotAllowedByListeners', 1, 'not allowed'), resolved()])] },
      { kind: 'refused', condition: 'Accepted', reason: 'NotAllowedByListeners', message: 'not allowed' },
    ],
    [
      'refused with BackendNotFound while Accepted',
      {
        parents: [
          parentStatus(sharedGateway(), [
            accepted(),
            condition('ResolvedRefs', 'False', 'BackendNotFound', 1, 'Service team-a/orders not found'),
          ]),
        ],
      },
      { kind: 'refused', condition: 'ResolvedRefs', reason: 'BackendNotFound', message: 'Service team-a/orders not found' },
    ],
    [
      'refused for Accepted first when both are False',
      {
        parents: [
          parentStatus(sharedGateway(), [
            condition('ResolvedRefs', 'False', 'RefNotPermitted', 1, 'no grant'),
            condition('Accepted', 'False', 'NoMatchingParent', 1, 'no listener'),
          ]),
        ],
      },
      { kind: 'refused', condition: 'Accepted', reason: 'NoMatchingParent', message: 'no listener' },
    ],
    [
      'not refused by a refusal of an older generation',
      {
        generation: 3,
        parents: [parentStatus(sharedGateway(), [condition('Accepted', 'False', 'NotAllowedByListeners', 2), resolved(2)])],
      },
      { kind: 'pending' },
    ],
  ])('%s', (_what, overrides, expected) => {
    expect(routeStatusFor(routeSummary('api.example.com', overrides), sharedGateway())).toEqual(expected);
  });
});
