/**
 * Small helpers over tree-sitter nodes shared by the Python and TypeScript readers.
 *
 * web-tree-sitter parses a JS string as UTF-16, so `startPosition.column` already counts UTF-16 code
 * units — the unit VS Code uses — and positions can be copied as they are (a unit test pins this down
 * with non-ASCII text before a layer).
 */
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import type { Range } from '../ir';

export function rangeOf(node: Node): Range {
  const start = node.startPosition;
  const end = node.endPosition;
  return { start: { line: start.row, column: start.column }, end: { line: end.row, column: end.column } };
}

/**
 * The range of a node whose text is already at hand: on one line the end follows from the text's length
 * (UTF-16 units, like the columns), which spares a call into WASM; otherwise ask the tree.
 */
export function rangeWithText(node: Node, text: string): Range {
  const start = node.startPosition;
  if (!text.includes('\n')) return { start: { line: start.row, column: start.column }, end: { line: start.row, column: start.column + text.length } };
  return rangeOf(node);
}

/*
 * A Python call's callee and argument list: one call into WASM each. (`node.namedChildren` would allocate and
 * free a buffer in WASM for both, ~2.5 µs; a single child costs ~0.3 µs.) A call's first named child is its
 * callee: comments live inside the argument list.
 */
export function callFunction(call: Node): Node | null {
  return call.firstNamedChild;
}

export function callArgs(call: Node): Node | null {
  return call.childForFieldName('arguments');
}

/** Up to this many named children are read one by one; beyond, each indexed lookup walks further than one bulk read. */
const FEW_CHILDREN = 12;

/**
 * A node's named children (comments included), read in the cheaper way for their number: one by one for the
 * few children of a call, an argument list or a statement, in one bulk read for long lists and big blocks.
 */
export function namedChildList(node: Node): Node[] {
  const count = node.namedChildCount;
  if (count > FEW_CHILDREN) return node.namedChildren;
  const out: Node[] = [];
  for (let i = 0; i < count; i++) {
    const child = node.namedChild(i);
    if (child) out.push(child);
  }
  return out;
}

/**
 * `a.b.c` → ['a', 'b', 'c'] when a callee's text is nothing but names and dots. Such text can only be an
 * identifier or a chain of attribute accesses on identifiers (any other construct brings brackets, quotes,
 * spaces or comments), so splitting the token text is the same as walking the attribute nodes — one call
 * into WASM instead of five. Undefined means "walk the nodes".
 */
export function plainDottedName(text: string): string[] | undefined {
  if (text.length === 0 || text.length > 200) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const nameChar = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
    if (!nameChar && c !== 46) return undefined;
  }
  const parts = text.split('.');
  for (const part of parts) {
    if (part.length === 0) return undefined;
    const first = part.charCodeAt(0);
    if (first >= 48 && first <= 57) return undefined; // a number, not a name
  }
  return parts;
}

/** Longest source text kept for a symbolic value: enough to recognise it, bounded for huge expressions. */
const MAX_SYMBOLIC_TEXT = 160;

export function shortText(node: Node): string {
  const text = node.text;
  return text.length > MAX_SYMBOLIC_TEXT ? `${text.slice(0, MAX_SYMBOLIC_TEXT - 1)}…` : text;
}

/** Beyond this nesting depth readers stop descending (values turn symbolic): bounds recursion on pathological input. */
export const MAX_NESTING = 96;

/**
 * Deepest tree level where a reader's query pattern may start. Model code sits a few dozen levels deep at most;
 * without a bound tree-sitter's query cursor is quadratic in nesting depth (10,000 nested calls: ~20 s of CPU).
 */
export const QUERY_OPTIONS = { maxStartDepth: 4 * MAX_NESTING };

const queries = new Map<Language, Map<string, Query>>();

/** Compiles a query once per grammar (queries are costly to build and cheap to run). */
export function cachedQuery(language: Language, source: string): Query {
  let byText = queries.get(language);
  if (!byText) queries.set(language, (byText = new Map()));
  let query = byText.get(source);
  if (!query) byText.set(source, (query = new Query(language, source)));
  return query;
}

/** Named children without comments (Python and TS grammars both put comments among the children). */
export function namedChildrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of namedChildList(node)) {
    if (child.type !== 'comment') out.push(child);
  }
  return out;
}

export function hasSyntaxErrors(tree: Tree): boolean {
  return tree.rootNode.hasError;
}

export const SYNTAX_ERROR_NOTICE = 'The file has syntax errors; layers read as far as possible.';
