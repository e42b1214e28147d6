import { ApiException } from '@kubernetes/client-node';
import { ErrorCode, UserFacingError } from '../../errors.js';
import type { CallMeter } from '../../metrics.js';

/** HTTP status of a failed Kubernetes call, or undefined when the API server was not reached. */
export function kubeStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** What a call does, in words for a person: "read" + "the Service ingress-nginx/ingress-nginx-controller". */
export interface KubeTarget {
  readonly verb: 'read' | 'list' | 'create' | 'update' | 'delete';
  readonly object: string;
}

/**
 * Runs one Kubernetes API call: counts it by operation (the client method, for metrics) and outcome, and
 * turns "forbidden" and "unreachable" into messages a Slack user can act on, naming the object the call
 * was about, never the client method. Other statuses (404, 409, ...) stay as ApiException for the caller,
 * which knows what they mean for its object.
 */
export async function kubeCall<T>(metrics: CallMeter, operation: string, call: () => Promise<T>, target: KubeTarget): Promise<T> {
  const what = `${target.verb} ${target.object}`;
  try {
    return await metrics.measure('kube', operation, call);
  } catch (error) {
    const status = kubeStatus(error);
    if (status === 401) {
      // Not RBAC: the API server did not accept who the bot is (its token, or for an EKS edge its IAM identity).
      throw new UserFacingError(
        ErrorCode.KubeForbidden,
        `Kubernetes did not accept the bot’s credentials when it tried to ${what} (HTTP 401).`,
        'Check the token of the bot’s kubeconfig context or ServiceAccount; for an EKS edge, that the cluster has an ' +
          'access entry for the bot’s IAM role (or the edge’s roleArn).',
        { cause: error },
      );
    }
    if (status === 403) {
      throw new UserFacingError(
        ErrorCode.KubeForbidden,
        `Kubernetes refused to ${what} (HTTP ${status}).`,
        'Check the bot’s ServiceAccount and its RBAC rules in manifests/bot/rbac.yaml.',
        { cause: error },
      );
    }
    // Duck-typed: the DOMException fetch throws need not share this realm's Error.
    if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
      throw new UserFacingError(
        ErrorCode.KubeUnavailable,
        `The Kubernetes API did not answer in time when the bot tried to ${what}.`,
        'Check that the API server is up and not overloaded, then try again.',
        { cause: error },
      );
    }
    if (status === undefined || status >= 500) {
      throw new UserFacingError(
        ErrorCode.KubeUnavailable,
        `The Kubernetes API could not be reached to ${what}.`,
        'Check that the API server is up and reachable from the bot, then try again.',
        { cause: error },
      );
    }
    throw error;
  }
}

const PAGE_SIZE = 500;

/**
 * Every item of a list call, read in pages of 500 (limit/continue): a large cluster is never read in one
 * answer, and never one call per object. `list` gets the paging options to pass on.
 */
export async function listAllPages<Item, Result>(
  metrics: CallMeter,
  operation: string,
  list: (page: { limit: number; _continue?: string }) => Promise<{ items: Item[]; metadata?: { _continue?: string } }>,
  map: (item: Item) => Result,
  objects: string,
): Promise<Result[]> {
  const result: Result[] = [];
  let continueToken: string | undefined;
  do {
    const token = continueToken;
    const page = await kubeCall(
      metrics,
      operation,
      () => list({ limit: PAGE_SIZE, ...(token === undefined ? {} : { _continue: token }) }),
      {
        verb: 'list',
        object: objects,
      },
    );
    result.push(...page.items.map(map));
    continueToken = page.metadata?._continue || undefined;
  } while (continueToken !== undefined);
  return result;
}

/**
 * A failed write as the user should hear it. 409: someone else changed the object since it was read;
 * 422 or 400: the API server (its validation) or a webhook refused it, in its own words. Anything else is
 * returned as it is. `object` names it (`Ingress team-a/api.example.com`); `refusedHint` says who may refuse.
 */
export function kubeWriteError(error: unknown, object: string, refusedHint: string): unknown {
  const status = kubeStatus(error);
  if (status === 409) {
    return new UserFacingError(
      ErrorCode.Conflict,
      `The ${object} was changed by someone else while the bot was writing it, so the bot left it alone.`,
      'Run the command again to see the current state.',
      { cause: error },
    );
  }
  if (status === 422 || status === 400) {
    return new UserFacingError(
      ErrorCode.CheckFailed,
      `The cluster refused the ${object}: ${kubeStatusMessage(error) ?? `HTTP ${status}`}`,
      refusedHint,
      { cause: error },
    );
  }
  return error;
}

/** The `message` of the Kubernetes Status object in a failed call's body. */
export function kubeStatusMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === 'string' ? status.message.slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}
