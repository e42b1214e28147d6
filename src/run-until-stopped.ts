import { ConfigError } from './errors.js';

/** What an entry point starts: something that logs and can be stopped. */
export interface Stoppable {
  readonly logger: {
    info(object: object, message: string): void;
    error(object: object, message: string): void;
    flush(callback: (error?: Error) => void): void;
  };
  stop(): Promise<void>;
  /** Settles when what runs meets a configuration problem it cannot go on with (a token Slack refuses later). */
  readonly fatal?: Promise<ConfigError>;
}

/**
 * Runs what `start` starts until SIGTERM or SIGINT, then stops it and exits 0 (a second signal exits at
 * once). A configuration problem exits 78 (EX_CONFIG) with one line per problem. A promise rejection that
 * nobody handled is a bug: logged as a fatal JSON line, and the process exits 1 for the orchestrator to
 * restart it.
 */
export function runUntilStopped(start: () => Promise<Stoppable>): void {
  process.on('unhandledRejection', (reason) => {
    const detail = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service: 'nlb-ingress-bot',
      msg: 'unhandled promise rejection, exiting',
      detail,
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  });
  start().then(untilSignalled, (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example and README.md for every variable.\n`);
      process.exit(78);
    }
    process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

function untilSignalled(running: Stoppable): void {
  let signals = 0;
  // Log lines are written asynchronously: flush them before the process ends.
  const exit = (code: number) => running.logger.flush(() => process.exit(code));
  void running.fatal?.then((error) => {
    process.stderr.write(`${error.message}\nSee .env.example and README.md for every variable.\n`);
    running.stop().finally(() => exit(78));
  });
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
