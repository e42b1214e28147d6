import type { ListenerCertificate } from '../domain/certificate.js';
import type { LoadBalancer } from '../domain/load-balancer.js';
import type { AcmReader } from '../ports/aws/acm-gateway.js';
import type { Elbv2Reader } from '../ports/aws/elbv2-gateway.js';

export interface ListenerCertificateSources {
  readonly elbv2: Pick<Elbv2Reader, 'describeListeners' | 'describeListenerCertificates'>;
  readonly acm: AcmReader;
}

/**
 * Every certificate on the NLB's TLS listeners, with its ACM details: the listener's default
 * certificate and the extra SNI certificates (DescribeListenerCertificates returns both).
 * A certificate used by several listeners is described once.
 */
export async function readListenerCertificates(
  loadBalancer: Pick<LoadBalancer, 'arn'>,
  sources: ListenerCertificateSources,
): Promise<ListenerCertificate[]> {
  const listeners = (await sources.elbv2.describeListeners(loadBalancer.arn)).filter(
    (listener) => listener.protocol === 'TLS' || listener.protocol === 'HTTPS',
  );
  const attached = await Promise.all(
    listeners.map(async (listener) =>
      (await sources.elbv2.describeListenerCertificates(listener.arn)).map((entry) => ({ listenerPort: listener.port, ...entry })),
    ),
  );
  const entries = attached.flat();
  const arns = [...new Set(entries.map((entry) => entry.arn))];
  const described = new Map(await Promise.all(arns.map(async (arn) => [arn, await sources.acm.describeCertificate(arn)] as const)));
  return entries.flatMap((entry) => {
    const certificate = described.get(entry.arn);
    return certificate === undefined ? [] : [{ listenerPort: entry.listenerPort, isDefault: entry.isDefault, certificate }];
  });
}
