import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Tokens and secrets are redacted where they could appear: in fields of our own, and in
 * the errors the SDKs throw (the only nested objects the bot logs, under `err`: request configs and headers).
 * Paths are explicit: wildcard paths cost about ten times as much on every line.
 */
const secretFields = ['token', 'botToken', 'appToken', 'signingSecret', 'authorization', 'response_url', 'trigger_id'];
const redactPaths = [
  ...secretFields,
  ...secretFields.map((field) => `err.${field}`),
  'err.headers.authorization',
  'err.headers.Authorization',
  'err.headers["x-slack-signature"]',
  'err.config.headers.Authorization',
  'err.config.headers.authorization',
  'err.request.headers.authorization',
  'err.request.headers.Authorization',
  'err.response.config.headers.Authorization',
  'err.data.response_metadata',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'nlb-ingress-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    // stdout, written asynchronously: lines written while a write is under way go out together, so a busy
    // bot makes a few large writes instead of one system call per line. Flushed before the process exits.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * Removes what must not be logged from free text (Bolt's and the Socket Mode client's own lines, which
 * may quote whole payloads): Slack tokens, response_url and trigger_id values, and WebSocket tickets.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/xox[abpre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, '[redacted]')
    .replace(/https:\/\/hooks\.slack\.com\/[^\s"'\\]+/g, '[redacted]')
    .replace(/("?(?:response_url|trigger_id|token)"?\s*[:=]\s*)"[^"]*"/g, '$1"[redacted]"')
    .replace(/([?&]ticket=)[^&\s"']+/g, '$1[redacted]');
}
