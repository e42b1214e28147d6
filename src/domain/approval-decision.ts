/**
 * A decision on an approval request, as the cluster records it: who decided, how, and when. Of Approve and
 * Reject at the same moment exactly one is recorded first, and it is what counts.
 */
export interface ApprovalDecision {
  readonly kind: 'approved' | 'rejected';
  /** The Slack user ID of the admin who decided. */
  readonly by: string;
  readonly at: Date;
  readonly host: string;
}

const KINDS = new Set(['approved', 'rejected']);

/** The text of one record (a ConfigMap value). */
export function formatDecision(decision: ApprovalDecision): string {
  return JSON.stringify({ kind: decision.kind, by: decision.by, at: decision.at.toISOString(), host: decision.host });
}

/** A record read back; undefined when it is not one (someone edited the ConfigMap by hand). */
export function parseDecision(text: string | undefined): ApprovalDecision | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown> | null;
    if (raw === null || typeof raw !== 'object') return undefined;
    const { kind, by, at, host } = raw;
    if (typeof kind !== 'string' || !KINDS.has(kind) || typeof by !== 'string' || typeof at !== 'string' || typeof host !== 'string')
      return undefined;
    const when = new Date(at);
    return Number.isNaN(when.getTime()) ? undefined : { kind: kind as ApprovalDecision['kind'], by, at: when, host };
  } catch {
    return undefined;
  }
}

/**
 * The records to keep when one is added: those younger than maxAgeMs (an approval request's buttons expire
 * then, so an older decision can never be asked about again), the newest `maxEntries` at most, and the new one.
 */
export function keptDecisions(
  records: Readonly<Record<string, string>>,
  added: { readonly id: string; readonly decision: ApprovalDecision },
  limits: { readonly now: Date; readonly maxAgeMs: number; readonly maxEntries: number },
): Record<string, string> {
  const fresh = Object.entries(records)
    .map(([id, text]) => [id, text, parseDecision(text)] as const)
    .filter(([, , decision]) => decision !== undefined && limits.now.getTime() - decision.at.getTime() < limits.maxAgeMs)
    .sort((a, b) => (b[2]?.at.getTime() ?? 0) - (a[2]?.at.getTime() ?? 0))
    .slice(0, Math.max(0, limits.maxEntries - 1));
  return Object.fromEntries([...fresh.map(([id, text]) => [id, text] as const), [added.id, formatDecision(added.decision)]]);
}
