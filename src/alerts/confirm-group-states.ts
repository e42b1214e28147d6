import { type Verdict, verdictOf } from '../domain/health-verdict.js';
import type { HealthStatus } from '../domain/target-group-health.js';
import type { AnnouncedGroup, TrackedGroup } from './alert-state.js';

/** A state counts only after it has held for this many polls in a row: a one-poll flap sends nothing. */
export const POLLS_TO_CONFIRM = 2;

export type ObservedGroups = Readonly<Record<string, AnnouncedGroup>>;

const severity: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, down: 2 };

/**
 * The two-poll rule, per target group: an observation different from the confirmed status becomes a
 * candidate and counts when the next poll sees it again. When the two polls differ but lie on the same
 * side of the confirmed status (down, then degraded, after healthy), what held for both counts: the one
 * closer to the confirmed status. A group that vanished is forgotten after two polls too. Each group is
 * judged on its own, so one flapping group does not hold back a real change elsewhere.
 */
export function confirmGroupStates(
  tracked: Readonly<Record<string, TrackedGroup>>,
  observed: ObservedGroups,
): Record<string, TrackedGroup> {
  const next: Record<string, TrackedGroup> = {};
  for (const arn of new Set([...Object.keys(tracked), ...Object.keys(observed)])) {
    const before = tracked[arn];
    const name = observed[arn]?.name ?? before?.name ?? arn;
    const { confirmed, candidate } = step(before, observed[arn]?.status ?? 'absent');
    if (confirmed === 'absent' || (confirmed === undefined && candidate === undefined)) continue;
    next[arn] = { name, ...(confirmed === undefined ? {} : { confirmed }), ...(candidate === undefined ? {} : { candidate }) };
  }
  return next;
}

type Observed = HealthStatus | 'absent';

function step(before: TrackedGroup | undefined, now: Observed): { confirmed: Observed | undefined; candidate: Observed | undefined } {
  const confirmed = before?.confirmed;
  if (now === confirmed) return { confirmed, candidate: undefined };
  const previous = before?.candidate;
  if (previous === undefined) return { confirmed, candidate: now };
  // The candidate is one poll old: seeing it again makes POLLS_TO_CONFIRM (2) polls.
  if (previous === now) return { confirmed: now, candidate: undefined };
  if (previous === 'absent' || now === 'absent' || !sameSide(previous, now, confirmed)) return { confirmed, candidate: now };
  const held = closer(previous, now, confirmed);
  return { confirmed: held, candidate: held === now ? undefined : now };
}

function sameSide(a: HealthStatus, b: HealthStatus, confirmed: HealthStatus | undefined): boolean {
  if (confirmed === undefined) return true;
  return Math.sign(severity[a] - severity[confirmed]) === Math.sign(severity[b] - severity[confirmed]);
}

/** Of two observations on the same side of the confirmed status, the one nearer to it (a new group: the milder). */
function closer(a: HealthStatus, b: HealthStatus, confirmed: HealthStatus | undefined): HealthStatus {
  const worse = confirmed === undefined || severity[a] > severity[confirmed];
  return worse === severity[a] <= severity[b] ? a : b;
}

/** The verdict of the confirmed statuses; undefined while no group is confirmed yet (the first poll). */
export function confirmedVerdict(tracked: Readonly<Record<string, TrackedGroup>>): Verdict | undefined {
  const statuses = Object.values(tracked).flatMap((group) => (group.confirmed === undefined ? [] : [group.confirmed]));
  return statuses.length === 0 ? undefined : verdictOf(statuses);
}

/** The confirmed groups that are not healthy: what an incident is about. */
export function affectedGroups(tracked: Readonly<Record<string, TrackedGroup>>): Record<string, AnnouncedGroup> {
  const affected: Record<string, AnnouncedGroup> = {};
  for (const [arn, group] of Object.entries(tracked)) {
    if (group.confirmed !== undefined && group.confirmed !== 'healthy') affected[arn] = { name: group.name, status: group.confirmed };
  }
  return affected;
}
