import type { ControllerPod } from './cluster-node.js';
import type { ControllerService } from './controller-service.js';
import type { TargetGroupHealth } from './target-group-health.js';

export const DiagnosisCode = {
  LocalTrafficPolicy: 'local_traffic_policy',
  StaleHealthCheck: 'stale_health_check',
  NoTargets: 'no_targets',
  AllUnhealthy: 'all_unhealthy',
  ZoneNotInUse: 'zone_not_in_use',
} as const;
export type DiagnosisCode = (typeof DiagnosisCode)[keyof typeof DiagnosisCode];

/** A known cause behind what the targets show, in words: what it is, why, and how to fix it. */
export interface Diagnosis {
  readonly code: DiagnosisCode;
  readonly summary: string;
  readonly details: string;
  readonly fixes: readonly string[];
  /** A trap to avoid while fixing it. */
  readonly caution?: string;
}

export interface DiagnosisInput {
  readonly service: Pick<
    ControllerService,
    'namespace' | 'name' | 'externalTrafficPolicy' | 'healthCheckNodePort' | 'annotations' | 'ports' | 'selector'
  >;
  readonly loadBalancerZones: readonly string[];
  readonly groups: readonly TargetGroupHealth[];
  readonly pods: readonly ControllerPod[];
}
