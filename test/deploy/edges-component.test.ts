import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { STAND_IN_CA_DATA } from '../../dev/stand-ins/stand-in-tls.js';
import { loadConfig } from '../../src/config.js';

const component = join(import.meta.dirname, '..', '..', 'manifests', 'bot', 'edges');
const base = join(import.meta.dirname, '..', '..', 'manifests', 'bot');
const read = (dir: string, file: string) => parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;

type Loose = Record<string, unknown> & { data: Record<string, string> };

/** The base's bot ConfigMap with the component's JSON patch applied (remove operations only, as it ships). */
function patchedConfig(): Record<string, string> {
  const config = read(base, 'config.yaml') as Loose;
  const kustomization = read(component, 'kustomization.yaml') as { patches: Array<{ patch?: string; target?: { name: string } }> };
  const data = { ...config.data };
  for (const entry of kustomization.patches) {
    if (entry.target?.name !== 'nlb-ingress-bot-config' || entry.patch === undefined) continue;
    for (const operation of parse(entry.patch) as Array<{ op: string; path: string }>) {
      expect(operation.op).toBe('remove');
      const key = operation.path.replace(/^\/data\//, '');
      expect(data).toHaveProperty(key);
      delete data[key];
    }
  }
  return data;
}

describe('the optional edges component (manifests/bot/edges)', () => {
  it('is a kustomize Component with the edges ConfigMap, the Deployment patch and the config patch', () => {
    const kustomization = read(component, 'kustomization.yaml');
    expect(kustomization['kind']).toBe('Component');
    expect(kustomization['resources']).toEqual(['edges.yaml']);
    const patch = read(component, 'deployment-patch.yaml') as Loose;
    const container = (patch['spec'] as Loose)['template'] as { spec: { containers: Array<Record<string, unknown>>; volumes: unknown[] } };
    const deployment = read(base, 'deployment.yaml') as Loose;
    expect((patch['metadata'] as Loose)['name']).toBe((deployment['metadata'] as Loose)['name']);
    expect(container.spec.containers[0]).toMatchObject({
      name: 'bot',
      env: [{ name: 'EDGES_FILE', value: '/etc/nlb-ingress-bot/edges.yaml' }],
      volumeMounts: [{ name: 'edges', mountPath: '/etc/nlb-ingress-bot', readOnly: true }],
    });
    expect(container.spec.volumes).toEqual([{ name: 'edges', configMap: { name: 'nlb-ingress-bot-edges' } }]);
  });

  it('ships an edges file and a config the bot accepts together (once the placeholders are filled in)', () => {
    const configMap = read(component, 'edges.yaml') as Loose;
    const text = configMap.data['edges.yaml'] ?? '';
    expect(text).toContain('PLACEHOLDER');
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-edges-'));
    const path = join(dir, 'edges.yaml');
    writeFileSync(path, text.replace('PLACEHOLDER_BASE64_CA', STAND_IN_CA_DATA));
    const config = loadConfig({
      ...patchedConfig(),
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      EDGES_FILE: path,
    });
    expect(config.edges.map((edge) => [edge.name, edge.region, edge.mode, edge.cluster.kind])).toEqual([
      ['prod', 'eu-west-1', 'ingress', 'own'],
      ['staging', 'us-east-1', 'gateway', 'eks'],
    ]);
  });

  it('is refused by the bot when the config still sets what the file replaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlb-bot-edges-'));
    const path = join(dir, 'edges.yaml');
    writeFileSync(
      path,
      (read(component, 'edges.yaml') as Loose).data['edges.yaml']?.replace('PLACEHOLDER_BASE64_CA', STAND_IN_CA_DATA) ?? '',
    );
    const unpatched = (read(base, 'config.yaml') as Loose).data;
    expect(() =>
      loadConfig({
        ...unpatched,
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
        EDGES_FILE: path,
      }),
    ).toThrow(/INGRESS_CLASS is set together with EDGES_FILE/);
  });
});
