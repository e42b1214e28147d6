import type { KnownBlock } from '@slack/types';
import type { AlertPublisher, PublishContext } from '../alerts/alert-publisher.js';
import type { IncidentRecord } from '../alerts/alert-state.js';
import type { AlertAction } from '../alerts/plan-alerts.js';
import type { HealthReport } from '../domain/health-report.js';
import type { Logger } from '../logger.js';
import { ALERT_POST_SPACING_MS } from '../tuning.js';
import type { SlackMessage } from './render/blocks.js';
import {
  type IncidentView,
  renderBlind,
  renderCertificateNotices,
  renderIncident,
  renderIncidentChange,
  renderRecovery,
  renderResolvedIncident,
  renderSightRestored,
} from './render/health-alert-message.js';

/**
 * With several edges every alert names its edge: in the header (or the first section) and at the start of the
 * text, so a channel that gets several edges' alerts, and its notifications, say which NLB is meant.
 */
function namingEdge(message: SlackMessage, edge: { readonly name: string; readonly region: string }): SlackMessage {
  const tag = `[${edge.name} · ${edge.region}]`;
  let named = false;
  const blocks = message.blocks.map((block) => {
    if (named) return block;
    if (block.type === 'header') {
      named = true;
      return { ...block, text: { ...block.text, text: `${tag} ${block.text.text}`.slice(0, 150) } };
    }
    if (block.type === 'section' && block.text !== undefined) {
      named = true;
      return { ...block, text: { ...block.text, text: `*${tag}* ${block.text.text}`.slice(0, 3000) } };
    }
    return block;
  });
  return { blocks, text: `${tag} ${message.text}` };
}

/** The two Web API methods alerts use; the runtime's WebClient provides them (and retries 429s after Retry-After). */
export interface ChatApi {
  chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks: KnownBlock[];
      thread_ts?: string;
      unfurl_links?: boolean;
    }): Promise<{ ts?: string }>;
    update(args: { channel: string; ts: string; text: string; blocks: KnownBlock[] }): Promise<unknown>;
  };
}

/**
 * Posts alerts to Slack. chat.postMessage calls are spaced (Slack allows about one message per second
 * per channel); a top message that cannot be updated is logged, not retried, because the thread reply
 * that matters is already posted.
 */
export class SlackAlertPublisher implements AlertPublisher {
  private lastPostAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: ChatApi,
    private readonly logger: Logger,
    private readonly minPostIntervalMs = ALERT_POST_SPACING_MS,
  ) {}

  async publish(action: AlertAction, context: PublishContext): Promise<string | undefined> {
    const { channel, report, now, edge } = context;
    const named = (message: SlackMessage) => (edge === undefined ? message : namingEdge(message, edge));
    switch (action.kind) {
      case 'open': {
        const incident: IncidentView = { verdict: action.verdict, worst: action.verdict, groups: action.groups, openedAt: now };
        const ts = await this.post(channel, named(renderIncident(need(report), incident)));
        if (ts === undefined) throw new Error('chat.postMessage answered without the message ts');
        return ts;
      }
      case 'change': {
        const current = need(report);
        const before = action.incident;
        await this.post(before.channel, named(renderIncidentChange(current, before, action)), before.ts);
        await this.update(before, named(renderIncident(current, { ...view(before), verdict: action.verdict, groups: action.groups })));
        return undefined;
      }
      case 'resolve': {
        const current = need(report);
        const incident = view(action.incident);
        await this.post(action.incident.channel, named(renderRecovery(current, incident, now)), action.incident.ts);
        await this.update(action.incident, named(renderResolvedIncident(current, incident, now)));
        return undefined;
      }
      case 'certificates':
        return this.post(channel, named(renderCertificateNotices(action.notices))).then(() => undefined);
      case 'blind':
        return this.post(channel, named(renderBlind(action.reason))).then(() => undefined);
      case 'sight':
        return this.post(channel, named(renderSightRestored(new Date(action.since), now))).then(() => undefined);
    }
  }

  private async post(channel: string, message: SlackMessage, threadTs?: string): Promise<string | undefined> {
    const wait = this.lastPostAt + this.minPostIntervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPostAt = performance.now();
    const posted = await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });
    return posted.ts;
  }

  private async update(incident: IncidentRecord, message: SlackMessage): Promise<void> {
    try {
      await this.client.chat.update({ channel: incident.channel, ts: incident.ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      this.logger.warn({ err: error, channel: incident.channel, ts: incident.ts }, 'could not update the incident message');
    }
  }
}

function view(incident: IncidentRecord): IncidentView {
  return { verdict: incident.verdict, worst: incident.worst, groups: incident.groups, openedAt: new Date(incident.openedAt) };
}

function need(report: HealthReport | undefined): HealthReport {
  if (report === undefined) throw new Error('an incident message needs a health report');
  return report;
}
