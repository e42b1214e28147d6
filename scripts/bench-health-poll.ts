/**
 * One alert poll of an NLB with 100 target groups x 10 targets, against the local AWS server answering
 * every call in 50 ms (and the local Kubernetes and Slack servers), through the real bot: the real AWS
 * SDK, client-node and the Lease. Prints wall time, AWS calls per operation, the highest number of AWS
 * calls in flight at once, and memory. Run: npm run bench:health
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StandInTargetGroup, startAwsApiServer } from '../dev/stand-ins/aws-api-server.js';
import { startKubeApiServer } from '../dev/stand-ins/kube-api-server.js';
import { SAMPLE_HTTPS_TG_ARN, SAMPLE_NLB_ARN, SAMPLE_REGION, type SampleNode, seedSampleWorld } from '../dev/stand-ins/sample-world.js';
import { startSlackApiServer } from '../dev/stand-ins/slack-api-server.js';
import { startBot } from '../src/app/start-bot.js';

const TARGET_GROUPS = 100;
const TARGETS_PER_GROUP = 10;
const AWS_LATENCY_MS = 50;
const WARM_POLLS = 5;

// The stand-in only checks that requests are signed; the SDK's default chain reads these.
process.env['AWS_ACCESS_KEY_ID'] = 'AKIASTANDINEXAMPLE00';
process.env['AWS_SECRET_ACCESS_KEY'] = 'stand-in-secret-access-key-not-real';
delete process.env['AWS_PROFILE'];

const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const nodes: SampleNode[] = Array.from({ length: TARGETS_PER_GROUP }, (_, index) => ({
  name: `ip-10-0-${index}-10.eu-west-1.compute.internal`,
  instanceId: `i-0bench${String(index).padStart(10, '0')}`,
  zone: zones[index % zones.length] ?? 'eu-west-1a',
  runsController: index < 3,
}));

const kube = await startKubeApiServer();
const aws = await startAwsApiServer();
const slack = await startSlackApiServer();
seedSampleWorld(kube.store, aws.world, { nodes, zones });
const [template] = aws.world.targetGroups;
if (template === undefined) throw new Error('the sample world has no target group');
aws.world.targetGroups = Array.from(
  { length: TARGET_GROUPS },
  (_, index): StandInTargetGroup => ({
    ...structuredClone(template),
    arn: `${SAMPLE_HTTPS_TG_ARN.replace(/\/[0-9a-f]+$/, '')}-${index}/${String(index).padStart(16, '0')}`,
    name: `k8s-bench-${index}`,
    loadBalancerArns: [SAMPLE_NLB_ARN],
  }),
);
aws.world.listeners = aws.world.listeners.map((listener, index) => ({
  ...listener,
  targetGroupArn: aws.world.targetGroups[index]?.arn ?? listener.targetGroupArn,
}));

const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-bench-'));
writeFileSync(join(dir, 'kubeconfig'), kube.kubeconfig());
const bot = await startBot({
  host: '127.0.0.1',
  healthPolling: 'manual',
  logDestination: { write: () => undefined },
  env: {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    KUBECONFIG: join(dir, 'kubeconfig'),
    AWS_REGION: SAMPLE_REGION,
    AWS_ENDPOINT_URL: aws.url,
    ALERT_CHANNEL: 'C0BENCH0001',
    LOG_LEVEL: 'warn',
  },
});
const monitor = bot.healthMonitor;
if (monitor === undefined) throw new Error('the alert loop did not start');
aws.latencyMs = AWS_LATENCY_MS;

async function measure(label: string) {
  const callsBefore = aws.calls.length;
  const kubeBefore = kube.requests.length;
  const started = performance.now();
  const outcome = await monitor!.pollOnce();
  const ms = performance.now() - started;
  const calls = aws.calls.slice(callsBefore);
  const byAction: Record<string, number> = {};
  for (const call of calls) byAction[call.action] = (byAction[call.action] ?? 0) + 1;
  const kubeCalls = kube.requests.slice(kubeBefore).map((request) => `${request.verb} ${request.resource}`);
  console.log(
    `${label}: ${ms.toFixed(0)} ms, role ${outcome.role}, verdict ${outcome.verdict ?? '-'}, ${calls.length} AWS calls ${JSON.stringify(byAction)}, Kubernetes: ${kubeCalls.join(', ')}`,
  );
  return ms;
}

const rssBefore = process.memoryUsage().rss;
console.log(
  `One poll: ${TARGET_GROUPS} target groups x ${TARGETS_PER_GROUP} targets, every AWS call answered in ${AWS_LATENCY_MS} ms, Node ${process.version}`,
);
const cold = await measure('cold (NLB not cached yet)');
const warm: number[] = [];
for (let index = 0; index < WARM_POLLS; index += 1) warm.push(await measure(`warm ${index + 1}`));
warm.sort((a, b) => a - b);
const memory = process.memoryUsage();
console.log(
  `\nResult: cold ${cold.toFixed(0)} ms; warm median ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} ms, max ${warm.at(-1)!.toFixed(0)} ms; ` +
    `peak AWS calls in flight ${aws.peakConcurrency}; heap ${(memory.heapUsed / 1048576).toFixed(0)} MiB, ` +
    `RSS ${(memory.rss / 1048576).toFixed(0)} MiB (+${((memory.rss - rssBefore) / 1048576).toFixed(0)} MiB over the polls; bot and stand-ins share the process)`,
);
const verdict = cold < 1000 && warm.every((ms) => ms < 1000) ? 'under 1 s: OK' : 'NOT under 1 s';
console.log(`Target: one poll under 1 s: ${verdict}`);

await bot.stop(2000);
await Promise.all([kube.close(), aws.close(), slack.close()]);
