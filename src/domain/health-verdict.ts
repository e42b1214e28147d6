import type { HealthStatus } from './target-group-health.js';

export type Verdict = HealthStatus;

const rank: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, down: 2 };

/**
 * The NLB's verdict is its worst target group: down when a group has no healthy target (the listener
 * in front of it refuses partners), degraded when some targets are down. An NLB without any target
 * group serves nobody: down.
 */
export function verdictOf(statuses: readonly HealthStatus[]): Verdict {
  if (statuses.length === 0) return 'down';
  return statuses.reduce<HealthStatus>((worst, status) => (rank[status] > rank[worst] ? status : worst), 'healthy');
}

export function isWorse(a: Verdict, b: Verdict): boolean {
  return rank[a] > rank[b];
}
