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
import { ask, line, load, rssMiB, SECONDS, startTarget, stop, worldProcess } from './bench-support.js';

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
