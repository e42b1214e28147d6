import type { App } from '@slack/bolt';
import type { IpsResult } from '../../commands/ips.js';
import type { ServedEdge } from '../../edges/edge.js';
import type { EdgeDirectory } from '../../edges/edge-directory.js';
import { ErrorCode, newErrorId, UserFacingError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SlackMessage } from '../render/blocks.js';
import type { EdgeLabel } from '../render/edge-label.js';
import { failureOf } from '../render/home-edge.js';
import { renderEgress, renderIps, renderIpsHelp, renderIpsOfEdges } from '../render/ips-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';

/**
 * /ips [<edge>]. A cached result (and the help) is answered in the acknowledgement itself, so the answer is
 * instant and costs no call; otherwise the command is acknowledged at once and answered after the read.
 * With several edges and no name, every edge is answered, each in its own labelled part.
 */
export function registerIpsCommand(app: App, runner: RunnerDependencies, edges: EdgeDirectory<ServedEdge>): void {
  const rendered = new WeakMap<IpsResult, SlackMessage>();
  const label = (edge: ServedEdge): EdgeLabel | undefined => (edges.several ? { name: edge.name, region: edge.region } : undefined);
  const render = (result: IpsResult, edge: ServedEdge) => {
    let message = rendered.get(result);
    if (message === undefined) {
      message = renderIps(result, label(edge));
      rendered.set(result, message);
    }
    return message;
  };
  /** The edge asked for (undefined: all of them), or a refusal of anything else. */
  const target = (text: string): ServedEdge | undefined => {
    const words = text
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    const { edge, rest } = edges.pick(words, '/ips');
    if (rest.length > 0) {
      throw new UserFacingError(
        ErrorCode.BadInput,
        edges.several ? '`/ips` takes at most an edge name.' : '`/ips` takes no arguments.',
        edges.several
          ? `Type \`/ips\` for every edge, \`/ips <edge>\` for one (${edges.describe()}), or \`/ips help\`.`
          : 'Type `/ips` for the addresses or `/ips help` for what it shows.',
      );
    }
    return edge ?? edges.only;
  };
  registerSlashCommand(
    app,
    runner,
    '/ips',
    async (input) => {
      const words = input.text
        .trim()
        .split(/\s+/)
        .filter((word) => word !== '');
      if (words.at(-1)?.toLowerCase() === 'egress') {
        const { edge: named, rest } = edges.pick(words.slice(0, -1), '/ips');
        if (rest.length > 0)
          throw new UserFacingError(
            ErrorCode.BadInput,
            '`/ips egress` takes at most an edge name first.',
            'Usage: `/ips [<edge>] egress`.',
          );
        const edge = edges.require(named, '/ips egress', '/ips <edge> egress');
        return renderEgress(await edge.egress.get(), label(edge));
      }
      const edge = target(input.text);
      if (edge !== undefined) return render(await edge.ips.get(), edge);
      return renderIpsOfEdges(await Promise.all(edges.all.map((each) => ipsOf(each, runner.logger))));
    },
    {
      immediate: (input) => {
        if (input.text.trim().toLowerCase() === 'help') return renderIpsHelp();
        const words = input.text
          .trim()
          .split(/\s+/)
          .filter((word) => word !== '');
        if (words.at(-1)?.toLowerCase() === 'egress') {
          try {
            const { edge: named, rest } = edges.pick(words.slice(0, -1), '/ips');
            const edge = rest.length === 0 ? (named ?? edges.only) : undefined;
            const cached = edge?.egress.peek();
            return edge === undefined || cached === undefined ? undefined : renderEgress(cached, label(edge));
          } catch {
            return undefined;
          }
        }
        let edge: ServedEdge | undefined;
        try {
          edge = target(input.text);
        } catch {
          return undefined;
        }
        if (edge !== undefined) {
          const cached = edge.ips.peek();
          return cached === undefined ? undefined : render(cached, edge);
        }
        const cached = edges.all.map((each) => ({ edge: { name: each.name, region: each.region }, result: each.ips.peek() }));
        if (cached.some((entry) => entry.result === undefined)) return undefined;
        return renderIpsOfEdges(cached as Array<{ edge: EdgeLabel; result: IpsResult }>);
      },
    },
  );
}

/** One edge's addresses, or what went wrong: one edge that cannot be read does not hide the others. */
async function ipsOf(edge: ServedEdge, logger: Logger) {
  const label = { name: edge.name, region: edge.region };
  try {
    return { edge: label, result: await edge.ips.get() };
  } catch (error) {
    const errorId = newErrorId();
    logger.warn({ err: error, edge: edge.name, errorId }, '/ips: an edge could not be read');
    return { edge: label, result: failureOf(error, errorId) };
  }
}
