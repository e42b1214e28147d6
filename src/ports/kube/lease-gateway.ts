import { type CoordinationV1Api, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import { BOT_NAME, MANAGED_BY_LABEL } from '../../domain/ownership.js';
import type { CallMeter } from '../../metrics.js';
import { type KubeTarget, kubeCall, kubeStatus } from './kube-call.js';

/** The leader-election fields of a coordination.k8s.io/v1 Lease, plus its annotations (where state is kept). */
export interface LeaseFields {
  readonly holderIdentity: string | undefined;
  readonly leaseDurationSeconds: number | undefined;
  readonly acquireTime: Date | undefined;
  readonly renewTime: Date | undefined;
  readonly leaseTransitions: number;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface LeaseRecord extends LeaseFields {
  readonly resourceVersion: string;
}

/**
 * One Lease, read and written with optimistic concurrency: create answers undefined when another
 * replica created it first, replace answers undefined when the resourceVersion is stale (409) or the
 * Lease is gone (404), so "someone else won" is a value, not an error.
 */
export interface LeaseStore {
  read(): Promise<LeaseRecord | undefined>;
  create(fields: LeaseFields): Promise<LeaseRecord | undefined>;
  replace(resourceVersion: string, fields: LeaseFields): Promise<LeaseRecord | undefined>;
}

export class LeaseGateway implements LeaseStore {
  constructor(
    private readonly coordination: CoordinationV1Api,
    private readonly metrics: CallMeter,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  async read(): Promise<LeaseRecord | undefined> {
    const { namespace, name } = this;
    try {
      return toLeaseRecord(
        await kubeCall(
          this.metrics,
          'readNamespacedLease',
          () => this.coordination.readNamespacedLease({ namespace, name }),
          this.target('read'),
        ),
      );
    } catch (error) {
      if (kubeStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async create(fields: LeaseFields): Promise<LeaseRecord | undefined> {
    const body = this.toLease(fields, undefined);
    return this.orUndefinedOnConflict(() =>
      kubeCall(
        this.metrics,
        'createNamespacedLease',
        () => this.coordination.createNamespacedLease({ namespace: this.namespace, body }),
        this.target('create'),
      ),
    );
  }

  /** undefined also when the Lease was deleted meanwhile (404): the caller reads it again and re-creates it. */
  async replace(resourceVersion: string, fields: LeaseFields): Promise<LeaseRecord | undefined> {
    const body = this.toLease(fields, resourceVersion);
    return this.orUndefinedOnConflict(() =>
      kubeCall(
        this.metrics,
        'replaceNamespacedLease',
        () => this.coordination.replaceNamespacedLease({ namespace: this.namespace, name: this.name, body }),
        this.target('update'),
      ),
    );
  }

  private target(verb: KubeTarget['verb']): KubeTarget {
    return { verb, object: `the Lease ${this.namespace}/${this.name}` };
  }

  private async orUndefinedOnConflict(write: () => Promise<V1Lease>): Promise<LeaseRecord | undefined> {
    try {
      return toLeaseRecord(await write());
    } catch (error) {
      const status = kubeStatus(error);
      if (status === 409 || status === 404) return undefined;
      throw error;
    }
  }

  private toLease(fields: LeaseFields, resourceVersion: string | undefined): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { [MANAGED_BY_LABEL]: BOT_NAME },
        annotations: { ...fields.annotations },
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      },
      spec: {
        ...(fields.holderIdentity === undefined ? {} : { holderIdentity: fields.holderIdentity }),
        ...(fields.leaseDurationSeconds === undefined ? {} : { leaseDurationSeconds: fields.leaseDurationSeconds }),
        // MicroTime: the API server wants exactly six fractional digits.
        ...(fields.acquireTime === undefined ? {} : { acquireTime: new V1MicroTime(fields.acquireTime.getTime()) }),
        ...(fields.renewTime === undefined ? {} : { renewTime: new V1MicroTime(fields.renewTime.getTime()) }),
        leaseTransitions: fields.leaseTransitions,
      },
    };
  }
}

function toLeaseRecord(lease: V1Lease): LeaseRecord {
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    holderIdentity: lease.spec?.holderIdentity || undefined,
    leaseDurationSeconds: lease.spec?.leaseDurationSeconds,
    acquireTime: toDate(lease.spec?.acquireTime),
    renewTime: toDate(lease.spec?.renewTime),
    leaseTransitions: lease.spec?.leaseTransitions ?? 0,
    annotations: lease.metadata?.annotations ?? {},
  };
}

// client-node types MicroTime as a Date but hands back the JSON string it received.
function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}
