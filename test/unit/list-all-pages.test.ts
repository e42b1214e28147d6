import { describe, expect, it } from '@jest/globals';
import { Metrics } from '../../src/metrics.js';
import { listAllPages } from '../../src/ports/kube/kube-call.js';

describe('reading a Kubernetes list in pages', () => {
  it('follows the continue token until the last page, and counts each page as a call', async () => {
    const pages: Record<string, { items: number[]; metadata?: { _continue?: string } }> = {
      first: { items: [1, 2], metadata: { _continue: 'b' } },
      b: { items: [3, 4], metadata: { _continue: 'c' } },
      c: { items: [5], metadata: { _continue: '' } },
    };
    const asked: Array<{ limit: number; _continue?: string }> = [];
    const metrics = new Metrics({ collectProcessMetrics: false });
    const items = await listAllPages(
      metrics,
      'listThings',
      async (page) => {
        asked.push(page);
        return pages[page._continue ?? 'first']!;
      },
      (item) => item * 10,
    );
    expect(items).toEqual([10, 20, 30, 40, 50]);
    expect(asked).toEqual([{ limit: 500 }, { limit: 500, _continue: 'b' }, { limit: 500, _continue: 'c' }]);
    expect(await metrics.registry.getSingleMetricAsString('nlb_bot_kubernetes_calls_total')).toContain(
      'nlb_bot_kubernetes_calls_total{operation="listThings",outcome="ok"} 3',
    );
  });
});
