import type { LeaseFields, LeaseRecord, LeaseStore } from '../../src/ports/kube/lease-gateway.js';

/** One Lease in memory with the API server's optimistic concurrency (for unit tests of the election). */
export class MemoryLease implements LeaseStore {
  record: LeaseRecord | undefined;
  private version = 1;
  writes = 0;
  /** Runs before a write is answered (after it is stored): a test moves its clock here for a slow answer. */
  beforeAnswer: (() => void) | undefined;

  async read() {
    return this.record;
  }

  async create(fields: LeaseFields) {
    if (this.record !== undefined) return undefined;
    return this.store(fields);
  }

  async replace(resourceVersion: string, fields: LeaseFields) {
    // 409 (stale) and 404 (deleted) both answer undefined, as LeaseGateway does.
    if (this.record?.resourceVersion !== resourceVersion) return undefined;
    return this.store(fields);
  }

  private store(fields: LeaseFields): LeaseRecord {
    this.writes += 1;
    this.version += 1;
    this.record = { ...fields, resourceVersion: String(this.version) };
    this.beforeAnswer?.();
    return this.record;
  }
}
