import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The environment variables are the public interface of the bot; README.md and .env.example document
 * each one. Validation reports every problem at once, one line per variable.
 */
export interface Config {
  readonly slack: SlackConfig;
  readonly port: number;
  readonly ingressController: { readonly namespace: string; readonly name: string };
  readonly ingressClass: string;
  readonly alertChannel: string | undefined;
  readonly exposeAdmins: readonly string[];
  readonly exposeNamespaces: readonly string[];
  readonly healthPollSeconds: number;
  readonly podNamespace: string;
  readonly kubeconfigPath: string | undefined;
  readonly aws: { readonly region: string; readonly endpointUrl: string | undefined };
  readonly logLevel: string;
  /** DNS servers (`ip` or `ip:port`) for the /expose DNS check; empty means the system's resolvers. */
  readonly dnsServers: readonly string[];
}

export interface SlackConfig {
  readonly mode: 'socket' | 'http';
  readonly botToken: string;
  readonly signingSecret: string;
  readonly appToken: string | undefined;
  readonly apiUrl: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''));

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const slackUserId = /^[UW][A-Z0-9]{2,}$/;
const slackChannelId = /^[CGD][A-Z0-9]{2,}$/;

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353`: what node:dns setServers accepts. */
function isDnsServer(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(entry);
  const [ip, port] = bracketed !== null ? [bracketed[1], bracketed[2]] : withPort !== null ? [withPort[1], withPort[2]] : [entry, undefined];
  const family = isIP(ip ?? '');
  if (family === 0 || (bracketed !== null && family !== 6)) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

const schema = z.object({
  SLACK_BOT_TOKEN: z.string({ error: 'is required (the bot token, xoxb-...)' }).startsWith('xoxb-', {
    error: 'must be a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: z
    .string({ error: 'is required (Basic Information > App Credentials > Signing Secret)' })
    .regex(/^[0-9a-f]{16,}$/i, { error: 'must be the app signing secret (hexadecimal)' }),
  SLACK_APP_TOKEN: optional(
    z.string().startsWith('xapp-', { error: 'must be an app-level token starting with xapp- (Socket Mode)' }),
  ),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(0, { error: 'must be between 0 and 65535' })
      .max(65535, { error: 'must be between 0 and 65535' })
      .default(3000),
  ),
  INGRESS_CONTROLLER_SERVICE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('ingress-nginx/ingress-nginx-controller')
      .refine(
        (value) => {
          const [namespace, name, extra] = value.split('/');
          return extra === undefined && dnsLabel.test(namespace ?? '') && dnsLabel.test(name ?? '');
        },
        { error: 'must be <namespace>/<service name>, for example ingress-nginx/ingress-nginx-controller' },
      ),
  ),
  INGRESS_CLASS: z.preprocess(
    blankToUndefined,
    z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'must be an IngressClass name' }).default('nginx'),
  ),
  ALERT_CHANNEL: optional(z.string().regex(slackChannelId, { error: 'must be a Slack channel ID such as C0123ABCD' })),
  EXPOSE_ADMINS: z.preprocess(
    blankToUndefined,
    list
      .default([])
      .refine((ids) => ids.every((id) => slackUserId.test(id)), {
        error: 'must be a comma-separated list of Slack user IDs such as U0123ABCD',
      }),
  ),
  EXPOSE_NAMESPACES: z.preprocess(
    blankToUndefined,
    list
      .default([])
      .refine((names) => names.every((name) => dnsLabel.test(name)), {
        error: 'must be a comma-separated list of namespace names',
      }),
  ),
  HEALTH_POLL_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number of seconds' })
      .int({ error: 'must be a whole number of seconds' })
      .min(1, { error: 'must be at least 1' })
      .max(86400, { error: 'must be at most 86400 (one day)' })
      .default(60),
  ),
  POD_NAMESPACE: z.preprocess(
    blankToUndefined,
    z.string().regex(dnsLabel, { error: 'must be a namespace name' }).default('default'),
  ),
  KUBECONFIG: optional(z.string()),
  AWS_REGION: z
    .string({ error: 'is required (the region of the NLB, for example eu-west-1)' })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'must be an AWS region such as eu-west-1' }),
  AWS_ENDPOINT_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  DNS_SERVERS: z.preprocess(
    blankToUndefined,
    list.default([]).refine((entries) => entries.every(isDnsServer), {
      error: 'must be a comma-separated list of DNS server addresses, ip or ip:port (e.g. 10.0.0.2 or 127.0.0.1:5353)',
    }),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], { error: 'must be one of trace, debug, info, warn, error, fatal, silent' }).default('info'),
  ),
});

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError([...new Set(problems)].sort());
  }
  const e = parsed.data;
  const [namespace = '', name = ''] = e.INGRESS_CONTROLLER_SERVICE.split('/');
  return {
    slack: {
      mode: e.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    port: e.PORT,
    ingressController: { namespace, name },
    ingressClass: e.INGRESS_CLASS,
    alertChannel: e.ALERT_CHANNEL,
    exposeAdmins: e.EXPOSE_ADMINS,
    exposeNamespaces: e.EXPOSE_NAMESPACES,
    healthPollSeconds: e.HEALTH_POLL_SECONDS,
    podNamespace: e.POD_NAMESPACE,
    kubeconfigPath: e.KUBECONFIG,
    aws: { region: e.AWS_REGION, endpointUrl: e.AWS_ENDPOINT_URL },
    logLevel: e.LOG_LEVEL,
    dnsServers: e.DNS_SERVERS,
  };
}
