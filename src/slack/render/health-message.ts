import type { GatewayHealth } from '../../domain/gateway-health.js';
import type { HealthReport } from '../../domain/health-report.js';
import type { TargetGroupHealth } from '../../domain/target-group-health.js';
import { context, divider, escapeMrkdwn, fields, header, type SlackMessage, section } from './blocks.js';
import type { EdgeLabel } from './edge-label.js';
import {
  certificateLine,
  diagnosisText,
  healthCheckOf,
  listenersOf,
  ratio,
  slackTime,
  targetLine,
  verdictEmoji,
  verdictLabel,
} from './health-text.js';
import { type Failure, isFailure } from './home-edge.js';

// Block Kit allows 50 blocks per message: large NLBs show the groups with problems first, the rest summed up.
const MAX_BLOCKS = 50;
const GROUP_SECTIONS = 20;
const TARGETS_PER_GROUP = 8;

export interface HealthLinks {
  /** Where the README is published (DOCS_URL), for the link to its migration section; the section is named in words without it. */
  readonly docsUrl?: string | undefined;
}

export function renderHealth(report: HealthReport, links: HealthLinks = {}, edge?: EdgeLabel): SlackMessage {
  const label = verdictLabel[report.verdict];
  const ordered = report.groups.length <= GROUP_SECTIONS ? report.groups : [...report.groups].sort((a, b) => rank(b) - rank(a));
  const shown = ordered.slice(0, GROUP_SECTIONS);
  const hidden = ordered.slice(GROUP_SECTIONS);
  const blocks = [
    header(edge === undefined ? `NLB health: ${label}` : `${edge.name} (${edge.region}): ${label}`),
    section(
      `${verdictEmoji[report.verdict]} *${capitalize(label)}*: ${verdictSentence(report)}\n` +
        escapeMrkdwn(
          `NLB \`${report.loadBalancer.name}\` (\`${report.loadBalancer.dnsName}\`) in ${report.loadBalancer.zones.join(', ')} · ` +
            `Service \`${report.controllerService}\`, externalTrafficPolicy: ${report.externalTrafficPolicy ?? 'Cluster'}`,
        ),
    ),
    ...(report.gateway === undefined ? [] : [section(gatewayText(report.gateway))]),
    divider(),
    ...shown.map((group) => section(groupText(group))),
    ...(hidden.length === 0 ? [] : [context(hiddenSummary(hidden))]),
    ...(report.diagnoses.length === 0 ? [] : [divider(), ...report.diagnoses.map((diagnosis) => section(diagnosisText(diagnosis)))]),
    ...(report.certificates.length === 0
      ? []
      : [
          divider(),
          section('*Certificates on the TLS listeners*'),
          ...fields(report.certificates.map((certificate) => certificateLine(certificate))),
        ]),
    ...(report.proxy.retired ? [context(retiredNote(links.docsUrl))] : []),
    context(`Checked ${slackTime(report.checkedAt)} · \`/health help\``),
  ];
  return {
    blocks:
      blocks.length <= MAX_BLOCKS
        ? blocks
        : [...blocks.slice(0, MAX_BLOCKS - 1), context('… more in the bot’s log and `/health` again later.')],
    text: edge === undefined ? fallbackText(report) : `${escapeMrkdwn(`${edge.name} (${edge.region}): `)}${fallbackText(report)}`,
  };
}

const EDGES_SHOWN = 40;

/**
 * /health without an edge name while the bot serves several: one part per edge (name, region, NLB, verdict,
 * the target groups that are not healthy, the first diagnosis), those that need attention first. `/health <edge>`
 * gives the full report of one.
 */
export function renderHealthOfEdges(
  entries: ReadonlyArray<{ readonly edge: EdgeLabel; readonly report: HealthReport | Failure }>,
): SlackMessage {
  const rank = (entry: (typeof entries)[number]) =>
    isFailure(entry.report) ? 0 : entry.report.verdict === 'down' ? 1 : entry.report.verdict === 'degraded' ? 2 : 3;
  const ordered = [...entries].sort((a, b) => rank(a) - rank(b));
  const shown = ordered.slice(0, EDGES_SHOWN);
  const counts = { unreadable: 0, down: 0, degraded: 0, healthy: 0 };
  for (const { report } of entries) {
    if (isFailure(report)) counts.unreadable += 1;
    else counts[report.verdict] += 1;
  }
  const summary = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
  const blocks = [
    header(`NLB health of ${entries.length} edges`),
    section(summary),
    ...shown.map(({ edge, report }) => section(edgeSummary(edge, report))),
    ...(ordered.length > shown.length ? [context(`${ordered.length - shown.length} more edge(s) not shown.`)] : []),
    context('`/health &lt;edge&gt;` shows the full report of one edge · `/health help`'),
  ];
  const text = ordered
    .map(
      ({ edge, report }) => `${edge.name}: ${isFailure(report) ? `could not be read (${report.message})` : verdictLabel[report.verdict]}`,
    )
    .join('; ');
  return { blocks, text: escapeMrkdwn(`NLB health: ${text}`.slice(0, 3000)) };
}

function edgeSummary(edge: EdgeLabel, report: HealthReport | Failure): string {
  const title = `*\`${escapeMrkdwn(edge.name)}\`* · ${escapeMrkdwn(edge.region)}`;
  if (isFailure(report)) {
    const hint = report.hint === undefined ? '' : ` ${escapeMrkdwn(report.hint)}`;
    return `:grey_question: ${title}: could not be read. ${escapeMrkdwn(report.message)}${hint}`.slice(0, 2900);
  }
  const problems = report.groups.filter((group) => group.status !== 'healthy');
  const groups =
    problems.length === 0
      ? `all ${report.groups.length} target group(s) healthy`
      : problems
          .slice(0, 5)
          .map((group) => `${escapeMrkdwn(listenersOf(group))} → \`${escapeMrkdwn(group.name)}\` ${ratio(group)}`)
          .join(', ') + (problems.length > 5 ? ` and ${problems.length - 5} more` : '');
  const diagnosis = report.diagnoses[0] === undefined ? '' : `\n:mag: ${escapeMrkdwn(report.diagnoses[0].summary)}`;
  return (
    `${verdictEmoji[report.verdict]} ${title}: *${verdictLabel[report.verdict]}* · NLB \`${escapeMrkdwn(report.loadBalancer.name)}\`\n` +
    `${groups}${diagnosis}`
  ).slice(0, 2900);
}

export function renderHealthHelp(): SlackMessage {
  const body = [
    '*`/health`* shows whether partners can reach the services behind the shared NLB, and why not.',
    '• The verdict: *healthy*, *degraded* (some targets are down) or *down* (a target group has no healthy target).',
    '• For every listener and target group: protocol and port, target type, the health check, healthy/total targets, ' +
      'and every target that is not healthy with its Availability Zone, Kubernetes node and the reason in words.',
    '• A diagnosis of known causes: `externalTrafficPolicy: Local` with a controller pod on only some nodes, no targets registered, ' +
      'every target unhealthy (controller down or security group), targets in a zone the NLB does not use.',
    '• The TLS listener’s certificates: names covered, status, days to expiry, imported or not.',
    'With several edges, `/health` summarises each and `/health &lt;edge&gt;` shows one in full. ' +
      'Anyone can use it; it reads only. Changes are also posted to the alert channel when one is configured. ' +
      '`/health help` shows this text.',
  ].join('\n');
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}

const LISTENERS_SHOWN = 10;

/** Gateway mode: whether the Gateway is programmed, and the routes attached to each listener. */
function gatewayText(gateway: GatewayHealth): string {
  const name = `\`${escapeMrkdwn(gateway.name)}\``;
  const state = gateway.programmed.programmed
    ? `:large_green_circle: *Gateway ${name}*: programmed`
    : `:red_circle: *Gateway ${name}*: not programmed. ${escapeMrkdwn(gateway.programmed.message)}`;
  const routes =
    gateway.attachedRoutes === undefined
      ? 'its controller has not counted attached routes yet'
      : `${gateway.attachedRoutes} route(s) attached`;
  const listeners = gateway.listeners.slice(0, LISTENERS_SHOWN).map((listener) => {
    const attached = listener.attachedRoutes === undefined ? '' : `, ${listener.attachedRoutes} route(s)`;
    const problem = listener.problem === undefined ? '' : ` · :warning: ${escapeMrkdwn(listener.problem.slice(0, 300))}`;
    return `• listener \`${escapeMrkdwn(listener.name)}\` (${escapeMrkdwn(listener.protocol)}:${listener.port}${attached})${problem}`;
  });
  const more = gateway.listeners.length > LISTENERS_SHOWN ? [`• and ${gateway.listeners.length - LISTENERS_SHOWN} more listeners`] : [];
  return [`${state} · ${routes}`, ...listeners, ...more].join('\n');
}

/** Said once per /health while the proxy behind the NLB is ingress-nginx. */
function retiredNote(docsUrl: string | undefined): string {
  const guide =
    docsUrl === undefined ? 'the README’s section “Moving off ingress-nginx”' : `<${docsUrl}#moving-off-ingress-nginx|the migration guide>`;
  return (
    ':information_source: The proxy behind this NLB is ingress-nginx, which is retired: its maintenance ended in March 2026 and ' +
    'its repository is archived. Gateway API (Envoy Gateway, NGINX Gateway Fabric) or another maintained controller ' +
    `can keep the same NLB and IPs: see ${guide}.`
  );
}

function groupText(group: TargetGroupHealth): string {
  const problems = group.targets.filter((target) => target.condition !== 'healthy');
  const lines = [
    `${verdictEmoji[group.status]} *${escapeMrkdwn(listenersOf(group))} → \`${escapeMrkdwn(group.name)}\`*: *${ratio(group)}* healthy`,
    escapeMrkdwn(
      `${group.protocol ?? '?'}:${group.port ?? '?'} · ${group.targetType ?? '?'} targets · health check ${healthCheckOf(group)}`,
    ),
    ...problems.slice(0, TARGETS_PER_GROUP).map((target) => `• ${targetLine(target)}`),
  ];
  if (group.total === 0) lines.push('• no target is registered');
  if (problems.length > TARGETS_PER_GROUP) lines.push(`• and ${problems.length - TARGETS_PER_GROUP} more targets that are not healthy`);
  return lines.join('\n');
}

function verdictSentence(report: HealthReport): string {
  const affected = report.groups.filter((group) => group.status !== 'healthy');
  if (report.groups.length === 0) return 'the NLB has no target group: it serves nobody.';
  if (report.verdict === 'healthy') return `every target of the ${report.groups.length} target group(s) passes its health check.`;
  const down = affected.filter((group) => group.status === 'down');
  if (report.verdict === 'down') {
    return escapeMrkdwn(
      `${down.map((group) => `\`${group.name}\` (${listenersOf(group)})`).join(', ')} ${down.length === 1 ? 'has' : 'have'} no healthy ` +
        `target: partners are turned away there.`,
    );
  }
  return `${affected.length} of ${report.groups.length} target group(s) have targets that are down; partners are still served.`;
}

function hiddenSummary(hidden: readonly TargetGroupHealth[]): string {
  const unhealthy = hidden.filter((group) => group.status !== 'healthy');
  return (
    `${hidden.length} more target group(s) not shown: ${hidden.length - unhealthy.length} ` +
    `healthy, ${unhealthy.length} with targets that are down.`
  );
}

function fallbackText(report: HealthReport): string {
  const groups = report.groups.slice(0, 10).map((group) => `${listenersOf(group)} ${group.name} ${ratio(group)} healthy`);
  const more = report.groups.length > 10 ? ` and ${report.groups.length - 10} more target groups` : '';
  const diagnosis = report.diagnoses.length === 0 ? '' : ` Diagnosis: ${report.diagnoses.map((entry) => entry.summary).join(' ')}`;
  const gateway =
    report.gateway === undefined || report.gateway.programmed.programmed ? '' : ` Gateway ${report.gateway.name} is not programmed.`;
  // Escaped like the blocks: Slack reads `text` as mrkdwn too, and names and summaries carry data from AWS and the cluster.
  return escapeMrkdwn(`NLB health: ${verdictLabel[report.verdict]}. ${groups.join('; ')}${more}.${gateway}${diagnosis}`);
}

function rank(group: TargetGroupHealth): number {
  return group.status === 'down' ? 2 : group.status === 'degraded' ? 1 : 0;
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
