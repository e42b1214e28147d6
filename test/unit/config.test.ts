import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(config.edges).toHaveLength(1);
    expect(config.edges[0]).toMatchObject({
      name: 'default',
      region: 'eu-west-1',
      cluster: { kind: 'own' },
      mode: 'ingress',
      ingressClass: 'nginx',
      controllerService: { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' },
    });
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
    expect(config.edges[0]).toMatchObject({ mode: 'ingress', controllerService: { namespace: 'edge', name: 'nginx' } });
    expect(config.alertChannel).toBe('C0ALERTS');
  });

  it('selects Gateway mode with GATEWAY, the listener and the data-plane Service override optional', () => {
    expect(loadConfig({ ...minimal, GATEWAY: 'edge/shared' }).edges[0]).toMatchObject({
      mode: 'gateway',
      gateway: { namespace: 'edge', name: 'shared' },
      gatewayListener: undefined,
      controllerService: undefined,
    });
    expect(
      loadConfig({ ...minimal, GATEWAY: 'edge/shared', GATEWAY_LISTENER: 'https', INGRESS_CONTROLLER_SERVICE: 'envoy/envoy-edge' })
        .edges[0],
    ).toMatchObject({
      mode: 'gateway',
      gateway: { namespace: 'edge', name: 'shared' },
      gatewayListener: 'https',
      controllerService: { namespace: 'envoy', name: 'envoy-edge' },
    });
  });

  it('refuses mixed or half-set modes, saying which variable to change', () => {
    expect(problems({ ...minimal, GATEWAY_LISTENER: 'https' })).toEqual([
      'GATEWAY_LISTENER is set but GATEWAY is not: a listener belongs to the Gateway of Gateway mode',
    ]);
    expect(problems({ ...minimal, GATEWAY: 'edge/shared', INGRESS_CLASS: 'nginx' })).toEqual([
      'INGRESS_CLASS is set together with GATEWAY: in Gateway mode the bot writes HTTPRoutes, not Ingresses of a class; unset one of them',
    ]);
    expect(problems({ ...minimal, GATEWAY: 'shared' })).toEqual([
      'GATEWAY must be <namespace>/<name>, for example envoy-gateway-system/shared (the shared Gateway)',
    ]);
    expect(problems({ ...minimal, GATEWAY: 'edge/shared', GATEWAY_LISTENER: 'Not A Name' })).toEqual([
      'GATEWAY_LISTENER must be the name of a listener of the Gateway (a DNS subdomain, such as https)',
    ]);
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
      'INGRESS_CONTROLLER_SERVICE must be <namespace>/<name>, for example ingress-nginx/ingress-nginx-controller',
    ],
    ['ALERT_CHANNEL', 'alerts', 'ALERT_CHANNEL must be a Slack channel ID such as C0123ABCD'],
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
    expect(() => loadKubeConfig({ kubeconfigPath: '/no/such/kubeconfig', inCluster: false }, 1000)).toThrow(
      new ConfigError(['KUBECONFIG points to /no/such/kubeconfig, which does not exist']),
    );
  });

  describe('checked at start, one line each', () => {
    const kubeconfig = (text: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-kubeconfig-'));
      writeFileSync(join(dir, 'config'), text);
      return join(dir, 'config');
    };
    const base = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: c',
      '  cluster: { server: "https://127.0.0.1:6443" }',
      'users:',
      '- name: u',
      '  user: { token: t }',
      'contexts:',
      '- name: x',
      '  context: { cluster: c, user: u }',
    ].join('\n');
    const problem = async (source: { kubeconfigPath: string | undefined; inCluster: boolean; home?: string }) => {
      const { loadKubeConfig } = await import('../../src/ports/kube/kube-config.js');
      try {
        loadKubeConfig(source, 1000);
        return undefined;
      } catch (error) {
        return error instanceof ConfigError ? error.problems.join('\n') : String(error);
      }
    };

    it.each([
      ['no current-context', `${base}\n`, 'has no current-context: choose one with kubectl config use-context <name>'],
      ['an unknown current-context', `${base}\ncurrent-context: y\n`, 'its current-context "y" is not one of its contexts'],
      [
        'a context naming a missing cluster',
        `${base.replace('cluster: c, user: u', 'cluster: d, user: u')}\ncurrent-context: x\n`,
        'names the cluster "d", which it does not define',
      ],
      [
        'a context naming a missing user',
        `${base.replace('cluster: c, user: u', 'cluster: c, user: v')}\ncurrent-context: x\n`,
        'names the user "v", which it does not define',
      ],
      ['text that is not a kubeconfig', 'clusters: [', 'is not a valid kubeconfig'],
    ])('refuses %s', async (_what, text, expected) => {
      const path = kubeconfig(text);
      expect(String(await problem({ kubeconfigPath: path, inCluster: false }))).toContain(expected);
    });

    it('accepts a complete one', async () => {
      expect(await problem({ kubeconfigPath: kubeconfig(`${base}\ncurrent-context: x\n`), inCluster: false })).toBeUndefined();
    });

    it('says so when there is nothing at all: no KUBECONFIG, no ~/.kube/config, not in a Pod (no silent localhost:8080)', async () => {
      const home = mkdtempSync(join(tmpdir(), 'nlb-bot-home-'));
      expect(String(await problem({ kubeconfigPath: undefined, inCluster: false, home }))).toContain(
        `KUBECONFIG is not set, ${join(home, '.kube', 'config')} does not exist, and the bot is not in a Pod`,
      );
      expect(String(await problem({ kubeconfigPath: undefined, inCluster: true, home }))).toContain('a Pod without a ServiceAccount token');
    });
  });
});

describe('a channel given by name', () => {
  it('is refused with the hint to give the channel ID', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      AWS_REGION: 'eu-west-1',
      ALERT_CHANNEL: '#alerts',
    };
    expect(() => loadConfig(env)).toThrow(/ALERT_CHANNEL is #alerts, a channel name: give the channel ID instead \(such as C0123ABCD/);
  });
});
