import { z } from 'zod';
import type { CertificateAnnouncement } from '../domain/certificate-alert.js';
import type { Verdict } from '../domain/health-verdict.js';
import type { HealthStatus } from '../domain/target-group-health.js';

/** A target group as the two-poll rule tracks it. */
export interface TrackedGroup {
  readonly name: string;
  /** The status that has held for two polls; undefined until it has. */
  readonly confirmed?: HealthStatus;
  /** A different observation waiting to hold for a second poll ("absent": the group is gone). */
  readonly candidate?: HealthStatus | 'absent';
}

export interface AnnouncedGroup {
  readonly name: string;
  readonly status: HealthStatus;
}

/** The incident message in the alert channel and what it last announced. */
export interface IncidentRecord {
  readonly channel: string;
  readonly ts: string;
  readonly openedAt: string;
  readonly worst: Verdict;
  readonly verdict: Verdict;
  /** The affected (not healthy) target groups, by ARN. */
  readonly groups: Readonly<Record<string, AnnouncedGroup>>;
}

/**
 * Everything the alerts remember between polls and across leaders: kept in the Lease's annotations, so
 * a new leader continues the same incident thread and repeats nothing.
 */
export interface AlertState {
  readonly groups: Readonly<Record<string, TrackedGroup>>;
  readonly incident?: IncidentRecord;
  readonly certificates: Readonly<Record<string, CertificateAnnouncement>>;
  /** Polls in a row that could not read the NLB's health. */
  readonly failedPolls: number;
  /** Set once "cannot check" was announced. */
  readonly blind?: { readonly since: string; readonly reason: string };
}

export const ALERT_STATE_ANNOTATION = 'nlb-ingress-bot/alert-state';

export const emptyAlertState: AlertState = { groups: {}, certificates: {}, failedPolls: 0 };

const status = z.enum(['healthy', 'degraded', 'down']);
const schema = z.object({
  groups: z.record(z.string(), z.object({ name: z.string(), confirmed: status.optional(), candidate: z.union([status, z.literal('absent')]).optional() })),
  incident: z
    .object({
      channel: z.string(),
      ts: z.string(),
      openedAt: z.string(),
      worst: status,
      verdict: status,
      groups: z.record(z.string(), z.object({ name: z.string(), status })),
    })
    .optional(),
  certificates: z.record(z.string(), z.object({ threshold: z.number().optional(), status: z.string().optional() })),
  failedPolls: z.number().int().nonnegative(),
  blind: z.object({ since: z.string(), reason: z.string() }).optional(),
});

/** Reads the state from the annotation; undefined when it is absent, a problem when it is not valid. */
export function parseAlertState(text: string | undefined): { state: AlertState; problem?: string } {
  if (text === undefined || text.trim() === '') return { state: emptyAlertState };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: emptyAlertState, problem: 'the annotation is not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { state: emptyAlertState, problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
  return { state: stripUndefined(parsed.data) as AlertState };
}

/** Always the same text for the same state (fixed key order), so an unchanged state is never written again. */
export function serializeAlertState(state: AlertState): string {
  const { groups, incident, certificates, failedPolls, blind } = state;
  return JSON.stringify({ groups, incident, certificates, failedPolls, blind });
}

// zod leaves optional keys as undefined; exactOptionalPropertyTypes wants them absent.
function stripUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
