/**
 * How the bot marks what it owns. It writes, changes and deletes only Ingresses that carry the
 * managed-by label with its name; the annotations record who asked, who approved, when and where.
 */
export const BOT_NAME = 'nlb-ingress-bot';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_SELECTOR = `${MANAGED_BY_LABEL}=${BOT_NAME}`;

export const BotAnnotation = {
  RequestedBy: `${BOT_NAME}/requested-by`,
  ApprovedBy: `${BOT_NAME}/approved-by`,
  ApprovedAt: `${BOT_NAME}/approved-at`,
  SlackChannel: `${BOT_NAME}/slack-channel`,
} as const;
export type BotAnnotation = (typeof BotAnnotation)[keyof typeof BotAnnotation];

export function isManagedByBot(labels: Readonly<Record<string, string>>): boolean {
  return labels[MANAGED_BY_LABEL] === BOT_NAME;
}
