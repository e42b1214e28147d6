import type { IpsResult } from '../../commands/ips.js';
import { codeBlocks, context, divider, fields, header, type SlackMessage, section } from './blocks.js';

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

export function renderIps(result: IpsResult): SlackMessage {
  const zoneFields = result.zones.map((zone) =>
    [
      `*${zone.zone}*`,
      `Public IP: ${zone.publicIp === undefined ? '—' : `\`${zone.publicIp}\``}`,
      `Elastic IP: ${zone.allocationId === undefined ? 'no' : `\`${zone.allocationId}\``}`,
      `Private IP: ${zone.privateIp === undefined ? '—' : `\`${zone.privateIp}\``}`,
    ].join('\n'),
  );
  const blocks = [
    header('Static IPs of the shared NLB'),
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
  const text = `Static IPs of ${result.loadBalancer.dnsName}: ${ipList}. Allow-list: ${result.cidrs.join(', ')}.${warning}`;
  return { blocks, text };
}

export function renderIpsHelp(): SlackMessage {
  const body = [
    '*`/ips`* shows the static IP addresses of the Network Load Balancer in front of the shared ingress.',
    '• For every Availability Zone: the public IP, its Elastic IP allocation ID when it has one, and the private IP.',
    '• Whether the addresses are Elastic IPs (they survive re-creating the NLB) or AWS-assigned (fixed only while this NLB exists).',
    '• A block to paste into a partner’s firewall request: the IPs as /32 CIDRs, the ports and the host names served.',
    'Anyone can use it; it reads only. `/ips help` shows this text.',
  ].join('\n');
  return { blocks: [section(body)], text: body.replace(/[*`]/g, '') };
}
