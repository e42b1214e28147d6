/**
 * Reads values parsed from a YAML file (maps as Map, so no key can reach an object's prototype) and collects
 * one line per problem, named by its path (`edges[1].region`), instead of stopping at the first.
 * Hand-written like the environment's reader in config.ts: a schema library would stay in the bot's memory.
 */
export class SettingsReader {
  readonly problems: string[] = [];

  fail(path: string, problem: string): undefined {
    this.problems.push(path === '' ? problem : `${path}: ${problem}`);
    return undefined;
  }

  /** A mapping whose keys are all known; an unknown key is named, with the known key it most resembles. */
  mapping(path: string, value: unknown, known: readonly string[], expected: string): ReadonlyMap<string, unknown> | undefined {
    if (!(value instanceof Map)) return this.fail(path, `must be ${expected}, not ${kindOf(value)}`);
    const entries = new Map<string, unknown>();
    for (const [key, item] of value as Map<unknown, unknown>) {
      if (typeof key !== 'string' || !known.includes(key)) {
        const guess = typeof key === 'string' ? nearest(key, known) : undefined;
        this.fail(
          joinPath(path, key),
          `unknown setting${guess === undefined ? '' : ` (did you mean ${guess}?)`}; known: ${known.join(', ')}`,
        );
        continue;
      }
      entries.set(key, item);
    }
    return entries;
  }

  /** Text that passes `valid`; `rule` says what it must be, for the problem line. Undefined when absent or wrong. */
  text(path: string, value: unknown, valid: (text: string) => boolean, rule: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return this.fail(path, `${rule}, not ${kindOf(value)}`);
    return valid(value) ? value : this.fail(path, `${rule}; got ${quote(value)}`);
  }

  required(path: string, value: unknown, valid: (text: string) => boolean, rule: string): string | undefined {
    if (value === undefined || value === null) return this.fail(path, `is required: ${rule.replace(/^must be /, '')}`);
    return this.text(path, value, valid, rule);
  }

  /** A list of at most `max` texts, each valid and listed once; absent is an empty list. */
  texts(path: string, value: unknown, limits: { max: number; example: string }, valid: (text: string) => boolean, rule: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.fail(path, `must be a list such as ${limits.example}, not ${kindOf(value)}`) ?? [];
    if (value.length > limits.max) return this.fail(path, `has ${value.length} entries; at most ${limits.max}`) ?? [];
    const seen = new Set<string>();
    value.forEach((item: unknown, index) => {
      const text = this.text(`${path}[${index}]`, item, valid, rule);
      if (text === undefined) return;
      if (seen.has(text)) this.fail(`${path}[${index}]`, `${quote(text)} is listed twice`);
      seen.add(text);
    });
    return [...seen];
  }
}

/** A value quoted for a problem line: JSON makes control characters visible; long values are cut. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a mapping';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value).slice(0, 30)}`;
  if (typeof value === 'boolean') return `${value}`;
  return 'binary data';
}

function joinPath(path: string, key: unknown): string {
  const text = typeof key === 'string' ? key : String(Array.isArray(key) || key instanceof Map ? kindOf(key) : key);
  const shown = /^[A-Za-z0-9_-]{1,60}$/.test(text) ? text : quote(text);
  return path === '' ? shown : `${path}.${shown}`;
}

/** The known key within two edits of `key` (a typo or a case slip), if one is. */
function nearest(key: string, known: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  const scored = known.map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best !== undefined && best.distance <= 2 ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
