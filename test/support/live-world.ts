import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsWorld } from '../../dev/stand-ins/aws-api-server.js';
import type { DnsRecord } from '../../dev/stand-ins/dns-server.js';
import {
  type EdgeProxy,
  type ProxyCertificate,
  type ServedHosts,
  servedInCluster,
  startEdgeProxy,
} from '../../dev/stand-ins/edge-proxy.js';
import { type IngressController, startIngressController } from '../../dev/stand-ins/ingress-controller.js';
import type { KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_GATEWAY } from '../../dev/stand-ins/sample-gateway-world.js';
import { SAMPLE_NLB_DNS, SAMPLE_NLB_NAME, seedSampleWorld } from '../../dev/stand-ins/sample-world.js';
import type { LiveCheckTiming } from '../../src/commands/live-checks.js';
import { GATEWAY_MODE } from './gateway-world.js';
import type { HarnessOptions } from './harness.js';
import { createCertificateAuthority, createServerCertificate, type TestCertificate } from './test-certificates.js';

/**
 * The sample world made live on loopback, for tests of the live check: the NLB's public addresses are
 * loopback addresses (127.0.0.1 and 127.0.0.2 by default), its TLS listener is on the port of a stand-in
 * proxy (edge-proxy.ts) listening on those addresses with certificates of a test CA, the bot trusts that CA
 * through NODE_EXTRA_CA_CERTS, the DNS stand-in resolves the NLB's name to the addresses, and, in Ingress
 * mode, a stand-in ingress controller sets the status of Ingresses of the class. The proxy serves what the
 * stand-in cluster routes (servedInCluster) unless told otherwise.
 */

export const NLB_ADDRESSES = ['127.0.0.1', '127.0.0.2'] as const;

/** A live check's timing for tests: at once, then every 200 ms (doubling) while DNS is missing, for a few seconds. */
export const QUICK_LIVE_CHECK: LiveCheckTiming = { firstDelayMs: 0, retryDelayMs: 200, retryForMs: 4000 };

/** The test CA and the certificates the proxy may present; made once per test file (ECDSA: a few ms each). */
export interface LivePki {
  readonly ca: TestCertificate;
  /** *.example.com and example.com, signed by the CA: covers every sample host. */
  readonly wildcard: TestCertificate;
  /** shop.example.org only, signed by the CA: covers none of the sample hosts. */
  readonly otherNames: TestCertificate;
}

export async function createLivePki(): Promise<LivePki> {
  const ca = await createCertificateAuthority('Live Check Test CA');
  const wildcard = await createServerCertificate({ commonName: '*.example.com', dnsNames: ['*.example.com', 'example.com'], issuer: ca });
  const otherNames = await createServerCertificate({
    commonName: 'shop.example.org',
    dnsNames: ['shop.example.org', '*.shop.example.org'],
    issuer: ca,
  });
  return { ca, wildcard, otherNames };
}

export interface LiveWorldOptions {
  readonly mode?: 'ingress' | 'gateway';
  /** The NLB's public addresses (default NLB_ADDRESSES). */
  readonly nlbAddresses?: readonly string[];
  /** Where the proxy listens (default: every NLB address); an address left out refuses connections. */
  readonly listening?: readonly string[];
  /** The proxy's certificates, the default first (default: the wildcard). */
  readonly certificates?: readonly ProxyCertificate[];
  /** What the proxy routes (default: what the stand-in cluster routes). */
  readonly serves?: ServedHosts;
  /** More DNS records, next to the NLB's name (which resolves to its addresses). */
  readonly dns?: Record<string, DnsRecord>;
  readonly timing?: LiveCheckTiming;
  readonly env?: Record<string, string>;
  /** Ingress mode: false leaves Ingresses without status (no controller reports), for the test to write it. */
  readonly ingressController?: boolean;
  /** More objects in the cluster, after the sample world's. */
  readonly objects?: readonly KubeObject[];
}

/** What a live world runs next to the harness; set once the harness has started. */
export interface LiveWorld {
  readonly proxy: EdgeProxy;
  readonly ingressController: IngressController | undefined;
  readonly caFile: string;
}

/**
 * Harness options for a live world, and a getter of what it runs (the proxy, to change what it serves and
 * read what it was asked). The proxy starts in the harness's `prepare` hook, and the NLB's TLS listener takes
 * its port there: DescribeListeners reports that port, as the live check reads it.
 */
export function liveWorld(pki: LivePki, options: LiveWorldOptions = {}): { readonly harness: HarnessOptions; world(): LiveWorld } {
  const mode = options.mode ?? 'ingress';
  const addresses = options.nlbAddresses ?? NLB_ADDRESSES;
  let running: LiveWorld | undefined;
  const base: HarnessOptions = mode === 'gateway' ? GATEWAY_MODE : { seed: seedSampleWorld };
  const seed = (kube: KubeStore, aws: AwsWorld) => {
    base.seed?.(kube, aws);
    for (const object of options.objects ?? []) kube.upsert(object);
    const nlb = aws.loadBalancers.find((candidate) => candidate.name === SAMPLE_NLB_NAME);
    if (nlb === undefined) throw new Error('the sample NLB is missing');
    nlb.zones.forEach((zone, index) => {
      const address = zone.addresses[0];
      const ip = addresses[index];
      if (address !== undefined && ip !== undefined) address.ipAddress = ip;
    });
  };
  const harness: HarnessOptions = {
    ...base,
    seed,
    env: { ...base.env, ...options.env },
    dns: { [SAMPLE_NLB_DNS]: { a: [...addresses] }, ...options.dns },
    liveCheckTiming: options.timing ?? QUICK_LIVE_CHECK,
    async prepare({ kube, aws, dir }) {
      const caFile = join(dir, 'live-check-ca.pem');
      writeFileSync(caFile, pki.ca.cert);
      const proxy = await startEdgeProxy({
        addresses: options.listening ?? addresses,
        certificates: options.certificates ?? [pki.wildcard],
        serves: options.serves ?? servedInCluster(kube.store, mode === 'gateway' ? { gateway: SAMPLE_GATEWAY } : { ingressClass: 'nginx' }),
      });
      for (const listener of aws.world.listeners) if (listener.protocol === 'TLS') listener.port = proxy.port;
      const ingressController =
        mode === 'ingress' && options.ingressController !== false
          ? startIngressController(kube.store, { ingressClass: 'nginx', address: SAMPLE_NLB_DNS, delayMs: 0 })
          : undefined;
      await ingressController?.settled();
      running = { proxy, ingressController, caFile };
      return {
        env: { NODE_EXTRA_CA_CERTS: caFile },
        close: async () => {
          ingressController?.stop();
          await proxy.close();
        },
      };
    },
  };
  return {
    harness,
    world() {
      if (running === undefined) throw new Error('the live world starts with the harness');
      return running;
    },
  };
}

export type CheckStepTitle = 'Route' | 'DNS' | 'TLS' | 'HTTP';
export interface ShownStep {
  readonly status: 'pass' | 'fail' | 'skipped';
  /** What was found, then (on failure) `→ what to do`. */
  readonly text: string;
}

const STEP_STATUS: Readonly<Record<string, ShownStep['status']>> = {
  ':white_check_mark:': 'pass',
  ':x:': 'fail',
  ':white_circle:': 'skipped',
};

/** The steps of a live check message as a reader sees them: one section per step, by its title. */
export function shownSteps(message: Readonly<Record<string, unknown>>): Partial<Record<CheckStepTitle, ShownStep>> {
  const raw = message['blocks'];
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Array<{ type?: string; text?: { text?: string } }>;
  const steps: Partial<Record<CheckStepTitle, ShownStep>> = {};
  for (const block of blocks) {
    const found = /^(:[a-z_]+:) \*(Route|DNS|TLS|HTTP)\*: ([\s\S]*)$/.exec(block.type === 'section' ? (block.text?.text ?? '') : '');
    const status = STEP_STATUS[found?.[1] ?? ''];
    if (found !== null && status !== undefined) steps[found[2] as CheckStepTitle] = { status, text: found[3] ?? '' };
  }
  return steps;
}

/** The header of a Slack message (a live check's title: "Reachable: …" or "Not reachable yet: …"). */
export function headerOf(message: Readonly<Record<string, unknown>>): string | undefined {
  const raw = message['blocks'];
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Array<{ type?: string; text?: { text?: string } }>;
  return blocks.find((block) => block.type === 'header')?.text?.text;
}
