import { KubeConfig } from '@kubernetes/client-node';

/**
 * KUBECONFIG when set; otherwise client-node's default order: ~/.kube/config, then the Pod's
 * ServiceAccount (in-cluster) when running in a cluster.
 */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (kubeconfigPath === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(kubeconfigPath);
  return kubeConfig;
}
