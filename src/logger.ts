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

/** Removes anything that looks like a Slack token from free text before it is logged. */
export function scrubSecrets(text: string): string {
  return text.replace(/xox[abpr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, '[redacted]');
}
