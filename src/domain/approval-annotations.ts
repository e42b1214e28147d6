import type { ExposeApproval } from './managed-ingress.js';
import { BotAnnotation } from './ownership.js';

/**
 * The annotations that record an approval on what the bot writes: who asked, who approved and when (only
 * once approved; seconds, UTC), and the Slack channel. The same on an HTTPRoute as on the bot's Ingress.
 */
export function approvalAnnotations(approval: ExposeApproval): Record<string, string> {
  return {
    [BotAnnotation.RequestedBy]: approval.requestedBy,
    ...(approval.approvedBy === undefined ? {} : { [BotAnnotation.ApprovedBy]: approval.approvedBy }),
    ...(approval.approvedAt === undefined ? {} : { [BotAnnotation.ApprovedAt]: approval.approvedAt.toISOString().replace(/\.\d+Z$/, 'Z') }),
    [BotAnnotation.SlackChannel]: approval.channel,
  };
}
