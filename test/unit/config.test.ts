import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  AWS_REGION: 'eu-west-1',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config.slack.mode).toBe('http');
    expect(config.port).toBe(3000);
    expect(config.ingressController).toEqual({ namespace: 'ingress-nginx', name: 'ingress-nginx-controller' });
    expect(config.ingressClass).toBe('nginx');
    expect(config.healthPollSeconds).toBe(60);
    expect(config.podNamespace).toBe('default');
    expect(config.exposeAdmins).toEqual([]);
    expect(config.exposeNamespaces).toEqual([]);
    expect(config.alertChannel).toBeUndefined();
  });

  it('uses Socket Mode when an app token is set', () => {
    expect(loadConfig({ ...minimal, SLACK_APP_TOKEN: 'xapp-1-A1-abc' }).slack.mode).toBe('socket');
  });

  it('parses lists, numbers and the controller Service', () => {
    const config = loadConfig({
      ...minimal,
      EXPOSE_ADMINS: ' U0AAA1, W0BBB2 ,',
      EXPOSE_NAMESPACES: 'team-a,team-b',
      HEALTH_POLL_SECONDS: '1',
      PORT: '8080',
      INGRESS_CONTROLLER_SERVICE: 'edge/nginx',
      ALERT_CHANNEL: 'C0ALERTS',
    });
    expect(config.exposeAdmins).toEqual(['U0AAA1', 'W0BBB2']);
    expect(config.exposeNamespaces).toEqual(['team-a', 'team-b']);
    expect(config.healthPollSeconds).toBe(1);
    expect(config.port).toBe(8080);
    expect(config.ingressController).toEqual({ namespace: 'edge', name: 'nginx' });
    expect(config.alertChannel).toBe('C0ALERTS');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...minimal, PORT: '', SLACK_APP_TOKEN: ' ', ALERT_CHANNEL: '' }).port).toBe(3000);
  });

  it('reports every missing value, one line each', () => {
    expect(problems({})).toEqual([
      'AWS_REGION is required (the region of the NLB, for example eu-west-1)',
      'SLACK_BOT_TOKEN is required (the bot token, xoxb-...)',
      'SLACK_SIGNING_SECRET is required (Basic Information > App Credentials > Signing Secret)',
    ]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'],
    ['SLACK_APP_TOKEN', 'xoxb-wrong', 'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)'],
    ['SLACK_SIGNING_SECRET', 'not hex!', 'SLACK_SIGNING_SECRET must be the app signing secret (hexadecimal)'],
    ['SLACK_API_URL', 'ftp://x', 'SLACK_API_URL must be an http(s) URL'],
    ['PORT', 'eighty', 'PORT must be a number'],
    ['PORT', '70000', 'PORT must be between 0 and 65535'],
    [
      'INGRESS_CONTROLLER_SERVICE',
      'just-a-name',
      'INGRESS_CONTROLLER_SERVICE must be <namespace>/<service name>, for example ingress-nginx/ingress-nginx-controller',
    ],
    ['ALERT_CHANNEL', '#alerts', 'ALERT_CHANNEL must be a Slack channel ID such as C0123ABCD'],
    ['EXPOSE_ADMINS', 'alice', 'EXPOSE_ADMINS must be a comma-separated list of Slack user IDs such as U0123ABCD'],
    ['EXPOSE_NAMESPACES', 'Team_A', 'EXPOSE_NAMESPACES must be a comma-separated list of namespace names'],
    ['HEALTH_POLL_SECONDS', '0', 'HEALTH_POLL_SECONDS must be at least 1'],
    ['HEALTH_POLL_SECONDS', '1.5', 'HEALTH_POLL_SECONDS must be a whole number of seconds'],
    ['POD_NAMESPACE', 'Bad Namespace', 'POD_NAMESPACE must be a namespace name'],
    ['AWS_REGION', 'Ireland', 'AWS_REGION must be an AWS region such as eu-west-1'],
    ['AWS_ENDPOINT_URL', 'localhost:4566', 'AWS_ENDPOINT_URL must be an http(s) URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent'],
  ])('explains a malformed %s', (name, value, message) => {
    expect(problems({ ...minimal, [name]: value })).toEqual([message]);
  });

  it('never repeats a secret in its messages', () => {
    const secret = 'xoxp-secret-user-token-123';
    const error = (() => {
      try {
        loadConfig({ ...minimal, SLACK_BOT_TOKEN: secret });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain(secret);
  });
});

describe('the kubeconfig', () => {
  it('names a KUBECONFIG that does not exist', async () => {
    const { loadKubeConfig } = await import('../../src/ports/kube/kube-config.js');
    expect(() => loadKubeConfig('/no/such/kubeconfig', 1000)).toThrow(
      new ConfigError(['KUBECONFIG points to /no/such/kubeconfig, which does not exist']),
    );
  });
});
