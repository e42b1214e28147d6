import { Counter, Gauge, type Registry } from 'prom-client';

/** Metrics of the alert loop, registered next to the bot's other metrics on GET /metrics. */
export class HealthMetrics {
  readonly polls: Counter<'edge' | 'outcome'>;
  readonly leader: Gauge;
  readonly verdict: Gauge<'edge' | 'verdict'>;
  readonly alerts: Counter<'edge' | 'kind'>;
  readonly lastSuccess: Gauge<'edge'>;

  constructor(registry: Registry) {
    this.polls = new Counter({
      name: 'nlb_bot_health_polls_total',
      help:
        'Health polls, by edge and outcome: ok, failed (the NLB could not be read), timeout (not ' +
        'read before the poll deadline); and, without an edge, follower (another replica leads), lease_error',
      labelNames: ['edge', 'outcome'] as const,
      registers: [registry],
    });
    this.leader = new Gauge({ name: 'nlb_bot_health_leader', help: '1 while this replica holds the alert Lease', registers: [registry] });
    this.verdict = new Gauge({
      name: 'nlb_bot_health_verdict',
      help: '1 for the verdict of the last poll of each edge (healthy, degraded, down), 0 for the others',
      labelNames: ['edge', 'verdict'] as const,
      registers: [registry],
    });
    this.alerts = new Counter({
      name: 'nlb_bot_alerts_posted_total',
      help: 'Alert messages posted, by edge and kind',
      labelNames: ['edge', 'kind'] as const,
      registers: [registry],
    });
    // Alert on its age in Prometheus: it stops moving whenever the bot cannot watch the NLB, including
    // when Kubernetes is down and no replica holds the Lease (so none can post to Slack).
    this.lastSuccess = new Gauge({
      name: 'nlb_bot_health_last_success_timestamp_seconds',
      help:
        'Unix time of the last poll of this replica that read the edge’s NLB, posted ' +
        'every alert it planned and saved the alert state in the Lease (absent: none yet)',
      labelNames: ['edge'] as const,
      registers: [registry],
    });
  }
}
