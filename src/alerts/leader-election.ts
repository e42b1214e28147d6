import type { Logger } from '../logger.js';
import type { LeaseFields, LeaseRecord, LeaseStore } from '../ports/kube/lease-gateway.js';
import { LEASE_DURATION_SECONDS, LEASE_RENEW_DEADLINE_MS } from '../tuning.js';
import type { Clock } from './clock.js';

export interface LeaderElectorOptions {
  readonly leases: LeaseStore;
  /** This replica: the pod name plus a random suffix, so a restarted pod is a new candidate. */
  readonly identity: string;
  readonly clock: Pick<Clock, 'now'>;
  readonly logger: Logger;
  /** How long a holder that stopped renewing keeps the Lease (default 15 s). */
  readonly leaseDurationSeconds?: number;
  /** A leader that could not renew for this long stops acting (default 10 s, less than the duration). */
  readonly renewDeadlineMs?: number;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, the way client-go does it: the holder renews
 * renewTime; another replica takes over once it has seen the same record, unchanged, for a whole
 * leaseDurationSeconds by its own clock (so clocks of different nodes need not agree). Every write
 * carries the resourceVersion it read: a 409 means someone else won. All Lease calls of one replica run
 * one after another.
 */
export class LeaderElector {
  private record: LeaseRecord | undefined;
  private observedAt = 0;
  private renewedAt: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly durationSeconds: number;
  private readonly renewDeadlineMs: number;

  constructor(private readonly options: LeaderElectorOptions) {
    this.durationSeconds = options.leaseDurationSeconds ?? LEASE_DURATION_SECONDS;
    this.renewDeadlineMs = options.renewDeadlineMs ?? LEASE_RENEW_DEADLINE_MS;
  }

  get identity(): string {
    return this.options.identity;
  }

  /** Holds the Lease and renewed it recently enough to act on it. */
  isLeader(): boolean {
    return this.holds() && this.renewedAt !== undefined && this.options.clock.now() - this.renewedAt < this.renewDeadlineMs;
  }

  /** The Lease's annotations as last read or written (where the alert state lives). */
  annotations(): Readonly<Record<string, string>> {
    return this.record?.annotations ?? {};
  }

  /** Renews the Lease when held, takes it when free or expired; true when this replica is the leader. */
  tryAcquireOrRenew(): Promise<boolean> {
    return this.serialized(() => this.acquireOrRenew());
  }

  /** Writes one annotation while renewing; false when the Lease was lost meanwhile (nothing is written). */
  writeAnnotation(key: string, value: string): Promise<boolean> {
    return this.serialized(async () => {
      const record = this.record;
      if (record === undefined || !this.holds()) return false;
      const written = await this.write(record, { ...this.fieldsOf(record), annotations: { ...record.annotations, [key]: value } });
      if (!written) this.options.logger.warn({ identity: this.identity }, 'leader election: lost the Lease while saving the alert state');
      return written;
    });
  }

  /** Gives the Lease up at once (on shutdown), keeping its annotations, so another replica need not wait. */
  release(): Promise<void> {
    return this.serialized(async () => {
      const record = this.record;
      if (record === undefined || !this.holds()) return;
      const { holderIdentity: _me, ...rest } = record;
      await this.options.leases.replace(record.resourceVersion, {
        ...rest,
        holderIdentity: undefined,
        leaseDurationSeconds: 1,
        renewTime: new Date(this.options.clock.now()),
      });
      this.renewedAt = undefined;
      this.record = undefined;
      this.options.logger.info({ identity: this.identity }, 'leader election: released the Lease');
    });
  }

  private async acquireOrRenew(): Promise<boolean> {
    const wasLeader = this.isLeader();
    const result = await this.acquireOrRenewOnce();
    if (wasLeader && !result)
      this.options.logger.warn({ identity: this.identity, holder: this.record?.holderIdentity }, 'leader election: lost the Lease');
    return result;
  }

  private async acquireOrRenewOnce(): Promise<boolean> {
    const { leases, clock } = this.options;
    const mine = this.record;
    // Fast path: the holder renews with the resourceVersion it wrote last (one call); a 409 means the
    // Lease changed meanwhile, so it is read again below.
    if (mine !== undefined && this.holds()) {
      const sentAt = clock.now();
      const renewed = await leases.replace(mine.resourceVersion, this.fieldsOf(mine));
      if (renewed !== undefined) return this.settle(renewed, sentAt);
    }
    const current = await leases.read();
    if (current === undefined) {
      // A deleted Lease is re-created with the state this replica last saw in it, so alerts continue.
      const sentAt = clock.now();
      return this.settle(
        await leases.create({ ...this.fieldsOf(undefined), annotations: this.record?.annotations ?? {} }),
        sentAt,
        'created the Lease',
      );
    }
    this.observe(current, clock.now());
    const holder = current.holderIdentity;
    if (holder !== undefined && holder !== this.identity && !this.expired(current, clock.now())) return this.settle(undefined, clock.now());
    return this.write(current, this.fieldsOf(current));
  }

  private async write(base: LeaseRecord, fields: LeaseFields): Promise<boolean> {
    const sentAt = this.options.clock.now();
    const written = await this.options.leases.replace(base.resourceVersion, fields);
    if (base.holderIdentity === this.identity) return this.settle(written, sentAt);
    return this.settle(
      written,
      sentAt,
      base.holderIdentity === undefined ? 'took the free Lease' : `took over from ${base.holderIdentity}`,
    );
  }

  /**
   * Records the outcome of a write sent at `sentAt`. The term counts from when the write was sent, not
   * from its answer: another replica may have seen the new record as soon as it was stored, so a slow
   * answer must not stretch this replica's term past the moment the others may take over.
   */
  private settle(written: LeaseRecord | undefined, sentAt: number, event?: string): boolean {
    if (written === undefined) {
      // Forget a record this replica held: the next attempt reads the Lease again.
      if (this.holds()) this.record = undefined;
      this.renewedAt = undefined;
      return false;
    }
    this.observe(written, this.options.clock.now());
    this.renewedAt = sentAt;
    if (event !== undefined) this.options.logger.info({ identity: this.identity, event }, 'leader election: now the leader');
    return true;
  }

  /** The fields this replica writes as holder: renewTime now, acquireTime and transitions on a takeover. */
  private fieldsOf(current: LeaseRecord | undefined): LeaseFields {
    const now = new Date(this.options.clock.now());
    const takeover = current?.holderIdentity !== this.identity;
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: this.durationSeconds,
      acquireTime: takeover ? now : (current?.acquireTime ?? now),
      renewTime: now,
      leaseTransitions: (current?.leaseTransitions ?? 0) + (takeover && current?.holderIdentity !== undefined ? 1 : 0),
      annotations: current?.annotations ?? {},
    };
  }

  private observe(record: LeaseRecord, now: number): void {
    if (this.record?.resourceVersion !== record.resourceVersion) this.observedAt = now;
    this.record = record;
  }

  private expired(record: LeaseRecord, now: number): boolean {
    return this.observedAt + (record.leaseDurationSeconds ?? this.durationSeconds) * 1000 <= now;
  }

  private holds(): boolean {
    return this.record?.holderIdentity === this.identity;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
