/**
 * What the benchmarks share: the stand-ins in a process of their own (bench-world.ts), the bot started exactly
 * as in production (package.json's start:prod) or a bare Bolt app, signed load with autocannon, RSS readings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import autocannon from 'autocannon';
import { signSlackRequest, slashCommandBody } from '../dev/stand-ins/slack-signing.js';

export const root = join(import.meta.dirname, '..', '..');
export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);

export interface World {
  readonly kubeconfig: string;
  readonly awsUrl: string;
  readonly slackApiUrl: string;
  readonly botToken: string;
  readonly responseUrl: string;
}

export interface Load {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly requests: number;
  readonly failed: number;
  /** Answers by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
}

/** Every process this benchmark started, stopped if it ends early. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export const worldProcess = spawn(process.execPath, [join(root, 'build', 'scripts', 'bench-world.js')], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
children.add(worldProcess);
const worldLines = createInterface({ input: worldProcess.stdout! });
export const world = JSON.parse(await nextLine(worldLines)) as World;

export async function ask(command: string): Promise<number> {
  worldProcess.stdin!.write(`${command}\n`);
  return Number(await nextLine(worldLines));
}

function nextLine(lines: Interface): Promise<string> {
  return new Promise((resolve) => lines.once('line', resolve));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHttp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (
      await fetch(url, { method: 'GET' }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer`);
}

export async function startTarget(kind: 'bot' | 'bare'): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env = {
    PATH: process.env['PATH'] ?? '',
    PORT: String(port),
    SLACK_BOT_TOKEN: world.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: world.slackApiUrl,
    KUBECONFIG: world.kubeconfig,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: world.awsUrl,
    AWS_ACCESS_KEY_ID: 'AKIASTANDINEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key-not-real',
    NODE_ENV: 'production',
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info',
  };
  // The bot starts exactly as in production (package.json start:prod, the image's entrypoint).
  const args = kind === 'bot' ? productionArgs() : [join(root, 'build', 'scripts', 'bench-bare-bolt.js')];
  // The bot's JSON log lines go to a pipe that is read and dropped, as a log collector would.
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout!.resume();
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(kind === 'bot' ? `${url}/healthz` : `${url}/slack/events`);
  return { url, child };
}

/** `node <flags> dist/main.js` from package.json's start:prod, without the leading `node`. */
function productionArgs(): string[] {
  const start =
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'] ?? '';
  const [command, ...args] = start.split(/\s+/);
  if (command !== 'node') throw new Error(`start:prod is not a node command: ${start}`);
  return args;
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A signed /ips request with a trigger_id of its own, as Slack sends each command (the bot acts on each
 * delivery once: a repeated trigger_id would only be acknowledged).
 */
export function ipsRequest(): { headers: Record<string, string>; body: string } {
  const body = slashCommandBody({
    command: '/ips',
    text: '',
    userId: 'U0BENCH0001',
    channelId: 'C0BENCH0001',
    responseUrl: world.responseUrl,
  });
  return { headers: signSlackRequest(SIGNING_SECRET, body), body };
}

export async function load(
  url: string,
  connections: number,
  options: { seconds?: number; amount?: number; request?: () => { headers: Record<string, string>; body: string } } = {},
): Promise<Load> {
  const statuses: Record<string, number> = {};
  const next = options.request ?? ipsRequest;
  const result = await autocannon({
    url: `${url}/slack/events`,
    connections,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request) => ({ ...request, ...next() }),
      },
    ],
    ...(options.amount === undefined ? { duration: options.seconds ?? SECONDS } : { amount: options.amount }),
    setupClient: (client) => {
      client.on('response', (statusCode) => {
        statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      });
    },
  });
  return {
    statuses,
    p50: result.latency.p50,
    p99: result.latency.p99,
    perSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

export function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export const line = (label: string, value: Load) =>
  `${label.padEnd(44)} p50 ${String(value.p50).padStart(3)} ms  p99 ${String(value.p99).padStart(3)} ms  ${String(value.perSecond).padStart(5)} req/s  (${value.requests} requests, ${value.failed} failed)`;
