import type { KnownBlock } from '@slack/types';
import type { EgressResult } from '../../commands/egress.js';
import type { IpsResult } from '../../commands/ips.js';
import { codeBlocks, context, divider, escapeMrkdwn, fields, header, type SlackMessage, section } from './blocks.js';
import type { EdgeLabel } from './edge-label.js';
import { type Failure, isFailure } from './home-edge.js';

const kindLine: Record<IpsResult['addressKind'], string> = {
  elastic: ':lock: These are *Elastic IPs*: they stay the same even if the NLB is re-created.',
  'aws-assigned':
    'Warning: these are not Elastic IPs. AWS assigned them to this NLB and they stay fixed only for its lifetime: if the NLB is deleted ' +
    'or re-created (for example by re-creating the controller Service), the addresses change and every partner allow-list must be ' +
    'updated. Pin them with the service.beta.kubernetes.io/aws-load-balancer-eip-allocations annotation.',
  mixed:
    'Warning: not every address is an Elastic IP. The zones without an allocation ID have AWS-assigned addresses that change ' +
    'if the NLB is re-created; partners would then have to update their allow-lists. Give every subnet an Elastic IP in ' +
    'service.beta.kubernetes.io/aws-load-balancer-eip-allocations.',
  private:
    ':house: This NLB is *internal*: it has only private addresses, reachable ' +
    'from the VPC and networks connected to it (peering, VPN, Direct Connect).',
};

export function renderIps(result: IpsResult, edge?: EdgeLabel): SlackMessage {
  const zoneFields = result.zones.map((zone) =>
    [
      `*${zone.zone}*`,
      `Public IP: ${zone.publicIp === undefined ? '—' : `\`${zone.publicIp}\``}`,
      `Elastic IP: ${zone.allocationId === undefined ? 'no' : `\`${zone.allocationId}\``}`,
      `Private IP: ${zone.privateIp === undefined ? '—' : `\`${zone.privateIp}\``}`,
    ].join('\n'),
  );
  const blocks = [
    header(edge === undefined ? 'Static IPs of the shared NLB' : `Static IPs of the edge ${edge.name} (${edge.region})`),
    section(
      `*${result.loadBalancer.name}* (${result.loadBalancer.scheme}, ` +
        `${result.loadBalancer.state})\nDNS name: \`${result.loadBalancer.dnsName}\``,
    ),
    ...fields(zoneFields),
    section(kindLine[result.addressKind]),
    divider(),
    section('*For the partner’s firewall request* (copy as is):'),
    ...codeBlocks(result.allowList),
    context(`Controller Service \`${result.controllerService}\` · addresses are cached for a few minutes · \`/ips help\``),
  ];
  const ipList = result.zones
    .map(
      (zone) =>
        `${zone.zone}: ${zone.publicIp ?? '-'}${zone.allocationId === undefined ? '' : ` (${zone.allocationId})`} ` +
        `private ${zone.privateIp ?? '-'}`,
    )
    .join('; ');
  const warning = result.addressKind === 'aws-assigned' || result.addressKind === 'mixed' ? ` ${kindLine[result.addressKind]}` : '';
  const where = edge === undefined ? '' : `the edge ${edge.name} (${edge.region}), `;
  const text = `Static IPs of ${where}${result.loadBalancer.dnsName}: ${ipList}. Allow-list: ${result.cidrs.join(', ')}.${warning}`;
  return { blocks, text };
}

// Block Kit allows 50 blocks a message: edges past the budget are listed by name, with the command that shows them.
const MAX_BLOCKS = 50;

/**
 * /ips without an edge name while the bot serves several: every edge in its own labelled part (name, region
 * and NLB in each, so a partner gets the right addresses), each with its allow-list block. An edge that could
 * not be read says why in its part; the others are shown as usual.
 */
export function renderIpsOfEdges(entries: ReadonlyArray<{ readonly edge: EdgeLabel; readonly result: IpsResult | Failure }>): SlackMessage {
  const top: KnownBlock[] = [header(`Static IPs of the ${entries.length} shared NLBs`)];
  const footer = (hidden: number): KnownBlock[] => [
    context(
      (hidden === 0 ? '' : `${hidden} more edge(s) did not fit in one message. `) +
        '`/ips &lt;edge&gt;` shows one edge in full · addresses are cached for a few minutes · `/ips help`',
    ),
  ];
  const parts = entries.map(({ edge, result }) => edgePart(edge, result));
  const body: KnownBlock[] = [];
  let shown = 0;
  for (const part of parts) {
    if (top.length + body.length + part.length + footer(parts.length - shown - 1).length > MAX_BLOCKS) break;
    body.push(...part);
    shown += 1;
  }
  const hidden = entries.slice(shown).map(({ edge }) => `\`${escapeMrkdwn(edge.name)}\``);
  const more = hidden.length === 0 ? [] : [section(`*Not shown:* ${hidden.join(', ')}`.slice(0, 2900))];
  const text = entries
    .map(({ edge, result }) =>
      isFailure(result)
        ? `${edge.name} (${edge.region}): could not be read: ${result.message}`
        : `${edge.name} (${edge.region}), ${result.loadBalancer.dnsName}: ${result.cidrs.join(', ')}`,
    )
    .join('; ');
  return { blocks: [...top, ...body, ...more, ...footer(hidden.length)], text: escapeMrkdwn(`Static IPs: ${text}`.slice(0, 3000)) };
}

function edgePart(edge: EdgeLabel, result: IpsResult | Failure): KnownBlock[] {
  const title = `*Edge \`${escapeMrkdwn(edge.name)}\`* · ${escapeMrkdwn(edge.region)}`;
  if (isFailure(result)) {
    const hint = result.hint === undefined ? '' : ` ${escapeMrkdwn(result.hint)}`;
    return [divider(), section(`${title}\n:x: Could not be read: ${escapeMrkdwn(result.message)}${hint}`)];
  }
  const zones = result.zones
    .map((zone) => `${zone.zone} \`${zone.publicIp ?? zone.privateIp ?? '—'}\`${zone.allocationId === undefined ? '' : ' (Elastic IP)'}`)
    .join(', ');
  return [
    divider(),
    section(
      `${title} · NLB *${escapeMrkdwn(result.loadBalancer.name)}* (${result.loadBalancer.scheme}) ` +
        `\`${escapeMrkdwn(result.loadBalancer.dnsName)}\`\n` +
        `${zones}\n${kindLine[result.addressKind]}`,
    ),
    ...codeBlocks(`Edge ${edge.name} (${edge.region}), NLB ${result.loadBalancer.dnsName}\n${result.allowList}`),
  ];
}

export function renderIpsHelp(): SlackMessage {
  const body = [
    '*`/ips`* shows the static IP addresses of the Network Load Balancer in front of the shared ingress.',
    '• For every Availability Zone: the public IP, its Elastic IP allocation ID when it has one, and the private IP.',
    '• Whether the addresses are Elastic IPs (they survive re-creating the NLB) or AWS-assigned (fixed only while this NLB exists).',
    '• A block to paste into a partner’s firewall request: the IPs as /32 CIDRs, the ports and the host names served.',
    '• `/ips egress`: the other direction, the public IPs the cluster’s outbound calls leave from (its NAT gateways), ' +
      'for partners who allow-list us.',
    'With several edges, `/ips` answers for each (named with its region and NLB) and `/ips &lt;edge&gt;` for one.',
    'Anyone can use it; it reads only. `/ips help` shows this text.',
  ].join('\n');
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}

/** /ips egress: where the cluster's outbound traffic comes from, per zone, with the block a partner allow-lists. */
export function renderEgress(result: EgressResult, edge?: EdgeLabel): SlackMessage {
  const { report } = result;
  const zoneFields = report.zones.map(({ zone, addresses }) =>
    [
      `*${escapeMrkdwn(zone)}*`,
      ...addresses.map(
        (address) =>
          `\`${address.publicIp}\` (NAT gateway \`${escapeMrkdwn(address.natGatewayId)}\`` +
          `${address.allocationId === undefined ? '' : `, Elastic IP \`${escapeMrkdwn(address.allocationId)}\``})`,
      ),
    ].join('\n'),
  );
  const warnings = [
    ...report.publicSubnets.map(
      (subnet) =>
        `\`${escapeMrkdwn(subnet.subnetId)}\` (${escapeMrkdwn(subnet.zone)}) routes to an internet gateway: ` +
        'pods there leave from their node’s own public IP, which is not listed.',
    ),
    ...report.warnings.map((warning) => escapeMrkdwn(warning)),
  ];
  const shownWarnings = warnings.slice(0, 10);
  const blocks: KnownBlock[] = [
    header(edge === undefined ? 'Egress IPs of the cluster' : `Egress IPs of the edge ${edge.name} (${edge.region})`),
    section(
      `Outbound calls to partners leave from the NAT gateways of the VPC \`${escapeMrkdwn(result.vpcId)}\` ` +
        `(the VPC of the NLB \`${escapeMrkdwn(result.loadBalancer.name)}\`).`,
    ),
    ...(zoneFields.length === 0 ? [section(':warning: The VPC has no available NAT gateway.')] : fields(zoneFields)),
    ...(shownWarnings.length === 0
      ? []
      : [section(`:warning: *What the bot cannot see*\n${shownWarnings.map((warning) => `• ${warning}`).join('\n')}`)]),
    ...(warnings.length > shownWarnings.length
      ? [context(`${warnings.length - shownWarnings.length} more warnings in the same vein.`)]
      : []),
    divider(),
    section('*For the partner’s firewall request* (copy as is):'),
    ...codeBlocks(
      report.allowList.length === 0
        ? 'No NAT gateway: no fixed source address.'
        : `Source IP addresses (our calls to you come from):\n${report.allowList.map((cidr) => `  ${cidr}`).join('\n')}`,
    ),
    context('NAT gateways are read from EC2 and cached for a few minutes · `/ips` for the addresses partners call · `/ips help`'),
  ];
  const text = `Egress IPs${edge === undefined ? '' : ` of ${edge.name}`}: ${report.allowList.join(', ') || 'none'}.`;
  return { blocks: blocks.slice(0, 50), text: escapeMrkdwn(warnings.length === 0 ? text : `${text} ${warnings.length} warning(s).`) };
}
