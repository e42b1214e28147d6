import { RESERVED_EDGE_NAMES } from '../config/edges-file.js';
import { ErrorCode, UserFacingError } from '../errors.js';

/** What the directory needs of an edge. */
export interface NamedEdge {
  readonly name: string;
  readonly region: string;
}

/**
 * The edges by name, and the rule that picks one from a command's words: an edge name has no dot and a host
 * has at least one, so a first word without a dot that is not a word of the command (help, list) names an edge.
 */
export class EdgeDirectory<E extends NamedEdge> {
  private readonly byName: ReadonlyMap<string, E>;

  constructor(readonly all: readonly E[]) {
    if (all.length === 0) throw new Error('an EdgeDirectory needs at least one edge');
    this.byName = new Map(all.map((edge) => [edge.name, edge]));
  }

  /** More than one edge: messages name the edge, and /expose and /unexpose need its name. */
  get several(): boolean {
    return this.all.length > 1;
  }

  /** The only edge, when there is one. */
  get only(): E | undefined {
    return this.all.length === 1 ? this.all[0] : undefined;
  }

  /** "prod (eu-west-1), staging (us-east-1)" */
  describe(): string {
    return this.all.map((edge) => `\`${edge.name}\` (${edge.region})`).join(', ');
  }

  /** The edge of that name; a refusal that lists the edges when there is none. */
  get(name: string, command: string): E {
    const edge = this.byName.get(name);
    if (edge !== undefined) return edge;
    throw new UserFacingError(
      ErrorCode.BadInput,
      `There is no edge \`${name.slice(0, 63)}\`. The edges are: ${this.describe()}.`,
      `Give one of them first: \`${command} ${this.all[0]?.name ?? 'prod'}\`.`,
    );
  }

  /**
   * Splits an optional edge name off the front of `words`: `{ edge, rest }` when the first word names one
   * (an unknown name is refused, listing the edges), `{ edge: undefined, rest: words }` when it does not.
   */
  pick(words: readonly string[], command: string): { readonly edge: E | undefined; readonly rest: readonly string[] } {
    const [first, ...rest] = words;
    if (first === undefined || !looksLikeEdgeName(first)) return { edge: undefined, rest: words };
    // With one edge its name may be given, and anything else is the command's own argument (refused by it).
    const only = this.only;
    if (only !== undefined) return first.toLowerCase() === only.name ? { edge: only, rest } : { edge: undefined, rest: words };
    return { edge: this.get(first.toLowerCase(), command), rest };
  }

  /** The edge a command that changes something acts on: named, or the only one. */
  require(edge: E | undefined, command: string, usage: string): E {
    if (edge !== undefined) return edge;
    const only = this.only;
    if (only !== undefined) return only;
    throw new UserFacingError(
      ErrorCode.BadInput,
      `There are several edges, so \`${command}\` needs the edge first: ${this.describe()}.`,
      `Usage: \`${usage}\`, for example \`${command} ${this.all[0]?.name ?? 'prod'} ...\`.`,
    );
  }
}

/** No dot (hosts have one), and not one of the commands' own words. */
export function looksLikeEdgeName(word: string): boolean {
  return !word.includes('.') && !(RESERVED_EDGE_NAMES as readonly string[]).includes(word.toLowerCase()) && /^[a-z0-9-]+$/i.test(word);
}
