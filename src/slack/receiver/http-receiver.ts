import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { type App, type Logger as BoltLogger, HTTPModuleFunctions, HTTPResponseAck, type Receiver } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { SLACK_BODY_LIMIT_BYTES } from '../../tuning.js';
import { type DeliveryLog, dispatchRequest, type Listeners } from './dispatch-request.js';
import { readSlackRequest } from './slack-request.js';

export interface HttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly boltLogger: BoltLogger;
  readonly deliveries: DeliveryLog;
  readonly listeners: Listeners;
}

/**
 * POST /slack/events in HTTP mode: verifies Slack's signature (always on), parses the body, checks it
 * (slack-request.ts) and only then hands it to Bolt. A body that is not a Slack request the bot knows gets
 * 400 and a log line; nothing of it reaches a listener. Never rejects: every failure is an HTTP status.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: HttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  readonly requestListener = (request: IncomingMessage, response: ServerResponse): void => {
    this.handle(request, response).catch((error: unknown) => {
      // Only a bug gets here: answer without details, once.
      this.options.logger.error({ err: error }, 'a Slack HTTP request could not be handled');
      if (!response.headersSent) response.writeHead(500).end();
    });
  };

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { logger, signingSecret } = this.options;
    let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { enabled: true, signingSecret, bodyLimit: SLACK_BODY_LIMIT_BYTES },
        request,
      );
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413);
      logger.warn({ reason: tooLarge ? 'body too large' : describeError(error) }, 'refused a request to the Slack endpoint');
      HTTPModuleFunctions.buildNoBodyResponse(response, tooLarge ? 413 : 401);
      return;
    }
    const body = parseBody(buffered.rawBody.toString('utf8'), request.headers['content-type']);
    const read = body.ok ? readSlackRequest(body.value) : body;
    if (!read.ok) {
      logger.warn({ reason: read.reason }, 'refused a malformed Slack request (400); nothing was done');
      HTTPModuleFunctions.buildNoBodyResponse(response, 400);
      return;
    }
    const slackRequest = read.request;
    if (slackRequest.kind === 'ssl_check') return HTTPModuleFunctions.buildSSLCheckResponse(response);
    if (slackRequest.kind === 'url_verification')
      return HTTPModuleFunctions.buildUrlVerificationResponse(response, { challenge: slackRequest.challenge });
    const app = this.app;
    if (app === undefined) throw new Error('the HTTP receiver was not initialised by the Bolt app');
    const ack = new HTTPResponseAck({
      logger: this.options.boltLogger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: 'body' in slackRequest ? slackRequest.body : {},
      httpResponse: response,
    });
    const bound = ack.bind();
    const retry = {
      num: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request),
      reason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request),
    };
    await dispatchRequest(
      { app, logger, deliveries: this.options.deliveries, listeners: this.options.listeners },
      slackRequest,
      async (answer) => bound(answer as never),
      retry,
    );
  }
}

/** Slack sends forms (commands, clicks: the JSON is in `payload`) or JSON (events). Anything else is refused. */
function parseBody(text: string, contentType: string | undefined): { ok: true; value: unknown } | { ok: false; reason: string } {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  try {
    if (type === 'application/x-www-form-urlencoded') {
      const form = parseForm(text);
      const payload = form['payload'];
      if (Array.isArray(payload)) return { ok: false, reason: 'a form with more than one payload' };
      // Fields given twice stay lists and are refused as not strings.
      return { ok: true, value: typeof payload === 'string' ? JSON.parse(payload) : { ...form } };
    }
    if (type === 'application/json') return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'a body that is not valid JSON' };
  }
  return { ok: false, reason: `a body of content type ${JSON.stringify((type ?? '').slice(0, 60))}` };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
