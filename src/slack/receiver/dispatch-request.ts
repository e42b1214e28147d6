import type { App } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.js';
import { DELIVERY_MEMORY, DELIVERY_MEMORY_MS } from '../../tuning.js';
import type { SlackRequest } from './slack-request.js';

/** What the bot has listeners for: a request of another kind is acknowledged at once and goes no further. */
export interface Listeners {
  readonly slashCommands: ReadonlySet<string>;
  readonly actionIds: ReadonlySet<string>;
  readonly eventTypes: ReadonlySet<string>;
}

/**
 * The deliveries this replica has acted on, by Slack's own id of the delivery (a command's or a click's
 * trigger_id, an event's event_id): a retry of one (X-Slack-Retry-Num, or a replay of a signed request
 * within its five minutes) is acknowledged and not acted on again. Bounded in size and age.
 */
export class DeliveryLog {
  private readonly seen = new LRUCache<string, true>({ max: DELIVERY_MEMORY, ttl: DELIVERY_MEMORY_MS });

  /** True the first time this delivery is seen. */
  first(deliveryId: string): boolean {
    if (this.seen.has(deliveryId)) return false;
    this.seen.set(deliveryId, true);
    return true;
  }
}

export interface DispatchContext {
  readonly app: App;
  readonly logger: Logger;
  readonly deliveries: DeliveryLog;
  readonly listeners: Listeners;
}

export type AckFn = (response?: unknown) => Promise<void>;

/**
 * Hands a checked request to Bolt, once: repeated deliveries and requests no listener handles are
 * acknowledged here. Whatever a listener throws is logged and the request acknowledged, so neither a
 * malformed request nor a failing listener ever leaves this function as an error.
 */
export async function dispatchRequest(
  context: DispatchContext,
  request: Exclude<SlackRequest, { kind: 'ssl_check' } | { kind: 'url_verification' }>,
  ack: AckFn,
  retry: { readonly num: number | undefined; readonly reason: string | undefined },
): Promise<void> {
  const { logger } = context;
  if (request.kind === 'other' || !isHandled(context.listeners, request)) {
    logger.info({ kind: request.kind, what: describe(request) }, 'ignored a Slack request the bot has no listener for');
    // A command the Slack app declares but the bot does not serve (a manifest out of step): say so.
    const known = [...context.listeners.slashCommands].sort().join(', ');
    const answer =
      request.kind === 'command'
        ? { response_type: 'ephemeral', text: `This bot has no command ${request.name}; it answers ${known}.` }
        : undefined;
    await ack(answer).catch(() => undefined);
    return;
  }
  if (!context.deliveries.first(request.deliveryId)) {
    logger.info(
      { kind: request.kind, what: describe(request), retryNum: retry.num, retryReason: retry.reason },
      'a repeated Slack delivery was acknowledged, not acted on again',
    );
    await ack().catch(() => undefined);
    return;
  }
  let acked = false;
  const once: AckFn = async (response) => {
    acked = true;
    await ack(response);
  };
  try {
    await context.app.processEvent({
      body: request.body,
      ack: once,
      ...(retry.num === undefined ? {} : { retryNum: retry.num }),
      ...(retry.reason === undefined ? {} : { retryReason: retry.reason }),
      customProperties: {},
    });
  } catch (error) {
    logger.error({ err: error, kind: request.kind, what: describe(request) }, 'a Slack request failed in the bot');
    if (!acked) await ack().catch(() => undefined);
  }
}

function isHandled(listeners: Listeners, request: Exclude<SlackRequest, { kind: 'ssl_check' | 'url_verification' | 'other' }>): boolean {
  switch (request.kind) {
    case 'command':
      return listeners.slashCommands.has(request.name);
    case 'block_actions':
      return request.actionIds.some((id) => listeners.actionIds.has(id));
    case 'event':
      return listeners.eventTypes.has(request.eventType);
  }
}

function describe(request: SlackRequest): string {
  switch (request.kind) {
    case 'command':
      return request.name;
    case 'block_actions':
      return request.actionIds.join(',').slice(0, 200);
    case 'event':
      return request.eventType;
    case 'other':
      return request.type;
    default:
      return request.kind;
  }
}
