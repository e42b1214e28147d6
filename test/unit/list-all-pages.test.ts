import { describe, expect, it } from '@jest/globals';
import { Metrics } from '../../src/metrics.js';
import { kubeCall, listAllPages } from '../../src/ports/kube/kube-call.js';

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
      'the things',
    );
    expect(items).toEqual([10, 20, 30, 40, 50]);
    expect(asked).toEqual([{ limit: 500 }, { limit: 500, _continue: 'b' }, { limit: 500, _continue: 'c' }]);
    expect(await metrics.registry.getSingleMetricAsString('nlb_bot_kubernetes_calls_total')).toContain(
      'nlb_bot_kubernetes_calls_total{edge="default",operation="listThings",outcome="ok"} 3',
    );
  });
});

describe('a failed Kubernetes call, in words', () => {
  it('names the object it was about, never the client method', async () => {
    const metrics = new Metrics({ collectProcessMetrics: false });
    const { ApiException } = await import('@kubernetes/client-node');
    const forbidden = () => Promise.reject(new ApiException(403, 'Forbidden', '{}', {}));
    const error = await kubeCall(metrics, 'readNamespacedService', forbidden, {
      verb: 'read',
      object: 'the Service ingress-nginx/controller',
    }).catch((caught: unknown) => caught as Error);
    expect(error.message).toBe('Kubernetes refused to read the Service ingress-nginx/controller (HTTP 403).');
    const unreachable = () => Promise.reject(new TypeError('fetch failed'));
    const away = await kubeCall(metrics, 'listNode', unreachable, { verb: 'list', object: 'the Nodes of the cluster' }).catch(
      (caught: unknown) => caught as Error,
    );
    expect(away.message).toBe('The Kubernetes API could not be reached to list the Nodes of the cluster.');
  });
});
