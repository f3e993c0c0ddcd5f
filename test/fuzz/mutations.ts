/**
 * Inputs for the engine fuzz test (test/unit/fuzz-engine.test.ts): the example models and the real-world-style
 * fixtures as seeds, and fast-check arbitraries that break them the ways an editor sees code break — tokens
 * deleted, duplicated or swapped, text cut anywhere, random bytes, layer arguments replaced by odd values.
 *
 * Mutations work on characters and lines of the seed text (a test may cut text however it likes); only the
 * argument slots come from tree-sitter, so that an odd value lands exactly where a layer argument is written.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree, type SourceLanguage } from '../../src/analysis/parse/treeSitter';

const repoRoot = join(__dirname, '..', '..');

export interface Seed {
  /** Where it comes from, e.g. `examples/seed_keras_mlp.py`. */
  origin: string;
  /** File name handed to the engine (its extension picks the reader). */
  fileName: string;
  text: string;
  /** [start, end) UTF-16 offsets of every layer-argument value, outermost first. */
  argumentSlots: Array<[number, number]>;
}

export interface FuzzCase {
  origin: string;
  mutation: string;
  fileName: string;
  text: string;
}

/** A short description for fast-check's counterexample report (the texts may be a megabyte). */
export function describeCase(c: FuzzCase): string {
  const head = c.text.length > 160 ? `${c.text.slice(0, 160)}…` : c.text;
  return `${c.mutation} of ${c.origin} as ${c.fileName} (${c.text.length} chars): ${JSON.stringify(head)}`;
}

function withDescription(c: FuzzCase): FuzzCase {
  Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c), enumerable: false });
  return c;
}

function languageOfSeed(fileName: string): SourceLanguage | 'json' {
  if (fileName.endsWith('.py')) return 'python';
  if (fileName.endsWith('.json')) return 'json';
  return 'typescript';
}

/** Value slots of call arguments: positional arguments, `name=value`, and `{ key: value }` inside a call. */
async function argumentSlots(text: string, language: SourceLanguage | 'json'): Promise<Array<[number, number]>> {
  if (language === 'json') return jsonValueSlots(text);
  const tree = await parseTree(text, language);
  try {
    const slots: Array<[number, number]> = [];
    const stack = [tree.rootNode];
    while (stack.length) {
      const node = stack.pop();
      if (!node) break;
      if (node.type === 'argument_list' || node.type === 'arguments') {
        for (const child of node.namedChildren) {
          if (!child) continue;
          if (child.type === 'keyword_argument') {
            const value = child.childForFieldName('value');
            if (value) slots.push([value.startIndex, value.endIndex]);
          } else if (child.type === 'object') {
            for (const pair of child.namedChildren) {
              const value = pair?.type === 'pair' ? pair.childForFieldName('value') : null;
              if (value) slots.push([value.startIndex, value.endIndex]);
            }
          } else if (child.type !== 'comment') {
            slots.push([child.startIndex, child.endIndex]);
          }
        }
      }
      for (const child of node.namedChildren) if (child) stack.push(child);
    }
    return slots.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  } finally {
    tree.delete();
  }
}

/** In a model.json every scalar or array value inside a layer `config` is an argument. */
function jsonValueSlots(text: string): Array<[number, number]> {
  const slots: Array<[number, number]> = [];
  let depthInConfig = -1;
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const key = text.slice(i + 1, j);
      i = j + 1;
      let k = i;
      while (text[k] === ' ' || text[k] === '\n') k++;
      if (text[k] !== ':') continue;
      k++;
      while (text[k] === ' ' || text[k] === '\n') k++;
      if (key === 'config' && text[k] === '{') depthInConfig = depth + 1;
      if (depthInConfig >= 0 && depth >= depthInConfig && text[k] !== '{') {
        let end = k;
        if (text[k] === '"') {
          end = k + 1;
          while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
          end++;
        } else if (text[k] === '[') {
          let nest = 0;
          do {
            if (text[end] === '[') nest++;
            else if (text[end] === ']') nest--;
            end++;
          } while (nest > 0 && end < text.length);
        } else {
          while (end < text.length && text[end] !== ',' && text[end] !== '}' && text[end] !== '\n') end++;
        }
        slots.push([k, end]);
      }
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth < depthInConfig) depthInConfig = -1;
    }
    i++;
  }
  return slots;
}

/** Every example and model fixture, plus the seed MLP as a TF.js model.json. */
export async function loadSeeds(): Promise<Seed[]> {
  const paths: string[] = [];
  for (const dir of ['examples', 'test/fixtures/models']) {
    for (const name of readdirSync(join(repoRoot, dir)).sort()) {
      if (name.endsWith('.py') || name.endsWith('.ts') || name.endsWith('.json')) paths.push(`${dir}/${name}`);
    }
  }
  paths.push('test/fuzz/seed_mlp.model.json');
  const seeds: Seed[] = [];
  for (const origin of paths) {
    const text = readFileSync(join(repoRoot, origin), 'utf8');
    const fileName = origin.split('/').pop() as string;
    seeds.push({ origin, fileName, text, argumentSlots: await argumentSlots(text, languageOfSeed(fileName)) });
  }
  return seeds;
}

/** Odd argument values in each language's spelling: zero, negatives, huge, NaN-like, wrong types, nothing. */
export const ODD_VALUES: Record<'python' | 'typescript' | 'json', string[]> = {
  python: ['0', '-1', '-3', '1e308', '-1e308', '1e309', '10**400', "float('nan')", "float('inf')", 'None', "'relu'", "''", '"64"', 'True', '[]', '()', '{}', '(0, -1)', '(-3, -3)', '2.5', '9'.repeat(400), 'lambda x: x', '...', 'x'],
  typescript: ['0', '-1', '-3', '1e308', '-1e308', '1e400', 'NaN', 'Infinity', '-Infinity', 'null', 'undefined', "'relu'", "''", "'64'", 'true', '[]', '{}', '[0, -1]', '[-3, -3]', '2.5', '9'.repeat(400), '() => 1', 'x'],
  json: ['0', '-1', '-3', '1e308', '-1e308', '1e400', 'null', '"relu"', '""', '"64"', 'true', '[]', '{}', '[0, -1]', '[-3, -3]', '2.5', '9'.repeat(400), '[null, null]'],
};

export function oddValuesFor(fileName: string): string[] {
  const language = languageOfSeed(fileName);
  return ODD_VALUES[language === 'json' ? 'json' : language === 'python' ? 'python' : 'typescript'];
}

/** Replaces the chosen slots (outermost wins where they nest) by values, back to front so offsets hold. */
export function replaceSlots(text: string, slots: Array<[number, number]>, values: string[]): string {
  const chosen: Array<[number, number, string]> = [];
  let lastEnd = -1;
  slots.forEach(([start, end], i) => {
    if (start < lastEnd) return;
    chosen.push([start, end, values[i % values.length]]);
    lastEnd = end;
  });
  let out = text;
  for (let i = chosen.length - 1; i >= 0; i--) {
    const [start, end, value] = chosen[i];
    out = out.slice(0, start) + value + out.slice(end);
  }
  return out;
}

/** Splits text into identifier/number runs, whitespace runs and single punctuation characters. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  const kind = (ch: string): number => {
    const c = ch.charCodeAt(0);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') return 1;
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ch === '_' || c > 127) return 2;
    return 3;
  };
  let i = 0;
  while (i < text.length) {
    const k = kind(text[i]);
    let j = i + 1;
    if (k !== 3) while (j < text.length && kind(text[j]) === k) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** Engine cost grows with text length; mutations work on a window of lines so 10,000 cases stay affordable. */
function window(text: string, startFraction: number, lines: number): string {
  const all = text.split('\n');
  if (all.length <= lines) return text;
  const start = Math.floor(startFraction * (all.length - lines));
  return all.slice(start, start + lines).join('\n');
}

type Op = { op: 'delete' | 'duplicate' | 'swap'; at: number; other: number };

function applyTokenOps(text: string, ops: Op[]): string {
  const list = tokens(text);
  for (const { op, at, other } of ops) {
    if (list.length === 0) break;
    const i = Math.floor(at * list.length);
    const j = Math.floor(other * list.length);
    if (op === 'delete') list.splice(i, 1);
    else if (op === 'duplicate') list.splice(i, 0, list[i]);
    else [list[i], list[j]] = [list[j], list[i]];
  }
  return list.join('');
}

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Arbitrary UTF-16 code units, lone surrogates and NULs included. */
const anyCodeUnits = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) => String.fromCharCode(...units));

/** Openers and their closers for nesting cases, from plain brackets to nested layer calls. */
export const NESTINGS: Array<[string, string]> = [['(', ')'], ['[', ']'], ['{', '}'], ['Dense(', ')'], ['nn.Sequential(', ')'], ['layers.dense({units: ', '})'], ['{"config": ', '}']];

const ENGINE_FILE_NAMES = ['model.py', 'model.ts', 'model.js', 'model.tsx', 'model.json', 'model.pyi'];

/** The mix of mutations, each a FuzzCase; `maxLines` bounds the window of seed text a case starts from. */
export function fuzzCase(seeds: Seed[], maxLines: number): fc.Arbitrary<FuzzCase> {
  const seed = fc.constantFrom(...seeds);
  const windowed = fc.tuple(seed, fraction, fc.integer({ min: 3, max: maxLines }));

  const tokenOps = fc
    .tuple(windowed, fc.array(fc.record({ op: fc.constantFrom<Op['op']>('delete', 'duplicate', 'swap'), at: fraction, other: fraction }), { minLength: 1, maxLength: 8 }))
    .map(([[s, from, lines], ops]) => ({
      origin: s.origin,
      mutation: `token ops ${ops.map((o) => o.op).join(',')}`,
      fileName: s.fileName,
      text: applyTokenOps(window(s.text, from, lines), ops),
    }));

  const truncate = fc.tuple(seed, fraction, fraction).map(([s, from, cut]) => {
    const start = Math.floor(from * from * s.text.length);
    const end = start + Math.floor(cut * (s.text.length - start));
    return { origin: s.origin, mutation: `slice [${start}, ${end})`, fileName: s.fileName, text: s.text.slice(start, Math.min(end, start + maxLines * 90)) };
  });

  const randomBytesInside = fc
    .tuple(windowed, fraction, fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean())
    .map(([[s, from, lines], at, bytes, overwrite]) => {
      const text = window(s.text, from, lines);
      const i = Math.floor(at * text.length);
      const noise = new TextDecoder('latin1').decode(bytes);
      return {
        origin: s.origin,
        mutation: `${overwrite ? 'overwrite' : 'insert'} ${bytes.length} random bytes at ${i}`,
        fileName: s.fileName,
        text: text.slice(0, i) + noise + text.slice(overwrite ? i + bytes.length : i),
      };
    });

  const randomFile = fc
    .tuple(fc.constantFrom(...ENGINE_FILE_NAMES), fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((b) => new TextDecoder('utf-8').decode(b)), anyCodeUnits(1024), fc.string({ unit: 'grapheme', maxLength: 512 })))
    .map(([fileName, text]) => ({ origin: 'random', mutation: 'random content', fileName, text }));

  const oddArguments = fc
    .tuple(seed, fc.array(fc.boolean(), { minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { minLength: 1, maxLength: 16 }))
    .map(([s, pick, valueIndexes]) => {
      const odd = oddValuesFor(s.fileName);
      const slots = s.argumentSlots.filter((_, i) => pick[i % pick.length]);
      const values = valueIndexes.map((v) => odd[v % odd.length]);
      return { origin: s.origin, mutation: `${slots.length} arguments ← ${[...new Set(values)].join(' | ').slice(0, 120)}`, fileName: s.fileName, text: replaceSlots(s.text, slots, values) };
    });

  const wrongReader = fc.tuple(windowed, fc.constantFrom(...ENGINE_FILE_NAMES)).map(([[s, from, lines], fileName]) => ({
    origin: s.origin,
    mutation: 'read with another language',
    fileName,
    text: window(s.text, from, lines),
  }));

  const nesting = fc
    .tuple(fc.constantFrom(...NESTINGS), fc.integer({ min: 1, max: 300 }), fc.constantFrom(...ENGINE_FILE_NAMES), fc.boolean())
    .map(([[open, close], depth, fileName, closed]) => {
      return { origin: 'generated', mutation: `${depth}-deep ${open}`, fileName, text: `model = Sequential([${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}])\n` };
    });

  return fc
    .oneof(
      { arbitrary: tokenOps, weight: 4 },
      { arbitrary: oddArguments, weight: 3 },
      { arbitrary: truncate, weight: 2 },
      { arbitrary: randomBytesInside, weight: 2 },
      { arbitrary: randomFile, weight: 1 },
      { arbitrary: wrongReader, weight: 1 },
      { arbitrary: nesting, weight: 1 },
    )
    .map(withDescription);
}

/** Every number in a report must be finite or null: walks the whole object, returns the paths that are not. */
export function nonFiniteNumbers(value: unknown, path = '$', found: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.push(`${path} = ${value}`);
  } else if (typeof value === 'bigint') {
    found.push(`${path} is a bigint`);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nonFiniteNumbers(item, `${path}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nonFiniteNumbers(item, `${path}.${key}`, found);
  }
  return found;
}
