import type { KubeObject, KubeStore } from '../../dev/stand-ins/kube-api-server.js';
import { SAMPLE_GATEWAY_CONTROLLER_NAME, seedSampleGatewayWorld } from '../../dev/stand-ins/sample-gateway-world.js';
import { SAMPLE_NLB_DNS } from '../../dev/stand-ins/sample-world.js';
import { blockKitProblems } from './block-kit.js';
import type { Harness, HarnessOptions } from './harness.js';

export const GATEWAY_API_V1 = 'gateway.networking.k8s.io/v1';
export const HTTP_ROUTE = [GATEWAY_API_V1, 'HTTPRoute'] as const;
export const GATEWAY = [GATEWAY_API_V1, 'Gateway'] as const;

/** The sample Gateway world (edge/shared on Envoy Gateway) with the stand-in controller writing status, in Gateway mode. */
export const GATEWAY_MODE: HarnessOptions = {
  seed: seedSampleGatewayWorld,
  env: { GATEWAY: 'edge/shared' },
  gatewayController: { controllerName: SAMPLE_GATEWAY_CONTROLLER_NAME, address: SAMPLE_NLB_DNS },
};

/** A route some team wrote by hand, attached to edge/shared (every listener unless `sectionName`), to team-b/reports:80. */
export function foreignRoute(
  kind: 'HTTPRoute' | 'GRPCRoute',
  namespace: string,
  name: string,
  hostnames: readonly string[],
  options: { readonly path?: string; readonly sectionName?: string; readonly service?: string } = {},
): KubeObject {
  const backendRefs = [{ name: options.service ?? 'reports', port: 80 }];
  return {
    apiVersion: GATEWAY_API_V1,
    kind,
    metadata: { namespace, name, labels: { app: 'hand-written' } },
    spec: {
      parentRefs: [
        { namespace: 'edge', name: 'shared', ...(options.sectionName === undefined ? {} : { sectionName: options.sectionName }) },
      ],
      hostnames: [...hostnames],
      rules: [
        kind === 'HTTPRoute'
          ? { matches: [{ path: { type: 'PathPrefix', value: options.path ?? '/' } }], backendRefs }
          : { matches: [{ method: { service: 'reports.v1.Reports' } }], backendRefs },
      ],
    },
  };
}

/** The sample Gateway world plus more objects. */
export function seedGatewayWorldWith(...objects: KubeObject[]): NonNullable<HarnessOptions['seed']> {
  return (kube: KubeStore, aws) => {
    seedSampleGatewayWorld(kube, aws);
    for (const object of objects) kube.upsert(object);
  };
}

/** The controller's status entry for the route's first parent (as stored), or undefined. */
export function parentConditions(route: KubeObject | undefined): Array<Record<string, unknown>> | undefined {
  const parents = (route?.['status'] as { parents?: Array<{ conditions?: Array<Record<string, unknown>> }> } | undefined)?.parents;
  return parents?.[0]?.conditions;
}

const SLACK_MAX_BLOCKS = 50;

/**
 * Block Kit problems of every message the bot sent to the stand-in Slack: response_url answers, chat.postMessage,
 * chat.postEphemeral and chat.update. Section, header, context and divider blocks by the rules in block-kit.ts;
 * actions blocks by Slack's limits on buttons and their confirmation dialogs. Empty: all valid.
 */
export function slackMessageProblems(h: Harness): string[] {
  const sent: Array<{ where: string; message: Readonly<Record<string, unknown>> }> = [
    ...h.slack.responses.map((post) => ({ where: `response_url ${post.id}`, message: post.body })),
    ...h.slack.calls
      .filter((call) => ['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(call.method))
      .map((call, index) => ({ where: `${call.method} #${index}`, message: call.args })),
  ];
  if (sent.length === 0) return ['the bot sent no message to check'];
  return sent.flatMap(({ where, message }) => messageProblems(message).map((problem) => `${where}: ${problem}`));
}

function messageProblems(message: Readonly<Record<string, unknown>>): string[] {
  const raw = message['blocks'];
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Array<Record<string, unknown>>;
  const problems: string[] = [];
  const text = message['text'];
  if (typeof text !== 'string' || text.length === 0) problems.push('no text fallback');
  else if (text.length > 40_000) problems.push(`text fallback of ${text.length} characters; at most 40000`);
  if (blocks.length === 0 && message['delete_original'] !== true) problems.push('no blocks');
  if (blocks.length > SLACK_MAX_BLOCKS) problems.push(`${blocks.length} blocks; a message holds at most ${SLACK_MAX_BLOCKS}`);
  const others = blocks.filter((block) => block['type'] !== 'actions');
  problems.push(...blockKitProblems({ type: 'message', blocks: others }, SLACK_MAX_BLOCKS));
  for (const block of blocks.filter((candidate) => candidate['type'] === 'actions')) problems.push(...actionsProblems(block));
  return problems;
}

function actionsProblems(block: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const elements = (block['elements'] as Array<Record<string, unknown>> | undefined) ?? [];
  if (elements.length < 1 || elements.length > 25) problems.push(`actions: ${elements.length} elements; 1-25`);
  if (String(block['block_id'] ?? '').length > 255) problems.push('actions: block_id over 255 characters');
  const plain = (value: unknown, max: number, where: string) => {
    const object = value as { type?: unknown; text?: unknown } | undefined;
    if (object?.type !== 'plain_text') problems.push(`${where}: not a plain_text object`);
    const length = String(object?.text ?? '').length;
    if (length < 1 || length > max) problems.push(`${where}: ${length} characters; 1-${max}`);
  };
  const actionIds = new Set<string>();
  elements.forEach((element, index) => {
    const at = `actions.elements[${index}]`;
    if (element['type'] !== 'button') problems.push(`${at}: a ${String(element['type'])}, not a button`);
    plain(element['text'], 75, `${at}.text`);
    const actionId = String(element['action_id'] ?? '');
    if (actionId.length < 1 || actionId.length > 255) problems.push(`${at}: action_id of ${actionId.length} characters`);
    if (actionIds.has(actionId)) problems.push(`${at}: action_id ${actionId} twice in one block`);
    actionIds.add(actionId);
    if (String(element['value'] ?? '').length > 2000) problems.push(`${at}: value over 2000 characters`);
    if (element['style'] !== undefined && !['primary', 'danger'].includes(String(element['style']))) problems.push(`${at}: style`);
    const confirm = element['confirm'] as Record<string, unknown> | undefined;
    if (confirm !== undefined) {
      plain(confirm['title'], 100, `${at}.confirm.title`);
      plain(confirm['text'], 300, `${at}.confirm.text`);
      plain(confirm['confirm'], 30, `${at}.confirm.confirm`);
      plain(confirm['deny'], 30, `${at}.confirm.deny`);
    }
  });
  return problems;
}
