import dotenv from 'dotenv';
import { startBot } from './bot.js';
import { ConfigError } from './config.js';
import { isSandboxRequested } from './sandbox/is-sandbox-requested.js';

/**
 * Process entry point: start the bot from the environment (and a local .env), or the sandbox when no
 * Slack settings exist at all; stop on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  let running: {
    logger: { info(object: object, message: string): void; error(object: object, message: string): void; flush(callback: (error?: Error) => void): void };
    stop(): Promise<void>;
  };
  try {
    if (isSandboxRequested(process.env)) {
      // Loaded only here: the stand-ins and the console are not part of the production bot's memory.
      const { startSandbox } = await import('./sandbox/start-sandbox.js');
      const { sandboxBanner } = await import('./sandbox/sandbox-banner.js');
      const sandbox = await startSandbox({ env: process.env });
      process.stdout.write(sandboxBanner(sandbox));
      running = { logger: sandbox.bot.logger, stop: () => sandbox.stop() };
    } else {
      running = await startBot({ env: process.env });
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example and README.md for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  let signals = 0;
  // Log lines are written asynchronously: flush them before the process ends.
  const exit = (code: number) => running.logger.flush(() => process.exit(code));
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) exit(130);
    running.logger.info({ signal }, 'signal received');
    running.stop().then(
      () => exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

// A promise nobody handled is a bug: say so in the log's format, and let the orchestrator restart the process.
process.on('unhandledRejection', (reason) => {
  const detail = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: 'nlb-ingress-bot', msg: 'unhandled promise rejection, exiting', detail })}\n`);
  process.exit(1);
});

main().catch((error: unknown) => {
  process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
