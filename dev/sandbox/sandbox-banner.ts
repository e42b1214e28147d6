import type { RunningSandbox } from './start-sandbox.js';

/** What `npm start` prints when it starts the sandbox: what this is, and where to open it. */
export function sandboxBanner(sandbox: Pick<RunningSandbox, 'consoleUrl' | 'bot' | 'world'>): string {
  const edge =
    sandbox.world.edge === 'gateway'
      ? 'Edge: Envoy Gateway, the Gateway edge/shared; /expose writes HTTPRoutes (SANDBOX_EDGE=ingress for ingress-nginx).'
      : 'Edge: ingress-nginx; /expose writes Ingresses (SANDBOX_EDGE=gateway for Envoy Gateway and HTTPRoutes).';
  return [
    '',
    'nlb-ingress-bot SANDBOX',
    'No Slack settings (SLACK_BOT_TOKEN, SLACK_APP_TOKEN), so the real bot runs against local stand-ins for',
    'Kubernetes, AWS, Slack and DNS, seeded with a sample cluster and NLB. Nothing leaves this machine.',
    edge,
    '',
    `  Open the console:  ${sandbox.consoleUrl}`,
    `  The bot itself:    ${sandbox.bot.url} (/healthz, /readyz, /metrics, /slack/events)`,
    '',
    'Type /ips in the console or open the bot’s Home tab; act as the admin or a developer; break a node or',
    'expire a certificate in the sandbox controls. Ctrl+C stops everything. To connect the bot to Slack',
    'instead, set the Slack variables (README.md, "Configuration").',
    '',
  ].join('\n');
}
