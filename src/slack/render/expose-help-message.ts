import { EXPOSE_USAGE } from '../../domain/expose-request.js';
import { escapeMrkdwn, type SlackMessage, section } from './blocks.js';

/** Placeholders such as <host> are escaped: Slack reads < and > as markup, in code spans too. */
function help(lines: readonly string[]): SlackMessage {
  const body = escapeMrkdwn(lines.join('\n'));
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}

export function renderExposeHelp(): SlackMessage {
  return help([
    `*\`${EXPOSE_USAGE}\`* puts a Service behind the shared NLB under a host name.`,
    '• `<port>` is the Service port’s number (`80`) or name (`http`); `<path>` defaults to `/` (pathType Prefix).',
    '• The bot first shows a preview: every check (namespace allowed, Service and port exist, host free (no other Ingress ' +
      'or route serves it, at any path), a TLS certificate on the NLB covers the host, DNS), the NLB’s IPs and the Ingress ' +
      '(or, on a Gateway, the HTTPRoute) it will write.',
    '• /expose admins get *Apply*; everyone else gets *Request approval*, which asks the admins in the ' +
      'alert channel. Nothing is written before an admin applies or approves, and every check runs again then.',
    '• `/expose list` shows the hosts the bot manages and the other hosts of the edge.',
    '• `/unexpose <host>` removes a host the bot manages (admins only, after a confirmation).',
    '• When the bot serves several edges, the edge comes first: `/expose <edge> <host> ...`, `/expose list <edge>`.',
  ]);
}

export function renderUnexposeHelp(): SlackMessage {
  return help([
    '*`/unexpose <host>`* removes a host the bot exposed: it deletes the bot’s Ingress (or HTTPRoute) for that host, after a confirmation.',
    '• Only /expose admins can remove, and only what the bot created; anything else is left alone.',
    '• `/expose list` shows the hosts the bot manages. With several edges: `/unexpose <edge> <host>`.',
  ]);
}
