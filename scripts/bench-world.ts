/**
 * The stand-ins of the /ips benchmark in a process of their own, so the bot's memory and the load
 * generator's latency figures are not mixed with theirs. Prints one JSON line with their addresses, then
 * answers line commands on stdin: `aws-latency <ms>`, `aws-calls`, `responses`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startAwsApiServer } from '../dev/stand-ins/aws-api-server.js';
import { startKubeApiServer } from '../dev/stand-ins/kube-api-server.js';
import { seedSampleWorld } from '../dev/stand-ins/sample-world.js';
import { startSlackApiServer } from '../dev/stand-ins/slack-api-server.js';

const kube = await startKubeApiServer();
const aws = await startAwsApiServer();
const slack = await startSlackApiServer();
seedSampleWorld(kube.store, aws.world);
const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-bench-ips-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, kube.kubeconfig());
// One response_url for every command of the run: the stand-in records each post.
const responseUrl = slack.responseUrl({ channel: 'C0BENCH0001', user: 'U0BENCH0001' });
process.stdout.write(
  `${JSON.stringify({ kubeconfig, awsUrl: aws.url, slackApiUrl: slack.apiUrl, botToken: slack.botToken, responseUrl })}\n`,
);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.trim().split(/\s+/);
  if (command === 'aws-latency') {
    aws.latencyMs = Number(argument);
    process.stdout.write('ok\n');
  }
  if (command === 'aws-calls') process.stdout.write(`${aws.count()}\n`);
  if (command === 'responses') process.stdout.write(`${slack.responses.length}\n`);
}
await Promise.all([kube.close(), aws.close(), slack.close()]);
