/** Work started after an ack; shutdown waits for it so no answer is cut off. */
export class InFlightWork {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Waits until no work is left, including work that starts while waiting (a request accepted during
   * shutdown), or until the deadline. True when everything finished.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, timeoutMs);
    });
    while (this.pending.size > 0 && !expired) await Promise.race([Promise.allSettled([...this.pending]), deadline]);
    clearTimeout(timer);
    return this.pending.size === 0;
  }
}
