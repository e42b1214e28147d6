import type { App } from '@slack/bolt';
import { type CheckDependencies, checkHost } from '../../commands/check.js';
import { normaliseHostName } from '../../domain/host-name.js';
import { parseIngressPath } from '../../domain/ingress-path.js';
import type { Edge } from '../../edges/edge.js';
import type { EdgeDirectory } from '../../edges/edge-directory.js';
import { ErrorCode, UserFacingError } from '../../errors.js';
import type { DnsReader } from '../../ports/dns/dns-gateway.js';
import type { ReachabilityProber } from '../../ports/probe/reachability-probe.js';
import { renderCheck, renderCheckHelp } from '../render/check-message.js';
import { registerSlashCommand } from '../runner/register-slash-command.js';
import type { RunnerDependencies } from '../runner/run-and-answer.js';

export interface CheckSlackDependencies {
  readonly edges: EdgeDirectory<Edge>;
  readonly dns: DnsReader;
  readonly probe: ReachabilityProber;
  readonly now: () => Date;
}

/** What the live check reads of one edge. */
export function checkDependencies(edge: Edge, deps: Omit<CheckSlackDependencies, 'edges'>): CheckDependencies {
  return { locator: edge.locator, elbv2: edge.elbv2, routing: edge.routing, dns: deps.dns, probe: deps.probe, now: deps.now };
}

/** /check [<edge>] <host> [<path>]: the live check of any host, for anyone; it only reads. */
export function registerCheckCommand(app: App, runner: RunnerDependencies, deps: CheckSlackDependencies): void {
  registerSlashCommand(app, runner, '/check', async (input) => {
    const words = input.text
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '');
    if (words.length === 0 || (words.length === 1 && words[0]?.toLowerCase() === 'help')) return renderCheckHelp();
    const { edge: named, rest } = deps.edges.pick(words, '/check');
    const usage = deps.edges.several ? '/check <edge> <host> [<path>]' : '/check <host> [<path>]';
    if (rest.length === 0 || rest.length > 2) {
      throw new UserFacingError(
        ErrorCode.BadInput,
        '`/check` takes a host name and, optionally, a path.',
        `Usage: \`${usage}\`, for example \`/check api.example.com\`.`,
      );
    }
    // Both checked before any edge is read.
    const host = normaliseHostName(rest[0] ?? '');
    const path = parseIngressPath(rest[1]);
    const edge = named ?? deps.edges.only ?? (await edgeServing(deps.edges, host)) ?? deps.edges.require(undefined, '/check', usage);
    const result = await checkHost(checkDependencies(edge, deps), host, path);
    return renderCheck(result, { edge: deps.edges.several ? { name: edge.name, region: edge.region } : undefined });
  });
}

/** With several edges and none named: the one edge that routes the host, if exactly one does. */
async function edgeServing(edges: EdgeDirectory<Edge>, host: string): Promise<Edge | undefined> {
  const serving = await Promise.all(
    edges.all.map((edge) =>
      edge.routing.uptake(host).then(
        (uptake) => uptake !== undefined,
        () => false,
      ),
    ),
  );
  const found = edges.all.filter((_edge, index) => serving[index]);
  return found.length === 1 ? found[0] : undefined;
}
