/** A status condition (metav1.Condition) as Gateway API objects report them. */
export interface KubeCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  /** The object's metadata.generation the controller had seen when it wrote this condition. */
  readonly observedGeneration: number | undefined;
  readonly lastTransitionTime: Date | undefined;
}

export function findCondition(conditions: readonly KubeCondition[], type: string): KubeCondition | undefined {
  return conditions.find((condition) => condition.type === type);
}

/**
 * A condition that speaks for the object as it is now: written for its current generation. One written
 * for an older generation says nothing yet about the latest change (the controller has not seen it).
 */
export function currentCondition(
  conditions: readonly KubeCondition[],
  type: string,
  generation: number | undefined,
): KubeCondition | undefined {
  const condition = findCondition(conditions, type);
  return condition !== undefined && generation !== undefined && condition.observedGeneration === generation ? condition : undefined;
}
