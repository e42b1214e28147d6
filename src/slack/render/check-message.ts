import type { CheckResult } from '../../commands/check.js';
import type { LiveCheckStep, LiveCheckStepName } from '../../domain/live-check.js';
import { isUserFacingError } from '../../errors.js';
import { context, escapeMrkdwn, header, type SlackMessage, section } from './blocks.js';
import { type EdgeLabel, onEdge } from './edge-label.js';
import { slackTime } from './health-text.js';

const TITLE: Record<CheckResult['verdict']['status'], string> = {
  pass: 'Reachable',
  fail: 'Not reachable yet',
  unchecked: 'Not checked whole',
};
const STEP_TITLE: Record<LiveCheckStepName, string> = { route: 'Route', dns: 'DNS', tls: 'TLS', http: 'HTTP' };
const STEP_EMOJI: Record<LiveCheckStep['status'], string> = { pass: ':white_check_mark:', fail: ':x:', skipped: ':white_circle:' };

export interface CheckMessageContext {
  readonly edge?: EdgeLabel | undefined;
  /** After an apply: the first result, and whether the check goes on while DNS is missing (for how many minutes). */
  readonly followUp?: { readonly retryingForMinutes: number | undefined } | { readonly waitedMs: number };
}

/** A live check, step by step, each with what was found and (on failure) what to do. */
export function renderCheck(result: CheckResult, context_: CheckMessageContext = {}): SlackMessage {
  const { verdict } = result;
  const title = `${TITLE[verdict.status]}: ${result.host}${onEdge(context_.edge)}`;
  const skipped = verdict.steps.filter((step) => step.status === 'skipped').map((step) => STEP_TITLE[step.name]);
  const lead =
    verdict.status === 'pass'
      ? `:large_green_circle: *${escapeMrkdwn(result.host)}* answers through the shared NLB, path \`${escapeMrkdwn(result.path)}\`` +
        `${skipped.length === 0 ? '' : ` (not checked: ${skipped.join(', ')})`}.`
      : `${verdict.status === 'fail' ? ':red_circle:' : ':white_circle:'} ${escapeMrkdwn(verdict.summary)}`;
  const again = checkCommand(context_.edge, result.host, result.path);
  const followUp = context_.followUp;
  const waiting = waitingText(verdict.waitingFor);
  const note =
    followUp === undefined
      ? undefined
      : 'waitedMs' in followUp
        ? verdict.shouldRetry
          ? `Checked again for ${spell(followUp.waitedMs)}, but ${waiting}: the bot stopped checking. ` +
            `Run \`${escapeMrkdwn(again)}\` once that is fixed.`
          : `Checked again for ${spell(followUp.waitedMs)} after the first report.`
        : followUp.retryingForMinutes !== undefined
          ? `${capitalise(waiting)}: the bot checks again for ${
              followUp.retryingForMinutes >= 1 ? `up to ${minutes(followUp.retryingForMinutes)}` : 'a little while'
            } and posts the result here (\`/unexpose\` stops it).`
          : undefined;
  const leftOut = result.tlsPortsLeftOut > 0 ? ` (${result.tlsPortsLeftOut} more not probed)` : '';
  const blocks = [
    header(title),
    section(lead),
    ...verdict.steps.map((step) => section(stepText(step))),
    ...(note === undefined ? [] : [context(note)]),
    context(
      [
        `NLB \`${escapeMrkdwn(result.nlb.name)}\``,
        `addresses ${result.nlb.addresses.map((address) => `\`${address}\``).join(', ') || 'none'}`,
        `TLS ports ${result.tlsPorts.join(', ') || 'none'}${leftOut}`,
        `checked ${slackTime(result.checkedAt)}`,
        `\`${escapeMrkdwn(again)}\` again`,
      ].join(' · '),
    ),
  ];
  const text = [
    `${title}.`,
    ...verdict.steps.map(
      (step) => `[${step.status}] ${STEP_TITLE[step.name]}: ${step.summary}${step.action === undefined ? '' : ` ${step.action}`}`,
    ),
  ].join('\n');
  return { blocks, text: escapeMrkdwn(text.slice(0, 3000)) };
}

const WAITING_FOR: Record<LiveCheckStepName, string> = {
  route: 'the controller has not reported taking the route up yet',
  dns: 'the host does not resolve yet',
  http: 'the proxy does not serve the route yet',
  tls: 'the certificate is not in place yet',
};

/** "the host does not resolve yet and the proxy …": what the check waits for, in words. */
function waitingText(steps: readonly LiveCheckStepName[]): string {
  const parts = steps.map((step) => WAITING_FOR[step]);
  return parts.length <= 1 ? (parts[0] ?? 'something is still missing') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "40 s", "1 minute", "7 minutes". */
function spell(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : minutes(Math.round(ms / 60_000));
}

function minutes(count: number): string {
  return `${count} minute${count === 1 ? '' : 's'}`;
}

function stepText(step: LiveCheckStep): string {
  const action = step.action === undefined ? '' : `\n→ ${escapeMrkdwn(step.action)}`;
  return `${STEP_EMOJI[step.status]} *${STEP_TITLE[step.name]}*: ${escapeMrkdwn(step.summary)}${action}`.slice(0, 2900);
}

export function renderCheckHelp(): SlackMessage {
  const body = [
    '*`/check <host> [<path>]`* checks, live, whether partners can reach a host through the shared NLB:',
    '• *Route*: the proxy took up the Ingress (its status) or the HTTPRoute (Accepted and ResolvedRefs).',
    '• *DNS*: the host resolves to the NLB (a CNAME to its DNS name, or exactly its addresses).',
    '• *TLS*: on every NLB address and TLS listener port, a certificate partners trust, valid for the host, not expiring within 14 days.',
    '• *HTTP*: a GET of the path is answered by the route, not by the proxy’s fallback (compared with a host nobody routes).',
    'Anyone can use it; it only reads. With several edges: `/check <edge> <host>`. The same check follows every apply.',
  ].join('\n');
  const escaped = escapeMrkdwn(body);
  return { blocks: [section(escaped)], text: escaped.replace(/[*`]/g, '') };
}

/** The first run of a live check could not check at all: what failed, in words (no internals), once. */
export function renderCheckFailure(host: string, path: string, error: unknown, edge: EdgeLabel | undefined): SlackMessage {
  const reason = isUserFacingError(error) ? error.message : 'the bot could not read the NLB or the cluster (the bot’s log has the details)';
  const text = `The live check of ${host}${onEdge(edge)} could not run: ${reason}`;
  return {
    blocks: [
      header(`Not checked: ${host}${onEdge(edge)}`),
      section(`:warning: ${escapeMrkdwn(text)}`),
      context(`Run \`${escapeMrkdwn(checkCommand(edge, host, path))}\` to try again.`),
    ],
    text: escapeMrkdwn(text),
  };
}

/** The same check again, as typed: with the edge when messages name one, with the path when it is not `/`. */
function checkCommand(edge: EdgeLabel | undefined, host: string, path: string): string {
  return ['/check', edge?.name, host, path === '/' ? undefined : path].filter((word) => word !== undefined).join(' ');
}
