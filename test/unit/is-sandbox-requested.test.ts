import { describe, expect, it } from '@jest/globals';
import { isSandboxRequested } from '../../dev/sandbox/is-sandbox-requested.js';

describe('isSandboxRequested', () => {
  it('starts the sandbox when neither a bot token nor an app token is set', () => {
    expect(isSandboxRequested({})).toBe(true);
    expect(isSandboxRequested({ SLACK_BOT_TOKEN: ' ', SLACK_APP_TOKEN: '', AWS_REGION: 'eu-west-1' })).toBe(true);
  });

  it('starts the real bot as soon as one Slack token is set', () => {
    expect(isSandboxRequested({ SLACK_BOT_TOKEN: 'xoxb-1' })).toBe(false);
    expect(isSandboxRequested({ SLACK_APP_TOKEN: 'xapp-1' })).toBe(false);
  });

  it('never starts the sandbox inside a Pod, so a missing Secret fails loudly', () => {
    expect(isSandboxRequested({ KUBERNETES_SERVICE_HOST: '10.100.0.1' })).toBe(false);
  });
});

describe('isSandboxRequested in the production image', () => {
  it('never starts the sandbox with NODE_ENV=production (set by the Dockerfile)', () => {
    expect(isSandboxRequested({ NODE_ENV: 'production' })).toBe(false);
    expect(isSandboxRequested({ NODE_ENV: 'development' })).toBe(true);
  });
});
