import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The objects `kubectl apply -k <dir>` sends, for the few kustomize features the shipped manifests use:
 * resources (files, and directories holding a kustomization.yaml: bases), `patches` (JSON 6902 operations, or
 * a strategic-merge `$patch: delete`) with a target selector, `labels` and `images`. Anything else in a
 * kustomization is refused, so a manifest change that needs more fails here instead of being misread.
 * When kubectl is installed, test/deploy compares this with `kubectl kustomize`.
 */
export type KustomizedObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
};

interface Target {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

interface Patch {
  readonly patch?: string;
  readonly path?: string;
  readonly target?: Target;
}

interface Kustomization {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly resources?: readonly string[];
  readonly patches?: readonly Patch[];
  readonly labels?: ReadonlyArray<{
    readonly pairs: Readonly<Record<string, string>>;
    readonly includeSelectors?: boolean;
    readonly includeTemplates?: boolean;
  }>;
  readonly images?: ReadonlyArray<{ readonly name: string; readonly newName?: string; readonly newTag?: string }>;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'patches', 'labels', 'images']);

export function kustomize(dir: string): KustomizedObject[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${dir}/kustomization.yaml: this reader does not support ${unsupported.join(', ')}`);
  let objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? kustomize(path) : documentsOf(path);
  });
  const ids = objects.map(idOf);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw new Error(`${dir}: ${duplicate} is defined twice (kustomize refuses that)`);
  for (const patch of kustomization.patches ?? []) objects = applyPatch(objects, patch, dir);
  for (const { pairs, includeSelectors, includeTemplates } of kustomization.labels ?? []) {
    if (includeSelectors === true || includeTemplates === true) throw new Error(`${dir}: labels on selectors or templates`);
    for (const object of objects) object.metadata.labels = { ...object.metadata.labels, ...pairs };
  }
  for (const image of kustomization.images ?? []) for (const object of objects) setImage(object, image);
  return objects;
}

/** `kubectl kustomize <dir>`, or undefined when kubectl is not installed. */
export function kubectlKustomize(dir: string): KustomizedObject[] | undefined {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (run.error !== undefined) return undefined;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${run.stderr}`);
  return parseAllDocuments(run.stdout).map((document) => document.toJS() as KustomizedObject);
}

export function idOf(object: KustomizedObject): string {
  return `${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function documentsOf(path: string): KustomizedObject[] {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((error) => error.message).join('; ')}`);
    return document.toJS() as KustomizedObject;
  });
}

function applyPatch(objects: KustomizedObject[], patch: Patch, dir: string): KustomizedObject[] {
  const text = patch.patch ?? (patch.path === undefined ? undefined : readFileSync(join(dir, patch.path), 'utf8'));
  if (text === undefined || patch.target === undefined) throw new Error(`${dir}: a patch needs a target and a patch or path`);
  const target = patch.target;
  const matched = objects.filter((object) => matches(object, target));
  if (matched.length === 0) throw new Error(`${dir}: the patch target ${JSON.stringify(target)} matches nothing`);
  const body = parse(text) as unknown;
  if (Array.isArray(body)) {
    for (const object of matched) for (const operation of body as Operation[]) applyOperation(object, operation);
    return objects;
  }
  if ((body as Record<string, unknown>)['$patch'] === 'delete') return objects.filter((object) => !matched.includes(object));
  throw new Error(`${dir}: this reader supports only JSON 6902 patches and $patch: delete`);
}

/** kustomize's selector: each field given must match; name and namespace are anchored regular expressions. */
function matches(object: KustomizedObject, target: Target): boolean {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const anchored = (pattern: string | undefined, value: string) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  return (
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    (target.kind === undefined || target.kind === object.kind) &&
    anchored(target.name, object.metadata.name) &&
    anchored(target.namespace, object.metadata.namespace ?? '')
  );
}

type Operation = { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown };

function applyOperation(object: KustomizedObject, operation: Operation): void {
  const keys = operation.path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  if (last === undefined) throw new Error(`JSON patch path ${operation.path}`);
  let parent: unknown = object;
  for (const key of keys) {
    parent = (parent as Record<string, unknown> | undefined)?.[key];
    if (parent === null || typeof parent !== 'object') throw new Error(`JSON patch: ${operation.path} of ${idOf(object)} has no parent`);
  }
  const container = parent as Record<string, unknown>;
  if (Array.isArray(container)) throw new Error('JSON patch: this reader does not patch arrays');
  switch (operation.op) {
    case 'add':
      container[last] = operation.value;
      return;
    case 'replace':
    case 'remove':
      if (!(last in container)) throw new Error(`JSON patch ${operation.op}: ${idOf(object)} has no ${operation.path}`);
      if (operation.op === 'remove') delete container[last];
      else container[last] = operation.value;
      return;
    default:
      throw new Error(`JSON patch: this reader does not support op ${String((operation as { op: unknown }).op)}`);
  }
}

function setImage(object: KustomizedObject, image: { name: string; newName?: string; newTag?: string }): void {
  const pod = (object['spec'] as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec;
  for (const field of ['initContainers', 'containers']) {
    for (const container of (pod?.[field] ?? []) as Array<{ image?: string }>) {
      const [name, tag] = (container.image ?? '').split(':');
      if (name !== image.name) continue;
      const newTag = image.newTag ?? tag;
      container.image = newTag === undefined ? (image.newName ?? name) : `${image.newName ?? name}:${newTag}`;
    }
  }
}
