import type { CoreV1Api, V1ConfigMap } from '@kubernetes/client-node';
import { type ApprovalDecision, keptDecisions, parseDecision } from '../../domain/approval-decision.js';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../domain/ownership.js';
import type { CallMeter } from '../../metrics.js';
import { kubeCall, kubeStatus } from './kube-call.js';

/** What recording a decision found: it is now the recorded one, or another was recorded before it. */
export type DecisionResult = { readonly kind: 'recorded' } | { readonly kind: 'decided-before'; readonly decision: ApprovalDecision };

/** Decisions on approval requests, kept in the cluster so every replica sees the first one. */
export interface DecisionStore {
  /** Records `decision` for the request unless a decision is recorded already; atomic across replicas. */
  decide(requestId: string, decision: ApprovalDecision): Promise<DecisionResult>;
}

export interface DecisionGatewayOptions {
  readonly namespace: string;
  readonly name: string;
  /** Records older than this are dropped when a new one is written (the buttons' lifetime). */
  readonly maxAgeMs: number;
  /** At most this many records are kept (a ConfigMap holds at most 1 MiB). */
  readonly maxEntries: number;
}

/** Writes that lost a race are tried again this many times, each after reading the ConfigMap anew. */
const ATTEMPTS = 8;

/**
 * One ConfigMap in the bot's namespace, one key per request id. Every write carries the resourceVersion
 * it read (or is a plain create), so of two decisions at the same moment exactly one is stored: the other
 * gets 409, reads again, and finds the winner's record.
 */
export class DecisionGateway implements DecisionStore {
  constructor(
    private readonly core: CoreV1Api,
    private readonly metrics: CallMeter,
    private readonly options: DecisionGatewayOptions,
  ) {}

  async decide(requestId: string, decision: ApprovalDecision): Promise<DecisionResult> {
    const { namespace, name } = this.options;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const current = await this.read();
      const before = parseDecision(current?.data?.[requestId]);
      if (before !== undefined) return { kind: 'decided-before', decision: before };
      const data = keptDecisions(current?.data ?? {}, { id: requestId, decision }, { now: decision.at, ...this.options });
      const body: V1ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace,
          labels: { [MANAGED_BY_LABEL]: BOT_NAME },
          ...(current === undefined ? {} : { resourceVersion: current.metadata?.resourceVersion ?? '' }),
        },
        data,
      };
      const object = `the ConfigMap ${namespace}/${name}`;
      try {
        if (current === undefined) {
          await kubeCall(this.metrics, 'createNamespacedConfigMap', () => this.core.createNamespacedConfigMap({ namespace, body }), {
            verb: 'create',
            object,
          });
        } else {
          await kubeCall(
            this.metrics,
            'replaceNamespacedConfigMap',
            () => this.core.replaceNamespacedConfigMap({ namespace, name, body }),
            { verb: 'update', object },
          );
        }
        return { kind: 'recorded' };
      } catch (error) {
        // 409: another decision (or the creation of the ConfigMap) was written in between: read again.
        if (kubeStatus(error) !== 409) throw error;
      }
    }
    throw new Error(`the ConfigMap ${namespace}/${name} changed ${ATTEMPTS} times in a row while a decision was recorded`);
  }

  private async read(): Promise<V1ConfigMap | undefined> {
    const { namespace, name } = this.options;
    try {
      return await kubeCall(this.metrics, 'readNamespacedConfigMap', () => this.core.readNamespacedConfigMap({ namespace, name }), {
        verb: 'read',
        object: `the ConfigMap ${namespace}/${name}`,
      });
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }
}
