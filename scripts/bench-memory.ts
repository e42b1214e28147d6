/**
 * The bot's memory, started exactly as in production (`node --optimize-for-size dist/main.js`), HTTP mode:
 * - at start (after /healthz answers and a short settle);
 * - after 3,000 /ips commands (10 connections, each a delivery of its own);
 * - after a hostile burst of 3,000 signed requests (50 connections): malformed clicks, junk payloads, oversized
 *   command texts, forged button values, unknown commands, replayed deliveries, unsigned requests;
 * - after 60 s idle.
 * Run: npm run bench:memory (BENCH_IDLE_SECONDS shortens the idle wait).
 */
import { randomBytes } from 'node:crypto';
import { interactionBody, newTriggerId, signSlackRequest, slashCommandBody } from '../dev/stand-ins/slack-signing.js';
import { line, load, rssMiB, SIGNING_SECRET, startTarget, stop, world, worldProcess } from './bench-support.js';

const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
const BURST = 3000;
const USER = 'U0BENCH0001';
const CHANNEL = 'C0BENCH0001';

function signed(body: string, contentType = 'application/x-www-form-urlencoded'): { headers: Record<string, string>; body: string } {
  return { headers: { ...signSlackRequest(SIGNING_SECRET, body), 'content-type': contentType }, body };
}

const replayed = signed(slashCommandBody({ command: '/ips', text: '', userId: USER, channelId: CHANNEL, responseUrl: world.responseUrl }));

/** One hostile request, a different kind each time. */
let turn = 0;
function hostile(): { headers: Record<string, string>; body: string } {
  turn += 1;
  const click = (payload: unknown) => signed(interactionBody(payload));
  const junk = randomBytes(48).toString('base64');
  switch (turn % 10) {
    case 0:
      return click(null);
    case 1:
      return click({ type: 'block_actions', user: { id: USER }, actions: { action_id: 'expose_apply' }, response_url: world.responseUrl });
    case 2:
      return click({ type: 'block_actions', user: null, actions: [1] });
    case 3:
      // A well-formed click on Apply whose signed value is forged: refused by the button signer.
      return click({
        type: 'block_actions',
        user: { id: USER },
        trigger_id: newTriggerId(),
        channel: { id: CHANNEL },
        response_url: world.responseUrl,
        actions: [{ action_id: 'expose_apply', type: 'button', value: `${junk}.${junk}`, action_ts: `${Date.now() / 1000}` }],
      });
    case 4:
      return signed(
        slashCommandBody({
          command: '/expose',
          text: `${'x'.repeat(3900)} ${junk}`,
          userId: USER,
          channelId: CHANNEL,
          responseUrl: world.responseUrl,
        }),
      );
    case 5:
      return signed(
        slashCommandBody({ command: '/no-such-command', text: junk, userId: USER, channelId: CHANNEL, responseUrl: world.responseUrl }),
      );
    case 6:
      return replayed;
    case 7:
      return signed(JSON.stringify({ type: 'block_actions', junk, nested: { deep: [junk, { more: junk }] } }), 'application/json');
    case 8:
      return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `payload=${junk}` };
    default:
      return signed(
        slashCommandBody({
          command: '/expose',
          text: `<!channel> ${junk} team-a/billing:http`,
          userId: USER,
          channelId: CHANNEL,
          responseUrl: world.responseUrl,
        }),
      );
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The V8 heap (used / total) and memory outside it, from the bot's own /metrics: where the RSS goes. */
async function heap(url: string): Promise<string> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const mib = (name: string) => Math.round(Number(new RegExp(`^nlb_bot_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0) / 1048576);
  return `heap ${mib('nodejs_heap_size_used_bytes')}/${mib('nodejs_heap_size_total_bytes')} MiB, external ${mib('nodejs_external_memory_bytes')} MiB`;
}

const bot = await startTarget('bot');
await settle(2000);
const atStart = rssMiB(bot.child);
const heapAtStart = await heap(bot.url);
const commands = await load(bot.url, 10, { amount: 3000 });
await settle(1000);
const afterCommands = rssMiB(bot.child);
const heapAfterCommands = await heap(bot.url);
const burst = await load(bot.url, 50, { amount: BURST, request: hostile });
await settle(1000);
const afterBurst = rssMiB(bot.child);
const heapAfterBurst = await heap(bot.url);
await settle(IDLE_SECONDS * 1000);
const afterIdle = rssMiB(bot.child);
const heapAfterIdle = await heap(bot.url);
await stop(bot.child);
worldProcess.stdin!.end();
await new Promise((resolve) => worldProcess.once('exit', resolve));

const check = (ok: boolean, text: string) => `${ok ? 'OK     ' : 'NOT MET'} ${text}`;
console.log(`${line('3,000 /ips commands, 10 connections', commands)}
${line(`${BURST} hostile requests, 50 connections`, burst)}
hostile answers by status: ${JSON.stringify(burst.statuses)}

RSS: ${atStart} MiB at start, ${afterCommands} MiB after 3,000 commands, ${afterBurst} MiB after the hostile burst, ${afterIdle} MiB after ${IDLE_SECONDS} s idle
     (${heapAtStart}; ${heapAfterCommands}; ${heapAfterBurst}; ${heapAfterIdle})

${check(afterCommands < 150, `RSS after 3,000 commands under 150 MB: ${afterCommands} MiB`)}
${check(afterBurst < 150, `RSS after the hostile burst under 150 MB: ${afterBurst} MiB`)}
${check(afterIdle <= afterBurst, `no growth while idle: ${afterBurst} -> ${afterIdle} MiB`)}
${check(commands.failed === 0, 'no /ips command failed')}
${check((burst.statuses['500'] ?? 0) === 0, 'no hostile request got a 500')}`);
