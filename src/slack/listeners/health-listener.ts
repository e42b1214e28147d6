import type { App } from '@slack/bolt';
import type { ServedEdge } from '../../edges/edge.js';
import type { EdgeDirectory } from '../../edges/edge-directory.js';
import { ErrorCode, newErrorId, UserFacingError } from '../../errors.js';
import { type HealthLinks, renderHealth, renderHealthHelp, renderHealthOfEdges } from '../render/health-message.js';
import { failureOf } from '../render/home-edge.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';

/** /health [<edge>]: one edge's full report; with several edges and no name, every edge in a summary. */
export function registerHealthCommand(
  app: App,
  runner: RunnerDependencies,
  edges: EdgeDirectory<ServedEdge>,
  links: HealthLinks = {},
): void {
  registerSlashCommand(app, runner, '/health', async (input) => {
    const words = input.text
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    if (words.length === 1 && words[0]?.toLowerCase() === 'help') return renderHealthHelp();
    const { edge, rest } = edges.pick(words, '/health');
    if (rest.length > 0) {
      throw new UserFacingError(
        ErrorCode.BadInput,
        edges.several ? '`/health` takes at most an edge name.' : '`/health` takes no arguments.',
        edges.several
          ? `Type \`/health\` for every edge, \`/health <edge>\` for one (${edges.describe()}), or \`/health help\`.`
          : 'Type `/health` for the target health of the shared NLB or `/health help` for what it shows.',
      );
    }
    const one = edge ?? edges.only;
    if (one !== undefined) return renderHealth(await one.health.get(), links, edges.several ? one : undefined);
    const entries = await Promise.all(
      edges.all.map(async (each) => {
        const label = { name: each.name, region: each.region };
        try {
          return { edge: label, report: await each.health.get() };
        } catch (error) {
          const errorId = newErrorId();
          runner.logger.warn({ err: error, edge: each.name, errorId }, '/health: an edge could not be read');
          return { edge: label, report: failureOf(error, errorId) };
        }
      }),
    );
    return renderHealthOfEdges(entries);
  });
}
