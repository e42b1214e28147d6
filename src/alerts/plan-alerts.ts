import { type CertificateAnnouncement, type CertificateNotice, dueCertificateNotices } from '../domain/certificate-alert.js';
import type { HealthReport } from '../domain/health-report.js';
import { isWorse, type Verdict } from '../domain/health-verdict.js';
import type { AlertState, AnnouncedGroup, IncidentRecord } from './alert-state.js';
import { affectedGroups, confirmedVerdict, confirmGroupStates, type ObservedGroups, POLLS_TO_CONFIRM } from './confirm-group-states.js';

/** What one poll saw: a health report, or why none could be read. */
export type Observation = { readonly report: HealthReport } | { readonly failure: string };

export type AlertAction =
  | { readonly kind: 'open'; readonly verdict: Verdict; readonly groups: Readonly<Record<string, AnnouncedGroup>> }
  | {
      readonly kind: 'change';
      readonly incident: IncidentRecord;
      readonly verdict: Verdict;
      readonly groups: Readonly<Record<string, AnnouncedGroup>>;
    }
  | { readonly kind: 'resolve'; readonly incident: IncidentRecord }
  | {
      readonly kind: 'certificates';
      readonly notices: readonly CertificateNotice[];
      readonly announced: Readonly<Record<string, CertificateAnnouncement>>;
    }
  | { readonly kind: 'blind'; readonly reason: string }
  | { readonly kind: 'sight'; readonly since: string };

/** Key for an NLB without any target group: it serves nobody, which the groups alone cannot show. */
export const NO_TARGET_GROUPS = 'nlb:no-target-groups';

/**
 * Decides what to post after a poll. The result's state carries the poll's own bookkeeping (the two-poll
 * rule, failed polls); what was announced changes only through recordPosted, once a message is really
 * posted. So a post that fails is planned again by the next poll, and nothing is posted twice.
 */
export function planAlerts(state: AlertState, observation: Observation): { state: AlertState; actions: AlertAction[] } {
  if ('failure' in observation) {
    const failedPolls = state.failedPolls + 1;
    const blind = failedPolls >= POLLS_TO_CONFIRM && state.blind === undefined;
    return { state: { ...state, failedPolls }, actions: blind ? [{ kind: 'blind', reason: observation.failure }] : [] };
  }
  const groups = confirmGroupStates(state.groups, observedGroups(observation.report));
  const next: AlertState = { ...state, groups, failedPolls: 0 };
  const actions: AlertAction[] = [];
  if (state.blind !== undefined) actions.push({ kind: 'sight', since: state.blind.since });
  const verdict = confirmedVerdict(groups);
  const affected = affectedGroups(groups);
  const incident = state.incident;
  if (verdict !== undefined) {
    if (incident === undefined && verdict !== 'healthy') actions.push({ kind: 'open', verdict, groups: affected });
    else if (incident !== undefined && verdict === 'healthy') actions.push({ kind: 'resolve', incident });
    else if (incident !== undefined && (verdict !== incident.verdict || !sameGroups(affected, incident.groups))) {
      actions.push({ kind: 'change', incident, verdict, groups: affected });
    }
  }
  const certificates = dueCertificateNotices(observation.report.certificates, state.certificates);
  if (certificates.notices.length > 0)
    actions.push({ kind: 'certificates', notices: certificates.notices, announced: certificates.announced });
  return { state: certificates.notices.length > 0 ? next : { ...next, certificates: certificates.announced }, actions };
}

/** The state once `action` has been posted (`ts`: the new message, for an incident that opens). */
export function recordPosted(
  state: AlertState,
  action: AlertAction,
  posted: { readonly channel: string; readonly ts: string | undefined; readonly at: Date },
): AlertState {
  switch (action.kind) {
    case 'open':
      return {
        ...state,
        incident: {
          channel: posted.channel,
          ts: posted.ts ?? '',
          openedAt: posted.at.toISOString(),
          worst: action.verdict,
          verdict: action.verdict,
          groups: action.groups,
        },
      };
    case 'change': {
      const worst = isWorse(action.verdict, action.incident.worst) ? action.verdict : action.incident.worst;
      return { ...state, incident: { ...action.incident, verdict: action.verdict, groups: action.groups, worst } };
    }
    case 'resolve': {
      const { incident: _closed, ...rest } = state;
      return rest;
    }
    case 'certificates':
      return { ...state, certificates: action.announced };
    case 'blind':
      return { ...state, blind: { since: posted.at.toISOString(), reason: action.reason } };
    case 'sight': {
      const { blind: _restored, ...rest } = state;
      return rest;
    }
  }
}

export function observedGroups(report: HealthReport): ObservedGroups {
  if (report.groups.length === 0) return { [NO_TARGET_GROUPS]: { name: 'no target group', status: 'down' } };
  return Object.fromEntries(report.groups.map((group) => [group.arn, { name: group.name, status: group.status }]));
}

function sameGroups(a: Readonly<Record<string, AnnouncedGroup>>, b: Readonly<Record<string, AnnouncedGroup>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key]?.status === a[key]?.status);
}
