import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../../config.js';

/**
 * KUBECONFIG when set; otherwise client-node's default order: ~/.kube/config, then the Pod's
 * ServiceAccount (in-cluster) when running in a cluster.
 */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
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
