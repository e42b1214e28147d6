import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from '@jest/globals';
import { type AwsApiServer, type AwsApiServerOptions, type AwsWorld, startAwsApiServer } from '../../dev/stand-ins/aws-api-server.js';
import { type DnsRecord, type DnsServer, startDnsServer } from '../../dev/stand-ins/dns-server.js';
import { type GatewayController, type GatewayControllerOptions, startGatewayController } from '../../dev/stand-ins/gateway-controller.js';
import { type KubeApiServer, type KubeStore, startKubeApiServer } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_REGION } from '../../dev/stand-ins/sample-world.js';
import {
  type ResponseUrlPost,
  type SlackApiServer,
  type SlackMessageRecord,
  startSlackApiServer,
} from '../../dev/stand-ins/slack-api-server.js';
import { clickPayload, findButtonLabelled } from '../../dev/stand-ins/slack-buttons.js';
import { interactionBody, postSigned, slashCommandBody } from '../../dev/stand-ins/slack-signing.js';
import type { Clock } from '../../src/alerts/clock.js';
import { type RunningBot, startBot } from '../../src/app/start-bot.js';
import type { LiveCheckTiming } from '../../src/commands/live-checks.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
export const ADMIN = 'U0ADMIN0001';
export const DEVELOPER = 'U0DEVELOPER';
export const CHANNEL = 'C0PLATFORM1';
export const ALERT_CHANNEL = 'C0ALERTS001';

export interface Harness {
  readonly kube: KubeApiServer;
  /** The stand-in Gateway controller, when the harness was started with one. */
  readonly gatewayController: GatewayController | undefined;
  readonly aws: AwsApiServer;
  readonly slack: SlackApiServer;
  /** The DNS server the bot resolves with (DNS_SERVERS); unknown names are NXDOMAIN. */
  readonly dns: DnsServer;
  readonly bot: RunningBot;
  readonly env: Record<string, string>;
  /** Every JSON log line the bot wrote. */
  readonly logs: Array<Record<string, unknown>>;
  readonly rawLogs: string[];
  readonly slackUrl: string;
  /** Sends a signed slash command, as Slack does; resolves with the HTTP answer and the response_url id. */
  slash(
    command: string,
    text: string,
    options?: { user?: string; channel?: string },
  ): Promise<{ status: number; body: string; responseUrl: string }>;
  /** Sends a signed block_actions payload for a button click. */
  click(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  /**
   * Clicks a button of a message the stand-in Slack holds, as `user` sees it: a signed block_actions
   * payload with a fresh response_url whose context is that message (so replace_original replaces it).
   * `bot` sends the click to that bot instance (a replica) instead of the first one.
   */
  press(
    message: SlackMessageRecord,
    label: string,
    user: string,
    options?: { value?: string; bot?: RunningBot },
  ): Promise<{ status: number; responseUrl: string }>;
  /** Waits for the next response_url post to `responseUrl` (or any, if omitted). */
  response(responseUrl?: string, timeoutMs?: number): Promise<ResponseUrlPost>;
  /** Starts one more replica of the bot on the same stand-ins (same env, same clock); close() stops it too. */
  startReplica(env?: Record<string, string>): Promise<RunningBot>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly seed?: (kube: KubeStore, aws: AwsWorld) => void;
  /** DNS records the bot's resolver finds (lower-case names without trailing dot). */
  readonly dns?: Record<string, DnsRecord>;
  /** The bot's clock (alerts, Lease, certificate days); the system clock when absent. */
  readonly clock?: Clock;
  /** "manual" (default here): the alert loop runs only when a test calls bot.healthMonitor.pollOnce(). */
  readonly healthPolling?: 'timer' | 'manual';
  /** Least time between two alert messages; 0 here (default), so tests do not wait for Slack's pace. */
  readonly alertPostSpacingMs?: number;
  /** Deadline of each Kubernetes call and AWS call attempt (the bot's default: 10 s). */
  readonly callTimeoutMs?: number;
  /** Gateway mode: how long Apply waits for the controller's word on a route (the bot's default: 15 s). */
  readonly routeStatusWaitMs?: number;
  /**
   * The live check after an apply. By default it never runs here (the sample NLB's addresses are public IPs
   * this machine cannot reach); tests of the check give timings and a world whose NLB addresses are loopback.
   */
  readonly liveCheckTiming?: LiveCheckTiming;
  /** Runs the stand-in Gateway controller on the cluster (status for Gateways and routes), as in Gateway mode. */
  readonly gatewayController?: GatewayControllerOptions;
  /** Options of the AWS stand-in (verifySignatures, ...). */
  readonly aws?: AwsApiServerOptions;
  /**
   * Runs once the stand-ins are up and seeded, before the bot starts (more stand-ins, files in `dir`): the
   * variables it returns are merged over the env, its `close` runs when the harness closes (or the bot fails to start).
   */
  readonly prepare?: (standIns: PreparedStandIns) => Promise<{ env: Record<string, string>; close?: () => Promise<void> }>;
}

/** What a `prepare` hook gets: the harness's stand-ins and its temporary directory. */
export interface PreparedStandIns {
  readonly kube: KubeApiServer;
  readonly aws: AwsApiServer;
  readonly slack: SlackApiServer;
  readonly dns: DnsServer;
  readonly dir: string;
}

/**
 * Starts the stand-ins (Kubernetes, AWS, Slack) and the real bot in HTTP mode on loopback, wired by
 * environment variables exactly as in production: KUBECONFIG, AWS_ENDPOINT_URL, SLACK_API_URL.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const kube = await startKubeApiServer();
  const aws = await startAwsApiServer(options.aws);
  const slack = await startSlackApiServer();
  const dns = await startDnsServer({ records: options.dns ?? {} });
  options.seed?.(kube.store, aws.world);
  const gatewayController =
    options.gatewayController === undefined ? undefined : startGatewayController(kube.store, options.gatewayController);
  await gatewayController?.settled();
  const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-test-'));
  const kubeconfigPath = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfigPath, kube.kubeconfig());
  const prepared = await options.prepare?.({ kube, aws, slack, dns, dir });
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    KUBECONFIG: kubeconfigPath,
    AWS_REGION: SAMPLE_REGION,
    AWS_ENDPOINT_URL: aws.url,
    EXPOSE_ADMINS: ADMIN,
    EXPOSE_NAMESPACES: 'team-a,team-b',
    ALERT_CHANNEL,
    LOG_LEVEL: 'debug',
    DNS_SERVERS: dns.address,
    ...prepared?.env,
    ...options.env,
  };
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logDestination = {
    write(line: string) {
      rawLogs.push(line);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON: kept in rawLogs only
      }
    },
  };
  const botOptions = {
    host: '127.0.0.1',
    logDestination,
    healthPolling: options.healthPolling ?? 'manual',
    alertPostSpacingMs: options.alertPostSpacingMs ?? 0,
    ...(options.callTimeoutMs === undefined ? {} : { callTimeoutMs: options.callTimeoutMs }),
    ...(options.routeStatusWaitMs === undefined ? {} : { routeStatusWaitMs: options.routeStatusWaitMs }),
    liveCheckTiming: options.liveCheckTiming ?? { firstDelayMs: 24 * 3_600_000, retryDelayMs: 60_000, retryForMs: 0 },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  } as const;
  const bot = await startBot({ env, ...botOptions }).catch(async (error: unknown) => {
    // Nobody gets a harness to close: the stand-ins are closed here, or Jest would wait for them.
    gatewayController?.stop();
    await Promise.all([kube.close(), aws.close(), slack.close(), dns.close(), prepared?.close?.()]);
    throw error;
  });
  const replicas: RunningBot[] = [];
  const slackUrl = `${bot.url}/slack/events`;
  const seen = new Set<ResponseUrlPost>();

  return {
    kube,
    gatewayController,
    aws,
    slack,
    dns,
    bot,
    env,
    logs,
    rawLogs,
    slackUrl,
    async slash(command, text, { user = DEVELOPER, channel = CHANNEL } = {}) {
      const responseUrl = slack.responseUrl({ channel, user });
      const body = slashCommandBody({ command, text, userId: user, channelId: channel, responseUrl });
      const answer = await postSigned(slackUrl, SIGNING_SECRET, body);
      return { ...answer, responseUrl };
    },
    click(payload) {
      return postSigned(slackUrl, SIGNING_SECRET, interactionBody(payload));
    },
    async press(message, label, user, { value, bot: target } = {}) {
      const button = findButtonLabelled(message.blocks, label);
      if (button === undefined) throw new Error(`no button labelled ${label} in the message`);
      const responseUrl = slack.responseUrl({ channel: message.channel, user, messageTs: message.ts });
      const payload = clickPayload({ message, button: value === undefined ? button : { ...button, value }, user, responseUrl });
      const answer = await postSigned(
        target === undefined ? slackUrl : `${target.url}/slack/events`,
        SIGNING_SECRET,
        interactionBody(payload),
      );
      return { status: answer.status, responseUrl };
    },
    async response(responseUrl, timeoutMs = 5000) {
      const id = responseUrl?.split('/').pop();
      const found = await waitFor(
        () => slack.responses.find((post) => !seen.has(post) && (id === undefined || post.id === id)),
        timeoutMs,
        `a response_url post${id === undefined ? '' : ` to ${id}`}`,
      );
      seen.add(found);
      return found;
    },
    async startReplica(extraEnv = {}) {
      const replica = await startBot({ env: { ...env, ...extraEnv }, ...botOptions });
      replicas.push(replica);
      return replica;
    },
    async close() {
      // Bolt checks its token with auth.test when it starts; stopping before Slack answered leaves the
      // WebClient retrying (and Jest waiting), so a test that closes at once waits for that answer.
      await waitFor(() => slack.calls.filter((call) => call.method === 'auth.test').length >= 1 + replicas.length, 2000).catch(
        () => undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all([bot, ...replicas].map((running) => running.stop(2000)));
      gatewayController?.stop();
      await Promise.all([kube.close(), aws.close(), slack.close(), dns.close()]);
      await prepared?.close?.();
    },
  };
}

/**
 * One harness per test, closed after it: `const start = harnessPerTest({ seed: seedSampleWorld })` in a
 * describe block, then `const h = await start()` (or `start({ env: ... })`, merged over the defaults).
 */
export function harnessPerTest(defaults: HarnessOptions = {}): (options?: HarnessOptions) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startHarness({ ...defaults, ...options, env: { ...defaults.env, ...options.env } });
    return current;
  };
}

/** Polls until `probe` returns a value (not undefined/false), or fails with what was awaited. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** All the text of a Slack message: its `text` fallback and every text in its blocks. */
export function messageText(message: { text?: unknown; blocks?: unknown }): string {
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else visit(value);
      }
    }
  };
  if (typeof message.text === 'string') parts.push(message.text);
  visit(message.blocks);
  return parts.join('\n');
}
