import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export type Outcome = 'ok' | 'user_error' | 'error';

/** What the gateways need of the metrics: to measure each outbound call (for one edge). */
export interface CallMeter {
  measure<T>(kind: 'aws' | 'kube', operation: string, call: () => Promise<T>): Promise<T>;
}

/** The edge label of the bot's own calls (the Lease, the decisions) and of the one edge without an edges file. */
export const OWN_EDGE = 'default';

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
    help: 'AWS API calls, by edge, operation and outcome (retries of one call count once)',
    labelNames: ['edge', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly awsCallDuration = new Histogram({
    name: 'nlb_bot_aws_call_duration_seconds',
    help: 'AWS API call latency, including retries, by edge and operation',
    labelNames: ['edge', 'operation'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly kubeCalls = new Counter({
    name: 'nlb_bot_kubernetes_calls_total',
    help: 'Kubernetes API calls, by edge, operation and outcome',
    labelNames: ['edge', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly kubeCallDuration = new Histogram({
    name: 'nlb_bot_kubernetes_call_duration_seconds',
    help: 'Kubernetes API call latency, by edge and operation',
    labelNames: ['edge', 'operation'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'nlb_bot_' });
  }

  /** Runs one outbound call of the bot's own (or the default edge's) and records its count, outcome and latency. */
  measure<T>(kind: 'aws' | 'kube', operation: string, call: () => Promise<T>): Promise<T> {
    return this.measureFor(OWN_EDGE, kind, operation, call);
  }

  /** The meter of one edge: its calls carry its name as the `edge` label. */
  forEdge(edge: string): CallMeter {
    return { measure: (kind, operation, call) => this.measureFor(edge, kind, operation, call) };
  }

  private async measureFor<T>(edge: string, kind: 'aws' | 'kube', operation: string, call: () => Promise<T>): Promise<T> {
    const [counter, histogram] = kind === 'aws' ? [this.awsCalls, this.awsCallDuration] : [this.kubeCalls, this.kubeCallDuration];
    const stop = histogram.startTimer({ edge, operation });
    try {
      const result = await call();
      counter.inc({ edge, operation, outcome: 'ok' });
      return result;
    } catch (error) {
      counter.inc({ edge, operation, outcome: 'error' });
      throw error;
    } finally {
      stop();
    }
  }
}
