import { EXPOSE_USAGE } from '../../domain/expose-request.js';
import { type SlackMessage, section } from './blocks.js';

export function renderExposeHelp(): SlackMessage {
  const body = [
    `*\`${EXPOSE_USAGE}\`* puts a Service behind the shared NLB under a host name.`,
    '• `<port>` is the Service port’s number (`80`) or name (`http`); `<path>` defaults to `/` (pathType Prefix).',
    '• The bot first shows a preview: every check (namespace allowed, Service and port exist, host free (no other Ingress ' +
      'serves it, at any path), a TLS certificate on the NLB covers the host, DNS), the NLB’s IPs and the Ingress it will write.',
    '• /expose admins get *Apply*; everyone else gets *Request approval*, which asks the admins in the ' +
      'alert channel. Nothing is written before an admin applies or approves, and every check runs again then.',
    '• `/expose list` shows the hosts the bot manages and the other hosts of the ingress class.',
    '• `/unexpose <host>` removes a host the bot manages (admins only, after a confirmation).',
  ].join('\n');
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}

export function renderUnexposeHelp(): SlackMessage {
  const body = [
    '*`/unexpose <host>`* removes a host the bot exposed: it deletes the bot’s Ingress for that host, after a confirmation.',
    '• Only /expose admins can remove, and only Ingresses the bot created; anything else is left alone.',
    '• `/expose list` shows the hosts the bot manages.',
  ].join('\n');
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}
