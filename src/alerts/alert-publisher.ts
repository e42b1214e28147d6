import type { HealthReport } from '../domain/health-report.js';
import type { AlertAction } from './plan-alerts.js';

export interface PublishContext {
  readonly channel: string;
  readonly report: HealthReport | undefined;
  readonly now: Date;
  /** The edge the alert is about, when the bot watches several (its messages then name it). */
  readonly edge?: { readonly name: string; readonly region: string };
}

/**
 * Posts one planned alert; resolves with the ts of a new incident message. Throws when nothing was posted.
 * The Slack adapter is slack/alert-publisher.ts; the alert loop knows only this.
 */
export interface AlertPublisher {
  publish(action: AlertAction, context: PublishContext): Promise<string | undefined>;
}
