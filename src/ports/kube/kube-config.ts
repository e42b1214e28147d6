import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../errors.js';
import type { BearerTokenSource } from './eks-token.js';

/**
 * client-node's KubeConfig, plus a deadline on every request: client-node sets none, and one hung call would
 * hold a command's answer (or a health poll) forever. KubeConfig is the authentication step of every request
 * made through makeApiClient, so the signal is attached there.
 */
class KubeConfigWithDeadline extends KubeConfig {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override async applySecurityAuthentication(context: Parameters<KubeConfig['applySecurityAuthentication']>[0]): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setSignal(AbortSignal.timeout(this.timeoutMs));
  }
}

/** Where the bot is: in a Pod (KUBERNETES_SERVICE_HOST set), it may use the Pod's ServiceAccount. */
export interface KubeSource {
  /** KUBECONFIG, when set. */
  readonly kubeconfigPath: string | undefined;
  readonly inCluster: boolean;
  /** The home directory whose .kube/config is the fallback; the user's own when absent. */
  readonly home?: string;
}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * KUBECONFIG when set; otherwise ~/.kube/config when it exists; otherwise the Pod's ServiceAccount when the
 * bot runs in a Pod. Checked at start, so a missing, unreadable or incomplete configuration is one clear line
 * (and exit 78) instead of client-node's silent fallback to localhost:8080 and a failure on every command.
 */
export function loadKubeConfig(source: KubeSource, timeoutMs: number): KubeConfig {
  const kubeConfig = new KubeConfigWithDeadline(timeoutMs);
  const home = join(source.home ?? homedir(), '.kube', 'config');
  if (source.kubeconfigPath !== undefined || existsSync(home)) {
    const path = source.kubeconfigPath ?? home;
    loadFile(kubeConfig, path, source.kubeconfigPath !== undefined);
    requireCurrentContext(kubeConfig, path);
    return kubeConfig;
  }
  if (!source.inCluster) {
    throw new ConfigError([
      `KUBECONFIG is not set, ${home} does not exist, and the bot is not in a Pod: it has no way to reach Kubernetes`,
    ]);
  }
  if (!existsSync(SERVICE_ACCOUNT_TOKEN)) {
    throw new ConfigError([
      `the bot runs in a Pod without a ServiceAccount token (${SERVICE_ACCOUNT_TOKEN}): keep automountServiceAccountToken on`,
    ]);
  }
  kubeConfig.loadFromCluster();
  return kubeConfig;
}

/** The current context exists and names a cluster with a server and a user. */
function requireCurrentContext(kubeConfig: KubeConfig, path: string): void {
  const current = kubeConfig.getCurrentContext();
  if (current === '' || current === undefined) {
    throw new ConfigError([`the kubeconfig ${path} has no current-context: choose one with kubectl config use-context <name>`]);
  }
  const context = kubeConfig.getContextObject(current);
  const cluster = context === null ? null : kubeConfig.getCluster(context.cluster);
  const problem =
    context === null
      ? `its current-context ${JSON.stringify(current)} is not one of its contexts`
      : cluster === null
        ? `its current-context ${JSON.stringify(current)} names the cluster ${JSON.stringify(context.cluster)}, which it does not define`
        : cluster.server === ''
          ? `its cluster ${JSON.stringify(cluster.name)} has no server`
          : kubeConfig.getUser(context.user) === null
            ? `its current-context ${JSON.stringify(current)} names the user ${JSON.stringify(context.user)}, which it does not define`
            : undefined;
  if (problem !== undefined) throw new ConfigError([`the kubeconfig ${path} cannot be used: ${problem}`]);
}

/** One context of KUBECONFIG (or ~/.kube/config): an edge whose cluster the bot reaches with that context's user. */
export function loadKubeContext(kubeconfigPath: string | undefined, contextName: string, timeoutMs: number): KubeConfig {
  const path = kubeconfigPath ?? join(homedir(), '.kube', 'config');
  const kubeConfig = new KubeConfigWithDeadline(timeoutMs);
  loadFile(kubeConfig, path, kubeconfigPath !== undefined);
  const context = kubeConfig.getContextObject(contextName);
  const name = JSON.stringify(contextName);
  if (context === null) {
    const known = kubeConfig.getContexts().map((entry) => JSON.stringify(entry.name));
    throw new ConfigError([`KUBECONFIG ${path} has no context ${name} (its contexts: ${known.join(', ') || 'none'})`]);
  }
  const missing = [
    kubeConfig.getCluster(context.cluster) === null ? `the cluster ${JSON.stringify(context.cluster)}` : undefined,
    kubeConfig.getUser(context.user) === null ? `the user ${JSON.stringify(context.user)}` : undefined,
  ].filter((part) => part !== undefined);
  if (missing.length > 0)
    throw new ConfigError([`KUBECONFIG ${path}: the context ${name} names ${missing.join(' and ')}, which it does not define`]);
  kubeConfig.setCurrentContext(contextName);
  return kubeConfig;
}

/** How an EKS edge's cluster is reached without a kubeconfig: what `aws eks describe-cluster` tells. */
export interface EksClusterAccess {
  readonly cluster: string;
  /** The API server endpoint, https. */
  readonly endpoint: string;
  /** Base64 of the cluster's PEM CA certificate (certificateAuthority.data). */
  readonly certificateAuthorityData: string;
}

const EKS_AUTH_PROVIDER = 'nlb-ingress-bot-eks-token';

/**
 * A KubeConfig for an EKS cluster whose requests carry `Authorization: Bearer <EKS token>`, a fresh one from
 * `tokens` (EksTokenSource reuses one for ten minutes). The token goes in through client-node's own extension
 * point for credentials (an Authenticator for the user's auth provider), so every kind of request gets it.
 */
export function loadEksKubeConfig(eks: EksClusterAccess, tokens: BearerTokenSource, timeoutMs: number): KubeConfig {
  const kubeConfig = new KubeConfigWithDeadline(timeoutMs);
  const user = { name: `eks-token/${eks.cluster}`, authProvider: { name: EKS_AUTH_PROVIDER } };
  kubeConfig.loadFromOptions({
    clusters: [{ name: eks.cluster, server: eks.endpoint, caData: eks.certificateAuthorityData, skipTLSVerify: false }],
    users: [user],
    contexts: [{ name: eks.cluster, cluster: eks.cluster, user: user.name }],
    currentContext: eks.cluster,
  });
  kubeConfig.addAuthenticator({
    isAuthProvider: (candidate) => (candidate.authProvider as { name?: unknown } | undefined)?.name === EKS_AUTH_PROVIDER,
    applyAuthentication: async (_user, options) => {
      options.headers = { ...options.headers, Authorization: `Bearer ${await tokens.token()}` };
    },
  });
  return kubeConfig;
}

function loadFile(kubeConfig: KubeConfig, path: string, fromEnvironment: boolean): void {
  try {
    kubeConfig.loadFromFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : 'is not a valid kubeconfig';
    throw new ConfigError([
      fromEnvironment ? `KUBECONFIG points to ${path}, which ${reason}` : `KUBECONFIG is not set, and ${path} ${reason}`,
    ]);
  }
}
