import type { EdgeRouting, RouteListing } from '../routing/edge-routing.js';

export type { ExposedHost, OtherHost } from '../routing/edge-routing.js';
export type ExposeListResult = RouteListing;

/** /expose list: the bot's hosts (in Gateway mode with their routes' status) and everyone else's on the edge. */
export function listExposures(deps: { readonly routing: EdgeRouting }): Promise<ExposeListResult> {
  return deps.routing.list();
}
