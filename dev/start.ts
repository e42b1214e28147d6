// `npm start`: the sandbox when there are no Slack settings at all, the real bot otherwise. Reads a local
// .env file first. The Node.js version is checked before anything else is loaded.
import '../src/node-version.js';

const [{ default: dotenv }, { runUntilStopped }, { isSandboxRequested }] = await Promise.all([
  import('dotenv'),
  import('../src/run-until-stopped.js'),
  import('./sandbox/is-sandbox-requested.js'),
]);
dotenv.config({ quiet: true });
runUntilStopped(async () => {
  if (!isSandboxRequested(process.env)) {
    const { startBot } = await import('../src/app/start-bot.js');
    return startBot({ env: process.env });
  }
  const [{ startSandbox }, { sandboxBanner }] = await Promise.all([
    import('./sandbox/start-sandbox.js'),
    import('./sandbox/sandbox-banner.js'),
  ]);
  const sandbox = await startSandbox({ env: process.env });
  process.stdout.write(sandboxBanner(sandbox));
  return { logger: sandbox.bot.logger, stop: () => sandbox.stop() };
});
