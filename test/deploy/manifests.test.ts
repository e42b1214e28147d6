import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are YAML documents of any shape; the assertions check them
type Loose = any;

const root = join(import.meta.dirname, '..', '..');
const manifests = join(root, 'manifests');

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

function documents(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS() as unknown;
  });
}

/** The objects `kubectl apply -k manifests/bot` creates: every resource file of the kustomization. */
function kustomizedObjects(): KubeObject[] {
  const kustomization = parse(readFileSync(join(manifests, 'bot', 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) => documents(join(manifests, 'bot', file)) as KubeObject[]);
}

function find<T extends KubeObject>(objects: KubeObject[], kind: string, name?: string): T {
  const found = objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  if (found === undefined) throw new Error(`no ${kind} ${name ?? ''} in manifests/bot`);
  return found as T;
}

async function validate(object: KubeObject): Promise<void> {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [undefined, object.apiVersion];
  const modulePath = `kubernetes-models/${group === undefined ? '' : `${group}/`}${version}/${object.kind}`;
  const module = (await import(modulePath)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[object.kind];
  if (Model === undefined) throw new Error(`kubernetes-models has no ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

describe('manifests', () => {
  it('all parse as YAML', () => {
    const files = yamlFiles(manifests);
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) expect(() => documents(file)).not.toThrow();
    expect(() => JSON.parse(readFileSync(join(manifests, 'iam-policy.json'), 'utf8'))).not.toThrow();
  });

  it('lists in the kustomization only files that exist, and every object file of the directory', () => {
    const kustomization = parse(readFileSync(join(manifests, 'bot', 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    for (const file of kustomization.resources) expect(existsSync(join(manifests, 'bot', file))).toBe(true);
    const objectFiles = readdirSync(join(manifests, 'bot')).filter(
      (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml' && !file.endsWith('.example.yaml'),
    );
    expect([...kustomization.resources].sort()).toEqual(objectFiles.sort());
  });

  it('validates every Kubernetes object against the Kubernetes API schemas', async () => {
    const objects = [...kustomizedObjects(), ...(documents(join(manifests, 'bot', 'secret.example.yaml')) as KubeObject[])];
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) await expect(validate(object)).resolves.toBeUndefined();
  });

  it('rejects a broken object, so the schema check can fail', async () => {
    const deployment = structuredClone(find(kustomizedObjects(), 'Deployment'));
    (deployment['spec'] as Record<string, unknown>)['replicas'] = 'two';
    await expect(validate(deployment)).rejects.toThrow(/replicas/);
  });

  it('puts every object in an explicit namespace, except cluster-scoped ones', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
    for (const object of kustomizedObjects()) {
      if (clusterScoped.has(object.kind)) expect(object.metadata.namespace).toBeUndefined();
      else expect(object.metadata.namespace).toEqual(expect.any(String));
    }
  });
});

describe('the bot Deployment', () => {
  const objects = kustomizedObjects();
  const deployment = find<KubeObject & { spec: Loose }>(objects, 'Deployment', 'nlb-ingress-bot');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('runs two replicas with probes on /readyz and /healthz', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.ports[0].containerPort).toBe(3000);
  });

  it('sets resource requests and limits', () => {
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.resources.limits.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('runs as non-root on a read-only root filesystem without capabilities', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
  });

  it('reads the Slack tokens from the Secret whose shape secret.example.yaml shows', () => {
    const secretExample = documents(join(manifests, 'bot', 'secret.example.yaml'))[0] as KubeObject & {
      stringData: Record<string, string>;
    };
    const secretRef = container.envFrom.find((source: Loose) => source.secretRef !== undefined).secretRef.name;
    expect(secretRef).toBe(secretExample.metadata.name);
    expect(Object.keys(secretExample.stringData).sort()).toEqual(['SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(Object.values(secretExample.stringData).every((value) => /EXAMPLE|^0+$/.test(value))).toBe(true);
    expect(objects.some((object) => object.kind === 'Secret')).toBe(false);
  });

  it('gets POD_NAMESPACE from the Downward API and a ServiceAccount that exists', () => {
    const podNamespace = container.env.find((variable: Loose) => variable.name === 'POD_NAMESPACE');
    expect(podNamespace.valueFrom.fieldRef.fieldPath).toBe('metadata.namespace');
    expect(find(objects, 'ServiceAccount', pod.serviceAccountName)).toBeDefined();
  });

  it('carries a configuration the bot accepts', () => {
    const config = find<KubeObject & { data: Record<string, string> }>(objects, 'ConfigMap', 'nlb-ingress-bot-config');
    const env = {
      ...config.data,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      PORT: '3000',
      POD_NAMESPACE: 'nlb-ingress-bot',
    };
    let problems: readonly string[] = [];
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
      else throw error;
    }
    expect(problems).toEqual([]);
  });

  it('is protected by a PodDisruptionBudget that selects its pods', () => {
    const budget = find<KubeObject & { spec: Loose }>(objects, 'PodDisruptionBudget');
    expect(budget.spec.minAvailable).toBe(1);
    expect(deployment.spec.template.metadata.labels).toMatchObject(budget.spec.selector.matchLabels);
  });

  it('annotates the ServiceAccount with an IAM role for IRSA', () => {
    const account = find<KubeObject & { metadata: { annotations: Record<string, string> } }>(objects, 'ServiceAccount');
    expect(account.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::\d{12}:role\//);
  });
});

describe('the shared ingress (ingress-nginx Helm values)', () => {
  const values = parse(readFileSync(join(manifests, 'ingress-nginx', 'values.yaml'), 'utf8')) as { controller: Loose };
  const { controller } = values;
  const annotations = controller.service.annotations as Record<string, string>;

  it('asks for an internet-facing NLB that terminates TLS with ACM on the https port', () => {
    expect(controller.service.type).toBe('LoadBalancer');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-cert']).toMatch(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\//);
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-ports']).toBe('https');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled']).toBe('true');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout']).toBe('60');
  });

  it('pins static IPs with one Elastic IP per subnet', () => {
    const eips = annotations['service.beta.kubernetes.io/aws-load-balancer-eip-allocations']!.split(',');
    const subnets = annotations['service.beta.kubernetes.io/aws-load-balancer-subnets']!.split(',');
    expect(eips.every((id) => /^eipalloc-[0-9a-f]+$/.test(id.trim()))).toBe(true);
    expect(eips).toHaveLength(subnets.length);
  });

  it('uses externalTrafficPolicy Cluster', () => {
    expect(controller.service.externalTrafficPolicy).toBe('Cluster');
  });

  it('sends decrypted 443 traffic to nginx on port 80 and port 80 to the 2443 redirect', () => {
    expect(controller.service.targetPorts).toEqual({ http: 'tohttps', https: 'http' });
    expect(controller.containerPort).toMatchObject({ http: 80, tohttps: 2443 });
    expect(controller.config['http-snippet']).toMatch(/listen 2443;\s*return 308 https:\/\/\$host\$request_uri;/);
  });

  it('trusts the VPC for the real client IP and no forwarded headers', () => {
    expect(controller.config['proxy-real-ip-cidr']).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(controller.config['use-forwarded-headers']).toBe('false');
  });

  it('marks every value to replace as a placeholder', () => {
    const text = readFileSync(join(manifests, 'ingress-nginx', 'values.yaml'), 'utf8');
    for (const key of [
      'proxy-real-ip-cidr',
      'aws-load-balancer-ssl-cert',
      'aws-load-balancer-eip-allocations',
      'aws-load-balancer-subnets',
    ]) {
      const line = text.split('\n').findIndex((candidate) => candidate.includes(`${key}:`));
      const before = text
        .split('\n')
        .slice(Math.max(0, line - 4), line)
        .join('\n');
      expect(before).toContain('PLACEHOLDER');
    }
  });
});
