import { describe, expect, it } from '@jest/globals';
import type { HealthReport } from '../../src/domain/health-report.js';
import type { TargetGroupHealth } from '../../src/domain/target-group-health.js';
import { renderHealth } from '../../src/slack/render/health-message.js';

const group = (index: number, healthy: number): TargetGroupHealth => ({
  arn: `tg-${index}`,
  name: `group-${String(index).padStart(3, '0')}`,
  port: 30000 + index,
  protocol: 'TCP',
  targetType: 'instance',
  healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
  listeners: [{ protocol: 'TCP', port: 1000 + index }],
  healthy,
  total: 10,
  status: healthy === 10 ? 'healthy' : healthy === 0 ? 'down' : 'degraded',
  targets: Array.from({ length: 10 }, (_, target) => ({
    id: `i-${index}-${target}`,
    port: 30000 + index,
    zone: 'eu-west-1a',
    nodeName: `node-${target}`,
    podName: undefined,
    state: target < healthy ? 'healthy' : 'unhealthy',
    reason: target < healthy ? undefined : 'Target.Timeout',
    condition: target < healthy ? 'healthy' : 'failing',
    explanation: 'x',
  })),
});

describe('the /health message', () => {
  it('stays within Block Kit’s 50 blocks for 100 target groups, problems first, the rest counted', () => {
    const groups = Array.from({ length: 100 }, (_, index) => group(index, index === 73 ? 0 : 10));
    const report: HealthReport = {
      checkedAt: new Date(),
      loadBalancer: { name: 'nlb', dnsName: 'nlb.example', zones: ['eu-west-1a'] },
      controllerService: 'ingress-nginx/ingress-nginx-controller',
      externalTrafficPolicy: 'Cluster',
      verdict: 'down',
      groups,
      diagnoses: [],
      certificates: [],
      proxy: { name: 'ingress-nginx controller', retired: false },
    };
    const message = renderHealth(report);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const texts = JSON.stringify(message.blocks);
    expect(texts.indexOf('group-073')).toBeLessThan(texts.indexOf('group-000'));
    expect(texts).toContain('80 more target group(s) not shown: 80 healthy, 0 with targets that are down.');
    expect(texts).toContain('• and 2 more targets that are not healthy');
  });
});
