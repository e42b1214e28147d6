import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { type RunningBot, startBot } from '../../src/app/start-bot.js';
import { ConfigError } from '../../src/errors.js';
import { SLACK_EVENTS_PATH } from '../../src/slack/slack-runtime.js';
import { type AwsApiServer, startAwsApiServer } from '../stand-ins/aws-api-server.js';
import { type DnsServer, startDnsServer } from '../stand-ins/dns-server.js';
import { servedInCluster, startEdgeProxy } from '../stand-ins/edge-proxy.js';
import { startGatewayController } from '../stand-ins/gateway-controller.js';
import { ingressNginxAdmission } from '../stand-ins/ingress-admission.js';
import { startIngressController } from '../stand-ins/ingress-controller.js';
import { type KubeApiServer, startKubeApiServer } from '../stand-ins/kube-api-server.js';
import { SAMPLE_GATEWAY, SAMPLE_GATEWAY_CONTROLLER_NAME } from '../stand-ins/sample-gateway-world.js';
import {
  SAMPLE_CONTROLLER,
  SAMPLE_DOMAIN,
  SAMPLE_NLB_DNS,
  SAMPLE_REGION,
  SAMPLE_TEAM_NAMESPACES,
  sampleDnsRecords,
} from '../stand-ins/sample-world.js';
import { type SlackApiServer, startSlackApiServer } from '../stand-ins/slack-api-server.js';
import { createCertificateAuthority, createServerCertificate } from '../stand-ins/test-certificates.js';
import { startConsoleServer } from './console/console-server.js';
import { SANDBOX_ALERT_CHANNEL, SANDBOX_CHANNELS, SANDBOX_USERS } from './sandbox-directory.js';
import { simulateExternalDns } from './simulate-external-dns.js';
import { type SandboxEdge, WorldSimulation } from './world-simulation.js';

export interface SandboxOptions {
  /**
   * The process environment: PORT (the console's port, default 3000), LOG_LEVEL, HEALTH_POLL_SECONDS
   * (default 5) and SANDBOX_EDGE (`ingress`, the default, or `gateway`) are read; nothing else.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the bot's JSON log lines go; stdout when absent. */
  readonly logDestination?: DestinationStream;
}

export interface RunningSandbox {
  readonly consoleUrl: string;
  readonly bot: RunningBot;
  readonly kube: KubeApiServer;
  readonly aws: AwsApiServer;
  readonly slack: SlackApiServer;
  readonly dns: DnsServer;
  readonly world: WorldSimulation;
  /** The environment the bot was started with (its secrets exist only for this run). */
  readonly botEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export const DEFAULT_CONSOLE_PORT = 3000;
/** Short, so the health loop and its alerts react within seconds of a sandbox control. */
const SANDBOX_HEALTH_POLL_SECONDS = 5;
/** The sample world's Ingresses use ingressClassName nginx, the bot's default INGRESS_CLASS. */
const SANDBOX_INGRESS_CLASS = 'nginx';

/**
 * The whole bot on one machine: local stand-ins for Kubernetes, AWS (ELBv2 + ACM), Slack and DNS seeded
 * with the write-up's world, the real bot wired to them only through its normal environment (kubeconfig,
 * AWS_ENDPOINT_URL, SLACK_API_URL, signed HTTP requests), and the web console. Everything listens on
 * 127.0.0.1, and every client the bot builds points at a stand-in: nothing leaves the machine.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const consolePort = parseConsolePort(options.env['PORT']);
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    useSandboxAwsCredentials();
    const botToken = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
    const signingSecret = randomBytes(16).toString('hex');
    const slack = await startSlackApiServer({ botToken });
    cleanups.push(() => slack.close());
    const kube = await startKubeApiServer();
    cleanups.push(() => kube.close());
    const edge = parseSandboxEdge(options.env['SANDBOX_EDGE']);
    if (edge === 'ingress') kube.admit(ingressNginxAdmission(SANDBOX_INGRESS_CLASS));
    const aws = await startAwsApiServer();
    cleanups.push(() => aws.close());
    const world = new WorldSimulation(kube.store, aws.world, undefined, edge);
    world.reset();
    if (edge === 'gateway') {
      // Status for the Gateway and every route, as Envoy Gateway writes it.
      const controller = startGatewayController(kube.store, { controllerName: SAMPLE_GATEWAY_CONTROLLER_NAME, address: SAMPLE_NLB_DNS });
      cleanups.push(() => controller.stop());
      await controller.settled();
    } else {
      // status.loadBalancer for the Ingresses of the class, as ingress-nginx writes it (the live check's route step).
      const controller = startIngressController(kube.store, { ingressClass: SANDBOX_INGRESS_CLASS, address: SAMPLE_NLB_DNS });
      cleanups.push(() => controller.stop());
      await controller.settled();
    }
    const dns = await startDnsServer({ records: sampleDnsRecords() });
    cleanups.push(() => dns.close());
    const externalDns = simulateExternalDns(kube.store, dns);
    cleanups.push(() => externalDns.stop());
    const proxy = await startSandboxProxy(kube.store, edge);
    cleanups.push(() => proxy.close());

    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-sandbox-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, kube.kubeconfig(), { mode: 0o600 });
    const caPath = join(dir, 'sandbox-ca.pem');
    writeFileSync(caPath, proxy.caPem);

    const botEnv: Record<string, string> = {
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      KUBECONFIG: kubeconfigPath,
      AWS_REGION: SAMPLE_REGION,
      AWS_ENDPOINT_URL: aws.url,
      DNS_SERVERS: dns.address,
      ...(edge === 'gateway'
        ? { GATEWAY: `${SAMPLE_GATEWAY.namespace}/${SAMPLE_GATEWAY.name}` }
        : { INGRESS_CONTROLLER_SERVICE: `${SAMPLE_CONTROLLER.namespace}/${SAMPLE_CONTROLLER.name}`, INGRESS_CLASS: SANDBOX_INGRESS_CLASS }),
      EXPOSE_ADMINS: SANDBOX_USERS.filter((user) => user.role === 'admin')
        .map((user) => user.id)
        .join(','),
      EXPOSE_NAMESPACES: SAMPLE_TEAM_NAMESPACES.join(','),
      ALERT_CHANNEL: SANDBOX_ALERT_CHANNEL.id,
      HEALTH_POLL_SECONDS: options.env['HEALTH_POLL_SECONDS'] ?? String(SANDBOX_HEALTH_POLL_SECONDS),
      POD_NAMESPACE: 'default',
      // The live check trusts the sandbox proxy's made-up CA, as a real one trusts ACM's public CA.
      NODE_EXTRA_CA_CERTS: caPath,
      LOG_LEVEL: options.env['LOG_LEVEL'] ?? 'info',
    };
    const bot = await startBot({
      env: botEnv,
      host: '127.0.0.1',
      // The NLB's addresses are made up (public IPs of nobody's): the live check's connections go to the local proxy.
      probeDial: () => ({ address: '127.0.0.1', port: proxy.port }),
      ...(options.logDestination === undefined ? {} : { logDestination: options.logDestination }),
    });
    cleanups.push(() => bot.stop(2000));

    const consoleServer = await startConsoleServer({
      slack,
      slackEventsUrl: `${bot.url}${SLACK_EVENTS_PATH}`,
      signingSecret,
      world,
      users: SANDBOX_USERS,
      channels: SANDBOX_CHANNELS,
      port: consolePort,
      logger: bot.logger,
    }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(
          `Port ${consolePort} on 127.0.0.1 is already in use. Start the sandbox on another port, for example: PORT=${consolePort + 1} npm start`,
          { cause: error },
        );
      }
      throw error;
    });
    cleanups.push(() => consoleServer.close());

    return { consoleUrl: consoleServer.url, bot, kube, aws, slack, dns, world, botEnv, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The shared proxy behind the sandbox's NLB, for the live check: TLS with a certificate for *.example.com from a
 * CA made for this run, routing the hosts the stand-in cluster routes and answering a default 404 for others.
 */
async function startSandboxProxy(store: KubeApiServer['store'], edge: SandboxEdge) {
  const ca = await createCertificateAuthority('nlb-ingress-bot sandbox CA');
  const certificate = await createServerCertificate({
    commonName: `*.${SAMPLE_DOMAIN}`,
    dnsNames: [`*.${SAMPLE_DOMAIN}`, SAMPLE_DOMAIN],
    issuer: ca,
  });
  const served =
    edge === 'gateway'
      ? servedInCluster(store, { gateway: SAMPLE_GATEWAY })
      : servedInCluster(store, { ingressClass: SANDBOX_INGRESS_CLASS });
  const proxy = await startEdgeProxy({ certificates: [{ key: certificate.key, cert: certificate.cert }], serves: served });
  return { port: proxy.port, caPem: ca.cert, close: () => proxy.close() };
}

function parseSandboxEdge(value: string | undefined): SandboxEdge {
  const edge = (value ?? '').trim().toLowerCase();
  if (edge === '' || edge === 'ingress') return 'ingress';
  if (edge === 'gateway') return 'gateway';
  throw new ConfigError([
    `SANDBOX_EDGE must be ingress (ingress-nginx and Ingresses) or gateway (Envoy Gateway and HTTPRoutes), not ${value}`,
  ]);
}

function parseConsolePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CONSOLE_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(['PORT must be a whole number between 0 and 65535']);
  return port;
}

/**
 * The AWS SDK's default chain reads credentials from the process environment. The stand-in only checks
 * that requests are signed, so the sandbox signs with made-up keys: real ones (a profile, temporary
 * credentials, instance metadata) are never looked up.
 */
function useSandboxAwsCredentials(): void {
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIASANDBOXEXAMPLE00';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox-secret-access-key-not-real';
  delete process.env['AWS_SESSION_TOKEN'];
  delete process.env['AWS_PROFILE'];
}
