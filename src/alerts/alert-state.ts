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

/** Reads the state from the annotation; undefined when it is absent, a problem when it is not valid. */
export function parseAlertState(text: string | undefined): { state: AlertState; problem?: string } {
  if (text === undefined || text.trim() === '') return { state: emptyAlertState };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: emptyAlertState, problem: 'the annotation is not JSON' };
  }
  try {
    return { state: readState(json) };
  } catch (error) {
    return { state: emptyAlertState, problem: error instanceof Error ? error.message : String(error) };
  }
}

// A hand-written reader (this runs on every poll; a schema library would stay in memory for it): it
// throws "path: what is wrong" and builds the state without undefined keys (exactOptionalPropertyTypes).
const STATUSES: readonly HealthStatus[] = ['healthy', 'degraded', 'down'];

function readState(json: unknown): AlertState {
  const root = object(json, '');
  const groups = record(root['groups'], 'groups', (value, path) => {
    const group = object(value, path);
    const candidate = group['candidate'];
    if (candidate !== undefined && candidate !== 'absent') oneOf(candidate, STATUSES, `${path}.candidate`);
    return {
      name: string(group['name'], `${path}.name`),
      ...(group['confirmed'] === undefined ? {} : { confirmed: oneOf(group['confirmed'], STATUSES, `${path}.confirmed`) }),
      ...(candidate === undefined ? {} : { candidate: candidate as HealthStatus | 'absent' }),
    };
  });
  const incident = root['incident'] === undefined ? undefined : readIncident(object(root['incident'], 'incident'));
  const certificates = record(root['certificates'], 'certificates', (value, path) => {
    const { threshold, status } = object(value, path);
    if (threshold !== undefined && typeof threshold !== 'number') throw new Error(`${path}.threshold: not a number`);
    return {
      ...(threshold === undefined ? {} : { threshold }),
      ...(status === undefined ? {} : { status: string(status, `${path}.status`) }),
    };
  });
  const failedPolls = root['failedPolls'];
  if (typeof failedPolls !== 'number' || !Number.isInteger(failedPolls) || failedPolls < 0)
    throw new Error('failedPolls: not a whole number >= 0');
  const blind = root['blind'] === undefined ? undefined : object(root['blind'], 'blind');
  return {
    groups,
    ...(incident === undefined ? {} : { incident }),
    certificates,
    failedPolls,
    ...(blind === undefined
      ? {}
      : { blind: { since: string(blind['since'], 'blind.since'), reason: string(blind['reason'], 'blind.reason') } }),
  };
}

function readIncident(incident: Record<string, unknown>): IncidentRecord {
  return {
    channel: string(incident['channel'], 'incident.channel'),
    ts: string(incident['ts'], 'incident.ts'),
    openedAt: string(incident['openedAt'], 'incident.openedAt'),
    worst: oneOf(incident['worst'], STATUSES, 'incident.worst'),
    verdict: oneOf(incident['verdict'], STATUSES, 'incident.verdict'),
    groups: record(incident['groups'], 'incident.groups', (value, path) => {
      const group = object(value, path);
      return { name: string(group['name'], `${path}.name`), status: oneOf(group['status'], STATUSES, `${path}.status`) };
    }),
  };
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${path || 'state'}: not an object`);
  return value as Record<string, unknown>;
}

function record<T>(value: unknown, path: string, read: (entry: unknown, path: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(object(value, path)).map(([key, entry]) => [key, read(entry, `${path}.${key}`)]));
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Error(`${path}: not a string`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!allowed.includes(value as T)) throw new Error(`${path}: not one of ${allowed.join(', ')}`);
  return value as T;
}

/** Always the same text for the same state (fixed key order), so an unchanged state is never written again. */
export function serializeAlertState(state: AlertState): string {
  const { groups, incident, certificates, failedPolls, blind } = state;
  return JSON.stringify({ groups, incident, certificates, failedPolls, blind });
}
