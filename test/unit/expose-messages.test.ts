import { describe, expect, it } from '@jest/globals';
import type { Exposure } from '../../src/commands/unexpose.js';
import { parseExposeRequest } from '../../src/domain/expose-request.js';
import { renderExposeAudit, renderRequesterNotice } from '../../src/slack/render/expose-outcome-message.js';
import { checksText } from '../../src/slack/render/expose-parts.js';
import { renderRemovalAudit, renderRemovalConfirmation } from '../../src/slack/render/expose-removal-message.js';

const request = parseExposeRequest('api.example.com team-a/web:80');
const HOSTILE = '<!channel> & <https://evil.example|click>';
const ESCAPED = '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;';

describe('the plain-text fallback of /expose messages', () => {
  it('escapes check details that carry data from the cluster, AWS or DNS', () => {
    const text = checksText([{ name: 'TLS certificate', status: 'pass', detail: `Covered by \`${HOSTILE}\`.` }]);
    expect(text).toBe(`[pass] TLS certificate: Covered by ${ESCAPED}.`);
  });

  it('escapes the Ingress name in the audit line and the requester’s message, and keeps real mentions', () => {
    const audit = renderExposeAudit(
      request,
      { kind: 'Ingress', namespace: 'team-a', name: HOSTILE },
      { requestedBy: 'U0DEV', approvedBy: 'U0ADMIN' },
      'U0ADMIN',
    );
    expect(audit.text).toContain(`(Ingress team-a/${ESCAPED})`);
    expect(audit.text).toContain('Requested by <@U0DEV>, approved by <@U0ADMIN>.');
    const notice = renderRequesterNotice(request, 'U0ADMIN', 'approved', { kind: 'Ingress', namespace: 'team-a', name: HOSTILE });
    expect(notice.text).toContain(`the Ingress team-a/${ESCAPED} is written`);
    for (const message of [audit, notice]) expect(message.text).not.toContain('<!channel>');
  });

  it('escapes what the bot’s Ingress says when it is removed', () => {
    const exposure: Exposure = {
      host: 'api.example.com',
      kind: 'Ingress',
      namespace: 'team-a',
      name: 'api.example.com',
      uid: 'u',
      route: { host: 'api.example.com', path: `/${HOSTILE}`, pathType: 'Prefix', serviceName: 'web', servicePort: 80 },
      requestedBy: HOSTILE,
      approvedBy: 'U0ADMIN',
      approvedAt: HOSTILE,
    };
    for (const message of [renderRemovalAudit(exposure, 'U0ADMIN'), renderRemovalConfirmation(exposure, 'value')]) {
      expect(message.text).not.toContain('<!channel>');
      expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
    }
    expect(renderRemovalAudit(exposure, 'U0ADMIN').text).toContain(`path /${ESCAPED}`);
  });
});
