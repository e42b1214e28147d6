import type { WorldState } from '../world-simulation.js';
import { escapeHtml } from './html.js';

/**
 * The sandbox controls panel: the simulated cluster and NLB as they are now, each with the control
 * that changes it. A control is a button naming its endpoint (data-control) and its JSON body (data-body).
 */
export function renderWorld(world: WorldState, now: Date = new Date()): string {
  const flipTo = world.trafficPolicy === 'Local' ? 'Cluster' : 'Local';
  const check = `${world.healthCheck.protocol} ${world.healthCheck.port}${world.healthCheck.path ?? ''}`;
  const healthy = world.nodes.filter((node) => node.target.state === 'healthy').length;
  const nodes = world.nodes
    .map((node) => {
      const target =
        node.target.state === 'healthy'
          ? '<span class="pill ok">healthy</span>'
          : `<span class="pill bad" title="${escapeHtml(node.target.description ?? '')}">unhealthy</span>`;
      const reason = node.target.reason === undefined ? '' : `<div class="hint">${escapeHtml(node.target.reason)}</div>`;
      return (
        `<li class="node" data-node="${escapeHtml(node.name)}"><div class="row"><span class="name" title="${escapeHtml(node.name)}">${escapeHtml(node.name.split('.')[0] ?? node.name)}</span>${target}</div>` +
        `<div class="hint">${escapeHtml(node.zone)} · ${escapeHtml(node.instanceId)} · ${node.ready ? 'Ready' : '<b>NotReady</b>'} · ${controllerPods(node.controllerPods, node.readyControllerPods)}</div>${reason}` +
        control(
          'node',
          { name: node.name, ready: !node.ready },
          node.ready ? 'Make node NotReady' : 'Make node Ready',
          node.ready ? 'danger' : 'primary',
        ) +
        '</li>'
      );
    })
    .join('');
  const certificates = world.certificates
    .map((certificate) => {
      const days = Math.floor((Date.parse(certificate.notAfter) - now.getTime()) / 86_400_000);
      const status =
        certificate.status === 'ISSUED'
          ? `<span class="pill ok">ISSUED</span>`
          : `<span class="pill bad">${escapeHtml(certificate.status)}</span>`;
      return (
        `<li class="certificate"><div class="row"><span class="name">${escapeHtml(certificate.domainName)}</span>${status}</div>` +
        `<div class="hint">${escapeHtml(certificate.type)} · not after ${escapeHtml(certificate.notAfter.slice(0, 10))} (${days < 0 ? `${-days} days ago` : `${days} days left`})</div>` +
        control(
          'certificate',
          { arn: certificate.arn, expired: !certificate.expiredBySandbox },
          certificate.expiredBySandbox ? 'Restore certificate' : 'Expire certificate',
          certificate.expiredBySandbox ? 'primary' : 'danger',
        ) +
        '</li>'
      );
    })
    .join('');
  const ingresses = world.ingresses
    .map(
      (ingress) =>
        `<li><span class="name">${escapeHtml(ingress.hosts.join(', ') || '(no host)')}</span><div class="hint">${escapeHtml(`${ingress.kind} ${ingress.namespace}/${ingress.name}`)}${ingress.managedByBot ? ' · managed by the bot' : ' · not the bot’s'}</div></li>`,
    )
    .join('');
  return (
    '<h2>Sandbox controls</h2>' +
    '<p class="hint">The simulated cluster and NLB. Changes show up in what the bot reads (target health comes from DescribeTargetHealth).</p>' +
    `<section><h3>${world.edge === 'gateway' ? 'Gateway data-plane Service (Envoy)' : 'Controller Service (ingress-nginx)'}</h3><div class="row"><span>externalTrafficPolicy</span><span class="pill">${world.trafficPolicy}</span></div>` +
    `<div class="hint">NLB health check: ${escapeHtml(check)} · ${healthy} of ${world.nodes.length} targets healthy</div>` +
    control('traffic-policy', { policy: flipTo }, `Switch to ${flipTo}`, 'plain') +
    '</section>' +
    `<section><h3>Nodes (NLB targets)</h3><ul>${nodes}</ul></section>` +
    `<section><h3>ACM certificates on the TLS listener</h3><ul>${certificates}</ul></section>` +
    `<section><h3>${world.edge === 'gateway' ? 'Routes on the Gateway edge/shared' : 'Ingresses'}</h3><ul>${ingresses}</ul></section>` +
    `<section>${control('reset', {}, 'Reset the world', 'plain')}</section>`
  );
}

function controllerPods(total: number, ready: number): string {
  if (total === 0) return 'no controller pod';
  return ready === total
    ? `${total} controller pod${total === 1 ? '' : 's'}`
    : `${total} controller pod${total === 1 ? '' : 's'}, ${total - ready} not Ready`;
}

function control(endpoint: string, body: Record<string, unknown>, label: string, style: 'primary' | 'danger' | 'plain'): string {
  return `<button type="button" class="control ${style}" data-control="${endpoint}" data-body="${escapeHtml(JSON.stringify(body))}">${escapeHtml(label)}</button>`;
}
