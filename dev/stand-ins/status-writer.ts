import type { KubeChange, KubeStore } from './kube-api-server.js';

/**
 * The loop of a stand-in controller that writes status: a change it watches schedules one pass over the
 * store `delayMs` later (the store's listeners run inside its write, so the status is written afterwards, as
 * a controller's work queue does); a pass that throws is recorded and the loop carries on, as a real one would.
 */
export interface StatusWriter {
  /** Resolves once no change waits to be reconciled (every status it would write is written). */
  settled(): Promise<void>;
  /** What went wrong while reconciling. */
  readonly errors: readonly unknown[];
  stop(): void;
}

export function startStatusWriter(
  store: KubeStore,
  options: { readonly delayMs: number; readonly watches: (change: KubeChange) => boolean; readonly reconcile: () => void },
): StatusWriter {
  const errors: unknown[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (): void => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      try {
        options.reconcile();
      } catch (error) {
        errors.push(error);
      }
    }, options.delayMs);
    timer.unref();
  };
  const onChange = (change: KubeChange) => {
    if (options.watches(change)) schedule();
  };
  store.on('change', onChange);
  schedule();

  return {
    errors,
    async settled() {
      while (timer !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.max(1, options.delayMs / 4)));
    },
    stop() {
      stopped = true;
      store.off('change', onChange);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
