/** The ingress controller's Service, reduced to what the bot reads from it. */
export interface ControllerService {
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly externalTrafficPolicy: string | undefined;
  readonly healthCheckNodePort: number | undefined;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortSpec[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** status.loadBalancer.ingress[].hostname: for an NLB, its DNS name. */
  readonly loadBalancerHostnames: readonly string[];
}

export interface ServicePortSpec {
  readonly name: string | undefined;
  readonly port: number;
  readonly protocol: string;
  readonly targetPort: string | number | undefined;
  readonly nodePort: number | undefined;
}

export const SSL_PORTS_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';
export const SSL_CERT_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';

/**
 * Which Service ports the NLB terminates TLS on. Without a certificate, none. With one, the ports the
 * ssl-ports annotation lists (names or numbers, or "*"); without that annotation, every port, as the AWS
 * cloud provider and the AWS Load Balancer Controller do.
 */
export function isTlsPort(service: ControllerService, port: ServicePortSpec): boolean {
  if ((service.annotations[SSL_CERT_ANNOTATION] ?? '').trim() === '') return false;
  const value = service.annotations[SSL_PORTS_ANNOTATION];
  if (value === undefined) return true;
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.includes('*') || entries.includes(String(port.port)) || (port.name !== undefined && entries.includes(port.name));
}
