import type { DnsServer } from '../stand-ins/dns-server.js';
import type { KubeChange, KubeObject, KubeStore } from '../stand-ins/kube-api-server.js';
import { SAMPLE_DOMAIN, SAMPLE_NLB_DNS } from '../stand-ins/sample-world.js';

/** The ExternalDNS Deployment of the sandbox's cluster: it reads Ingresses and HTTPRoutes of example.com. */
export function externalDnsDeployment(): KubeObject {
  const labels = { 'app.kubernetes.io/name': 'external-dns' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { namespace: 'external-dns', name: 'external-dns', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'external-dns',
              image: 'registry.k8s.io/external-dns/external-dns:v0.15.1',
              args: [
                '--source=ingress',
                '--source=gateway-httproute',
                `--domain-filter=${SAMPLE_DOMAIN}`,
                '--provider=aws',
                '--txt-owner-id=sandbox',
              ],
            },
          ],
        },
      },
    },
    status: { replicas: 1, readyReplicas: 1 },
  };
}

/**
 * What that ExternalDNS does, as far as the sandbox's DNS goes: a few seconds after an Ingress or HTTPRoute for a
 * host of example.com appears, the host gets a CNAME to the NLB in the DNS stand-in; when the last route of a host
 * goes, so does its record. So the live check after an apply sees DNS appear, as it would in a real cluster.
 */
export function simulateExternalDns(store: KubeStore, dns: DnsServer, delayMs = 3000): { stop(): void } {
  const timers = new Set<NodeJS.Timeout>();
  const hostsOf = (object: KubeObject): string[] => {
    const spec = (object['spec'] ?? {}) as { rules?: Array<{ host?: string }>; hostnames?: string[] };
    const hosts =
      object.kind === 'Ingress'
        ? (spec.rules ?? []).flatMap((rule) => (rule.host === undefined ? [] : [rule.host]))
        : (spec.hostnames ?? []);
    return hosts.map((host) => host.toLowerCase()).filter((host) => host === SAMPLE_DOMAIN || host.endsWith(`.${SAMPLE_DOMAIN}`));
  };
  const routed = (host: string) =>
    [...store.list('networking.k8s.io/v1', 'Ingress'), ...store.list('gateway.networking.k8s.io/v1', 'HTTPRoute')].some((object) =>
      hostsOf(object).includes(host),
    );
  const onChange = (change: KubeChange) => {
    if (change.object.kind !== 'Ingress' && change.object.kind !== 'HTTPRoute') return;
    for (const host of hostsOf(change.object)) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (routed(host)) {
          if (!dns.records.has(host)) dns.records.set(host, { cname: SAMPLE_NLB_DNS });
        } else if (dns.records.get(host)?.cname === SAMPLE_NLB_DNS) {
          dns.records.delete(host);
        }
      }, delayMs);
      timer.unref();
      timers.add(timer);
    }
  };
  store.on('change', onChange);
  return {
    stop() {
      store.off('change', onChange);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
