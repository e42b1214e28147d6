import { type GatewayProgramming, type GatewaySummary, isProgrammed } from './gateway.js';
import { currentCondition } from './kube-condition.js';

/** Gateway mode: the shared Gateway as /health reports it, next to the NLB behind it. */
export interface GatewayHealth {
  /** namespace/name */
  readonly name: string;
  readonly programmed: GatewayProgramming;
  /** Routes attached over every listener, as the controller counts them; undefined until it reported. */
  readonly attachedRoutes: number | undefined;
  readonly listeners: readonly ListenerHealth[];
}

export interface ListenerHealth {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly attachedRoutes: number | undefined;
  /** The first listener condition that is not as it should be, in words; undefined when the listener is fine. */
  readonly problem: string | undefined;
}

/** Listener conditions that are True when all is well (Conflicted is the one that should be False). */
const GOOD_WHEN_TRUE = ['Accepted', 'ResolvedRefs', 'Programmed'] as const;

export function gatewayHealth(gateway: GatewaySummary): GatewayHealth {
  const listeners = gateway.listeners.map((listener): ListenerHealth => {
    const bad = GOOD_WHEN_TRUE.map((type) => currentCondition(listener.conditions, type, gateway.generation)).find(
      (condition) => condition?.status === 'False',
    );
    const conflicted = currentCondition(listener.conditions, 'Conflicted', gateway.generation);
    const problem =
      bad !== undefined
        ? `${bad.type} False (${bad.reason})${bad.message === '' ? '' : `: ${bad.message}`}`
        : conflicted?.status === 'True'
          ? `Conflicted (${conflicted.reason})${conflicted.message === '' ? '' : `: ${conflicted.message}`}`
          : undefined;
    return { name: listener.name, port: listener.port, protocol: listener.protocol, attachedRoutes: listener.attachedRoutes, problem };
  });
  const counts = listeners.map((listener) => listener.attachedRoutes);
  return {
    name: `${gateway.namespace}/${gateway.name}`,
    programmed: isProgrammed(gateway),
    attachedRoutes: counts.every((count) => count === undefined) ? undefined : counts.reduce<number>((sum, count) => sum + (count ?? 0), 0),
    listeners,
  };
}
