/**
 * /ips under load, next to a bare Bolt app that only acknowledges, in the same run, on loopback:
 * - acknowledgement latency p50/p99 at 10 concurrent connections;
 * - throughput at 50 concurrent connections;
 * - acknowledgement latency at 10 connections while every AWS call takes 2 s (a bot started cold, so its
 *   first /ips must ask AWS: the ack must not wait for it);
 * - the bot's resident memory after 1,000 commands;
 * - that a repeated /ips makes no AWS call.
 * Three processes: this one (the load, with autocannon), the stand-ins (scripts/bench-world.ts), and the
 * bot (`node dist/main.js`, as in production) or the bare Bolt app. Run: npm run bench:ips
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import autocannon from 'autocannon';
import { signSlackRequest, slashCommandBody } from '../dev/stand-ins/slack-signing.js';

const root = join(import.meta.dirname, '..', '..');
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);

interface World {
  readonly kubeconfig: string;
  readonly awsUrl: string;
  readonly slackApiUrl: string;
  readonly botToken: string;
  readonly responseUrl: string;
}

interface Load {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly requests: number;
  readonly failed: number;
}

/** Every process this benchmark started, stopped if it ends early. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const worldProcess = spawn(process.execPath, [join(root, 'build', 'scripts', 'bench-world.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
children.add(worldProcess);
const worldLines = createInterface({ input: worldProcess.stdout! });
const world = JSON.parse(await nextLine(worldLines)) as World;

async function ask(command: string): Promise<number> {
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

async function startTarget(kind: 'bot' | 'bare'): Promise<{ url: string; child: ChildProcess }> {
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

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Signed /ips requests (one signature serves the whole run: Slack allows a timestamp five minutes old). */
function ipsRequest(): { headers: Record<string, string>; body: string } {
  const body = slashCommandBody({
    command: '/ips',
    text: '',
    userId: 'U0BENCH0001',
    channelId: 'C0BENCH0001',
    responseUrl: world.responseUrl,
  });
  return { headers: signSlackRequest(SIGNING_SECRET, body), body };
}

async function load(url: string, connections: number, options: { seconds?: number; amount?: number } = {}): Promise<Load> {
  const { headers, body } = ipsRequest();
  const result = await autocannon({
    url: `${url}/slack/events`,
    method: 'POST',
    headers,
    body,
    connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? SECONDS } : { amount: options.amount }),
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    perSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    failed: result.errors + result.timeouts + result.non2xx,
  };
}

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

const line = (label: string, value: Load) =>
  `${label.padEnd(44)} p50 ${String(value.p50).padStart(3)} ms  p99 ${String(value.p99).padStart(3)} ms  ${String(value.perSecond).padStart(5)} req/s  (${value.requests} requests, ${value.failed} failed)`;

console.log(`/ips acknowledgement, ${SECONDS} s per run, Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);

// 1. The bare Bolt baseline.
const bare = await startTarget('bare');
await load(bare.url, 10, { seconds: 2 });
const bare10 = await load(bare.url, 10);
const bare50 = await load(bare.url, 50);
await stop(bare.child);
console.log(line('bare Bolt, 10 connections', bare10));
console.log(line('bare Bolt, 50 connections', bare50));

// 2. The bot: warm-up (finds and caches the NLB), then the same loads.
const bot = await startTarget('bot');
await load(bot.url, 10, { seconds: 2 });
const awsBefore = await ask('aws-calls');
const bot10 = await load(bot.url, 10);
const bot50 = await load(bot.url, 50);
const awsAfter = await ask('aws-calls');
console.log(line('bot /ips, 10 connections', bot10));
console.log(line('bot /ips, 50 connections', bot50));

await stop(bot.child);

// 3. Memory of a fresh bot after 1,000 commands (the first one reads and caches; the rest are answered from the
// cache in their acknowledgements, so when autocannon is done, so are they).
const fresh = await startTarget('bot');
const idleRss = rssMiB(fresh.child);
const thousand = await load(fresh.url, 10, { amount: 1000 });
await new Promise((resolve) => setTimeout(resolve, 500));
const rss = rssMiB(fresh.child);
const responseUrlAnswers = await ask('responses');
console.log(line('fresh bot /ips, 1,000 commands', thousand));
await stop(fresh.child);

// 4. Slow AWS: every call takes 2 s and a fresh bot has nothing cached.
await ask('aws-latency 2000');
const slowBot = await startTarget('bot');
const slowAwsBefore = await ask('aws-calls');
const slow10 = await load(slowBot.url, 10);
const slowAwsCalls = (await ask('aws-calls')) - slowAwsBefore;
await stop(slowBot.child);
await ask('aws-latency 0');
console.log(line('bot /ips, 10 connections, AWS 2 s per call', slow10));

worldProcess.stdin!.end();
await new Promise((resolve) => worldProcess.once('exit', resolve));

const check = (ok: boolean, text: string) => `${ok ? 'OK     ' : 'NOT MET'} ${text}`;
console.log(`
bot RSS: ${idleRss} MiB started, ${rss} MiB after 1,000 commands (answers sent through response_url so far: ${responseUrlAnswers}; the others were in the acknowledgements)
AWS calls during the warm runs: ${awsAfter - awsBefore}; during the slow-AWS run: ${slowAwsCalls} (each 2 s)

Targets:
${check(bot10.p99 < 15, `ack p99 at 10 connections under 15 ms: ${bot10.p99} ms`)}
${check(bot10.p99 <= 2 * Math.max(bare10.p99, 1), `ack p99 within 2x of bare Bolt (${bare10.p99} ms): ${bot10.p99} ms`)}
${check(bot50.perSecond * 2 >= bare50.perSecond, `throughput at 50 connections at least half of bare Bolt (${bare50.perSecond}/s): ${bot50.perSecond}/s`)}
${check(slow10.p99 < 50, `ack p99 with AWS at 2 s per call under 50 ms: ${slow10.p99} ms`)}
${check(rss < 150, `RSS after 1,000 commands under 150 MB: ${rss} MiB`)}
${check(awsAfter === awsBefore, `a repeated /ips makes no AWS call: ${awsAfter - awsBefore} calls`)}
${check(
  [bot10, bot50, thousand, slow10].every((run) => run.failed === 0),
  'no request failed',
)}`);
