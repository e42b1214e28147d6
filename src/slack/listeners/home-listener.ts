import type { App } from '@slack/bolt';
import type { ServedEdge } from '../../edges/edge.js';
import type { EdgeDirectory } from '../../edges/edge-directory.js';
import { newErrorId } from '../../errors.js';
import { type EdgeHome, failureOf, renderHome } from '../render/home-view.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';
import { slackErrorCode } from '../slack-error-code.js';

export interface HomeTabDependencies {
  readonly edges: EdgeDirectory<ServedEdge>;
  readonly now: () => Date;
}

/**
 * The App Home: on app_home_opened (the Home tab) every edge at a glance, published with views.publish for the
 * user who opened it. It answers from /ips's cache and /health's snapshots, so opening it costs no AWS call
 * beyond theirs; it is refreshed when it is opened, never on a timer.
 */
export function registerHomeTab(app: App, runner: RunnerDependencies, deps: HomeTabDependencies): void {
  runner.eventTypes.add('app_home_opened');
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const user = event.user;
    const started = performance.now();
    const work = (async () => {
      const edges = await Promise.all(deps.edges.all.map((edge) => homeOf(edge, runner)));
      const view = renderHome(edges, deps.now());
      try {
        await client.views.publish({ user_id: user, view });
        runner.logger.info(
          { user, event: 'app_home_opened', edges: edges.length, durationMs: Math.round(performance.now() - started) },
          'home tab published',
        );
      } catch (error) {
        runner.logger.warn({ user, event: 'app_home_opened', slackError: slackErrorCode(error) }, 'could not publish the home tab');
      }
    })();
    await runner.inFlight.track(work);
  });
}

/** One edge's part of the Home tab; each read may fail on its own without hiding the others. */
async function homeOf(edge: ServedEdge, runner: RunnerDependencies): Promise<EdgeHome> {
  const failed = (what: string) => (error: unknown) => {
    const errorId = newErrorId();
    runner.logger.warn({ err: error, edge: edge.name, errorId }, `home tab: ${what} could not be read`);
    return failureOf(error, errorId);
  };
  const [ips, health, hosts] = await Promise.all([
    edge.ips.get().catch(failed('the NLB addresses')),
    edge.health.get().catch(failed('the NLB health')),
    edge.routing.list().then((listing) => listing.managed, failed('the hosts')),
  ]);
  return { name: edge.name, region: edge.region, ips, health, hosts };
}
