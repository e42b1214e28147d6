/** A Kubernetes label selector (metav1.LabelSelector), as a Gateway listener's allowedRoutes carries it. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<LabelSelectorRequirement>;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  /** In, NotIn, Exists, DoesNotExist; any other operator makes the selector match nothing. */
  readonly operator: string;
  readonly values?: readonly string[];
}

/**
 * Kubernetes' rules: every matchLabels pair and every expression must hold (an empty selector matches
 * everything); NotIn and DoesNotExist hold when the label is absent. An unknown operator matches nothing,
 * as the API server refuses such a selector.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {});
  if (!pairs.every(([key, value]) => labels[key] === value)) return false;
  return (selector.matchExpressions ?? []).every((requirement) => {
    const value = labels[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}

/** The selector as kubectl writes one: `team=a,env in (prod,staging),!legacy`; `(everything)` when empty. */
export function describeLabelSelector(selector: LabelSelector): string {
  const terms = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(selector.matchExpressions ?? []).map((requirement) => {
      const values = (requirement.values ?? []).join(',');
      switch (requirement.operator) {
        case 'In':
          return `${requirement.key} in (${values})`;
        case 'NotIn':
          return `${requirement.key} notin (${values})`;
        case 'Exists':
          return requirement.key;
        case 'DoesNotExist':
          return `!${requirement.key}`;
        default:
          return `${requirement.key} ${requirement.operator} (${values})`;
      }
    }),
  ];
  return terms.length === 0 ? '(everything)' : terms.join(',');
}
