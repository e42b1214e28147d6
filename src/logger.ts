import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Tokens and secrets are redacted wherever they could appear: in our own fields,
 * in Slack payloads and in the headers of HTTP errors thrown by the SDKs.
 */
const redactPaths = [
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["x-slack-signature"]',
  '*.config.headers.Authorization',
  'err.config.headers.Authorization',
  'err.request.headers.authorization',
  'err.response.config.headers.Authorization',
  'response_url',
  '*.response_url',
  'trigger_id',
  '*.trigger_id',
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
    destination,
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
