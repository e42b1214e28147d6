import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../errors.js';

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

/**
 * KUBECONFIG when set; otherwise client-node's default order: ~/.kube/config, then the Pod's
 * ServiceAccount (in-cluster) when running in a cluster.
 */
export function loadKubeConfig(kubeconfigPath: string | undefined, timeoutMs: number): KubeConfig {
  const kubeConfig = new KubeConfigWithDeadline(timeoutMs);
  if (kubeconfigPath === undefined) {
    kubeConfig.loadFromDefault();
    return kubeConfig;
  }
  try {
    kubeConfig.loadFromFile(kubeconfigPath);
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'does not exist' : 'is not a valid kubeconfig';
    throw new ConfigError([`KUBECONFIG points to ${kubeconfigPath}, which ${reason}`]);
  }
  return kubeConfig;
}
