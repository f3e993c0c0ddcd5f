/**
 * Reading IR values (src/analysis/ir.ts) as the numbers, strings and dimensions the engine needs.
 * A value that is not what was asked for gives undefined; a symbol stays a symbol (its source text).
 */
import type { Argument, Value } from './ir';
import type { SDim } from './dims';
import { boundedMemo } from './memo';

export function numberOf(v: Value | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  // `math.sqrt(5)` (kaiming_uniform_'s a=math.sqrt(5)) is the one call people write among init arguments.
  if (v.kind === 'call' && v.args.length === 1 && ['math.sqrt', 'np.sqrt', 'numpy.sqrt', 'Math.sqrt'].includes(v.callee)) {
    const x = numberOf(v.args[0].value);
    return x === undefined ? undefined : Math.sqrt(x);
  }
  return undefined;
}

export function stringOf(v: Value | undefined): string | undefined {
  return v?.kind === 'string' ? v.value : undefined;
}

export function boolOf(v: Value | undefined): boolean | undefined {
  if (!v) return undefined;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'number') return v.value !== 0;
  return undefined;
}

/** A dimension: a number, a symbol's text, or null for None / a missing value. */
export function dimOf(v: Value | undefined): SDim {
  if (!v) return null;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'symbolic') return v.text;
  if (v.kind === 'call') return valueText(v);
  return null;
}

/** A list (tuple/array) as its items; a single value as a one-item list; undefined when absent. */
export function listOf(v: Value | undefined): Value[] | undefined {
  if (!v) return undefined;
  if (v.kind === 'list') return v.items;
  return [v];
}

/** Dims of a tuple/list value; a symbolic value that is a whole list stays one symbolic item. */
export function dimsOf(v: Value | undefined): SDim[] | undefined {
  if (!v || v.kind === 'none') return undefined;
  if (v.kind === 'list') return v.items.map(dimOf);
  return [dimOf(v)];
}

/**
 * An `int or tuple` argument (kernel_size=3, strides=(2, 2)) as `rank` dims: a single value repeats,
 * a list must have `rank` items (otherwise its items are kept as written).
 */
export function repeatedDims(v: Value | undefined, rank: number, fallback: number): SDim[] {
  if (!v || v.kind === 'none') return new Array<SDim>(rank).fill(fallback);
  if (v.kind === 'list') return v.items.map(dimOf);
  return new Array<SDim>(rank).fill(dimOf(v));
}

/** Source-like text of a value, for names and symbolic expressions. */
export function valueText(v: Value): string {
  switch (v.kind) {
    case 'number': return String(v.value);
    case 'string': return JSON.stringify(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': return `(${v.items.map(valueText).join(', ')})`;
    case 'object': return `{${Object.entries(v.entries).map(([k, e]) => `${k}: ${valueText(e)}`).join(', ')}}`;
    case 'call': return `${v.callee}(${v.args.map((a) => (a.name ? `${a.name}=${valueText(a.value)}` : valueText(a.value))).join(', ')})`;
    case 'symbolic': return v.text;
  }
}

/**
 * snake_case → camelCase (`kernel_size` → `kernelSize`), for TF.js configs. Asked for every argument lookup
 * that misses (most do: each layer reads a dozen optional names), always with the engine's own few dozen
 * parameter names: remembered rather than rebuilt char by char.
 */
export const camelCase = boundedMemo(toCamelCase);

function toCamelCase(name: string): string {
  let out = '';
  let upper = false;
  for (const ch of name) {
    if (ch === '_') upper = out.length > 0;
    else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}

/**
 * Arguments of one call read by a signature: positional arguments take the signature's names in order,
 * keyword arguments (Python `units=`, TF.js config keys in camelCase, JSON config keys) their own.
 */
export class ArgReader {
  private readonly byName = new Map<string, Argument>();

  constructor(readonly args: readonly Argument[], signature: readonly string[]) {
    let position = 0;
    for (const arg of args) {
      if (arg.name === undefined) {
        const name = signature[position++];
        if (name !== undefined && !this.byName.has(name)) this.byName.set(name, arg);
      } else {
        this.byName.set(arg.name, arg);
      }
    }
  }

  /** The argument named `name` (snake_case), also found under its camelCase spelling or any alias. */
  argument(name: string, ...aliases: string[]): Argument | undefined {
    const found = this.byName.get(name) ?? this.byName.get(camelCase(name));
    if (found || aliases.length === 0) return found;
    for (const n of aliases) {
      const alias = this.byName.get(n) ?? this.byName.get(camelCase(n));
      if (alias) return alias;
    }
    return undefined;
  }

  value(name: string, ...aliases: string[]): Value | undefined {
    return this.argument(name, ...aliases)?.value;
  }

  has(name: string, ...aliases: string[]): boolean {
    const v = this.value(name, ...aliases);
    return v !== undefined && v.kind !== 'none';
  }
}
