import type { CallMeter } from '../../metrics.js';

interface MiddlewareStackOwner {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
  };
}

/**
 * Counts every AWS operation a client sends, by name and outcome, in one place. The middleware sits in
 * the "initialize" step, before the SDK's retry loop, so a call that succeeds after a throttled attempt
 * counts once.
 */
export function instrumentAwsClient(client: MiddlewareStackOwner, metrics: CallMeter): void {
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) =>
    metrics.measure('aws', context.commandName?.replace(/Command$/, '') ?? 'unknown', () => next(args));
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'nlbBotMetrics' });
}
