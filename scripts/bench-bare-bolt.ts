/**
 * The baseline of the /ips benchmark: a bare Bolt app (same Bolt, same HTTPReceiver with signature
 * verification) whose /ips only acknowledges. Listens on PORT; prints "ready" when it does.
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env['SLACK_SIGNING_SECRET'] ?? '', logLevel: LogLevel.ERROR });
const app = new App({
  token: process.env['SLACK_BOT_TOKEN'] ?? '',
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env['SLACK_API_URL'] ?? '' },
});
app.command('/ips', async ({ ack }) => {
  await ack();
});
await receiver.start(Number(process.env['PORT']));
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void receiver.stop().then(() => process.exit(0));
});
