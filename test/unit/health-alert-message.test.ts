import { describe, expect, it } from '@jest/globals';
import { DiagnosisCode } from '../../src/domain/diagnosis.js';
import type { HealthReport } from '../../src/domain/health-report.js';
import type { TargetGroupHealth } from '../../src/domain/target-group-health.js';
import {
  renderBlind,
  renderCertificateNotices,
  renderIncident,
  renderIncidentChange,
  renderRecovery,
} from '../../src/slack/render/health-alert-message.js';
import { renderHealth } from '../../src/slack/render/health-message.js';

// Names from AWS and the cluster are data: in Slack's mrkdwn these would ping the channel or a user.
const HOSTILE = '<!channel> & <@U0ADMIN0001>';
const ESCAPED = '&lt;!channel&gt; &amp; &lt;@U0ADMIN0001&gt;';

const group: TargetGroupHealth = {
  arn: 'tg-1',
  name: HOSTILE,
  port: 30443,
  protocol: 'TCP',
  targetType: 'instance',
  healthCheck: { protocol: 'TCP', port: 'traffic-port', path: undefined },
  listeners: [{ protocol: 'TLS', port: 443 }],
  healthy: 0,
  total: 3,
  status: 'down',
  targets: [],
};

const report: HealthReport = {
  checkedAt: new Date('2026-11-01T10:00:00Z'),
  loadBalancer: { name: 'nlb', dnsName: 'nlb.example', zones: ['eu-west-1a'] },
  controllerService: 'ingress-nginx/ingress-nginx-controller',
  externalTrafficPolicy: 'Cluster',
  verdict: 'down',
  groups: [group],
  diagnoses: [{ code: DiagnosisCode.NoTargets, summary: `No targets are registered in \`${HOSTILE}\`.`, details: '', fixes: [] }],
  certificates: [],
  proxy: { name: 'ingress-nginx controller', retired: false },
};

const announced = { 'tg-1': { name: HOSTILE, status: 'down' as const } };
const openedAt = new Date('2026-11-01T09:00:00Z');

describe('the plain text of health messages (what notifications show)', () => {
  it('keeps names from AWS and the cluster escaped, as in the blocks', () => {
    const texts = [
      renderIncident(report, { verdict: 'down', worst: 'down', groups: announced, openedAt }).text,
      renderIncidentChange(report, { verdict: 'degraded', groups: {} }, { verdict: 'down', groups: announced }).text,
      renderRecovery(
        { ...report, groups: [{ ...group, healthy: 3, status: 'healthy' }] },
        { verdict: 'down', worst: 'down', groups: announced, openedAt },
        new Date('2026-11-01T10:00:00Z'),
      ).text,
      renderBlind(`AWS refused DescribeTargetGroups for ${HOSTILE}.`).text,
      renderCertificateNotices([
        {
          certificate: {
            arn: 'c',
            domainName: HOSTILE,
            names: [HOSTILE],
            status: 'EXPIRED',
            type: 'IMPORTED',
            imported: true,
            notAfter: undefined,
            daysLeft: -1,
            listenerPorts: [443],
            isDefault: true,
          },
          threshold: undefined,
          badStatus: 'EXPIRED',
        },
      ]).text,
      renderHealth(report).text,
    ];
    for (const text of texts) {
      expect(text).toContain(ESCAPED);
      expect(text).not.toMatch(/<[!@]/);
    }
    // Still plain: no mrkdwn marks or code spans.
    expect(texts[0]).toBe(`NLB down: ${ESCAPED} (TLS:443) 0/3 healthy. No targets are registered in ${ESCAPED}.`);
  });
});
