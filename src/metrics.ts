import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type Outcome = 'ok' | 'user_error' | 'error';

/** Prometheus metrics served on GET /metrics. One registry per bot, so tests can run several bots. */
export class Metrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'nlb_bot_commands_total',
    help: 'Slack commands and button clicks handled, by name and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'nlb_bot_command_duration_seconds',
    help: 'Time from receiving a command to its answer being sent',
    labelNames: ['command'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly awsCalls = new Counter({
    name: 'nlb_bot_aws_calls_total',
    help: 'AWS API calls, by operation and outcome (retries of one call count once)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly awsCallDuration = new Histogram({
    name: 'nlb_bot_aws_call_duration_seconds',
    help: 'AWS API call latency, including retries',
    labelNames: ['operation'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly kubeCalls = new Counter({
    name: 'nlb_bot_kubernetes_calls_total',
    help: 'Kubernetes API calls, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly kubeCallDuration = new Histogram({
    name: 'nlb_bot_kubernetes_call_duration_seconds',
    help: 'Kubernetes API call latency',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'nlb_bot_' });
  }

  /** Runs one outbound call and records its count, outcome and latency. */
  async measure<T>(kind: 'aws' | 'kube', operation: string, call: () => Promise<T>): Promise<T> {
    const [counter, histogram] = kind === 'aws' ? [this.awsCalls, this.awsCallDuration] : [this.kubeCalls, this.kubeCallDuration];
    const stop = histogram.startTimer({ operation });
    try {
      const result = await call();
      counter.inc({ operation, outcome: 'ok' });
      return result;
    } catch (error) {
      counter.inc({ operation, outcome: 'error' });
      throw error;
    } finally {
      stop();
    }
  }
}
