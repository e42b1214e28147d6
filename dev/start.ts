// `npm start`: the sandbox when there are no Slack settings at all, the real bot otherwise. Reads a local
// .env file first. The Node.js version is checked before anything else is loaded.
import '../src/node-version.js';

const [
  { default: dotenv },
  { existsSync, readFileSync },
  { runUntilStopped },
  { isSandboxRequested },
  { commentedValues },
  { ConfigError },
] = await Promise.all([
  import('dotenv'),
  import('node:fs'),
  import('../src/run-until-stopped.js'),
  import('./sandbox/is-sandbox-requested.js'),
  import('./dotenv-comments.js'),
  import('../src/errors.js'),
]);
const dotenvProblems = existsSync('.env') ? commentedValues(readFileSync('.env', 'utf8')) : [];
dotenv.config({ quiet: true });
runUntilStopped(async () => {
  if (dotenvProblems.length > 0) throw new ConfigError(dotenvProblems);
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
