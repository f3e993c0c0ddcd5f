/**
 * Where model code can begin in a Python file: imports, scopes (functions, classes) and the calls a model can
 * start from, in document order, as tree-sitter query captures.
 *
 * The query below says what counts. Running it over the whole tree costs a walk of every node in C (about a
 * third of the parse time), although most of a file is statements whose captures are plain to see: an
 * import, `x = f(...)`, `f(...)`. So the module's top-level statements are taken one by one: such a simple
 * statement gets its captures read from its own node, and everything else (definitions, blocks, and any
 * statement whose text might hold a nested match) goes to the query, restricted to the span of those statements.
 * The result is the same list of captures as the whole-tree query (a unit test compares them file by file).
 */
import type { Node, QueryCapture, Tree } from 'web-tree-sitter';
import { cachedQuery, namedChildList, QUERY_OPTIONS } from './syntax';

/*
 * Calls are captured only where a model can begin: as a statement, as the value of an assignment or a
 * return, as a layer applied inside another application, in a comprehension, or loose in an error region.
 * Calls nested inside those (a Sequential's list, `model.add(...)`'s argument) are reached from their
 * container, so the many calls of a big model or of ordinary code are not each turned into JS objects.
 * Alternations rather than separate patterns where the capture is the same: the query cursor checks fewer
 * patterns per node.
 */
const QUERY = `
[(import_statement) (import_from_statement)] @import
[(function_definition) (class_definition)] @scope
(expression_statement (call) @call)
(expression_statement (assignment left: (_) @target right: (call) @call))
(return_statement (call) @call)
[(argument_list (call function: (call)) @call) (keyword_argument value: (call function: (call)) @call)]
(list_comprehension body: (call) @call)
`;

/**
 * Calls loose in error regions, and the regions themselves. Added to the query only when the tree has errors:
 * otherwise nothing can match them, and without them the query walks the tree ~10 % faster.
 */
const ERROR_QUERY = `
(ERROR (call) @errorCall)
(ERROR) @error
`;

/**
 * Pattern numbers for captures read without the query. Only pairing matters to the reader (a `target` belongs
 * to the `call` of the same pattern), so they are kept apart from the query's own numbers (0 and up).
 */
const STATEMENT_CALL_PATTERN = -1;
const ASSIGNMENT_PATTERN = -2;

/** Top-level statements whose captures are read from the node itself (when no nested match can hide in them). */
const SIMPLE_STATEMENTS = new Set(['import_statement', 'import_from_statement', 'expression_statement', 'comment']);

/** The captures of the model-code query for the whole file, in document order. */
export function modelCodeCaptures(tree: Tree, source: string): QueryCapture[] {
  const root = tree.rootNode;
  // Error regions can hide anything anywhere: the whole-tree query with its error patterns.
  if (root.hasError) return modelCodeCapturesByQuery(tree);
  const statements = namedChildList(root);
  const types: string[] = [];
  const typeAt = (i: number): string => (types[i] ??= statements[i].type);
  const needsQuery = (i: number): boolean => {
    const type = typeAt(i);
    if (!SIMPLE_STATEMENTS.has(type)) return true;
    const statement = statements[i];
    const start = statement.startIndex;
    const end = statement.endIndex;
    if (!mayHoldNestedMatch(source, start, end)) return false;
    // `x = Dense(4)(x)`: the statement's own call applied to arguments brings a `)(` that matches no nested
    // pattern (it is not inside an argument list); only other candidates count.
    const own = type === 'expression_statement' ? ownApplicationJunction(statement) : -1;
    return own < 0 || mayHoldNestedMatch(source, start, end, own);
  };
  // The span from the first to the last statement the query must read: one query execution covers it (each
  // execution has a fixed cost, so statements in between are left to it too, and need no look).
  let first = 0;
  while (first < statements.length && !needsQuery(first)) first++;
  let last = statements.length - 1;
  while (last > first && !needsQuery(last)) last--;
  const out: QueryCapture[] = [];
  const readStatements = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const type = typeAt(i);
      if (type === 'expression_statement') statementCaptures(statements[i], out);
      else if (type !== 'comment') out.push({ patternIndex: 0, name: 'import', node: statements[i] });
    }
  };
  if (first === statements.length) {
    readStatements(0, statements.length);
    return out;
  }
  readStatements(0, first);
  const span = { ...QUERY_OPTIONS, startIndex: statements[first].startIndex, endIndex: statements[last].endIndex };
  for (const capture of cachedQuery(tree.language, QUERY).captures(root, span)) out.push(capture);
  readStatements(last + 1, statements.length);
  return out;
}

/** The same captures from one query over the whole tree (the reference the statement reading must agree with). */
export function modelCodeCapturesByQuery(tree: Tree): QueryCapture[] {
  const root = tree.rootNode;
  return cachedQuery(tree.language, root.hasError ? QUERY + ERROR_QUERY : QUERY).captures(root, QUERY_OPTIONS);
}

/** The calls directly in an expression statement, and `target = call(...)` assignments (target, then call). */
function statementCaptures(statement: Node, out: QueryCapture[]): void {
  for (const child of namedChildList(statement)) {
    const type = child.type;
    if (type === 'call') out.push({ patternIndex: STATEMENT_CALL_PATTERN, name: 'call', node: child });
    else if (type === 'assignment') {
      const right = child.childForFieldName('right');
      if (!right || right.type !== 'call') continue;
      const left = child.childForFieldName('left');
      if (!left) continue;
      out.push({ patternIndex: ASSIGNMENT_PATTERN, name: 'target', node: left });
      out.push({ patternIndex: ASSIGNMENT_PATTERN, name: 'call', node: right });
    }
  }
}

/**
 * Where the `)` of `f(a)` stands when the statement is one call applied to arguments, `f(a)(b)` or
 * `x = f(a)(b)`; -1 otherwise.
 */
function ownApplicationJunction(statement: Node): number {
  if (statement.namedChildCount !== 1) return -1;
  let call = statement.firstNamedChild;
  if (call?.type === 'assignment') call = call.childForFieldName('right');
  if (!call || call.type !== 'call') return -1;
  const fn = call.firstNamedChild;
  // A call ends with the `)` of its arguments (the tree has no errors here).
  return fn && fn.type === 'call' ? fn.endIndex - 1 : -1;
}

/**
 * Whether source[start, end) might contain a match of the nested patterns: a call applied to arguments
 * (`f(a)(b)`: a `)` then, past whitespace, comments and line continuations, a `(`) or a list comprehension
 * (the keyword `for`). Over-inclusive on purpose (strings and comments count too): a false alarm only sends
 * the statement to the query, a miss would lose a layer. `except`: the offset of a `)` known not to matter.
 */
export function mayHoldNestedMatch(source: string, start: number, end: number, except = -1): boolean {
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 41 /* ) */ && i !== except) {
      let j = i + 1;
      while (j < end) {
        const d = source.charCodeAt(j);
        if (d === 35 /* # */) {
          while (j < end && source.charCodeAt(j) !== 10) j++;
        } else if (d <= 32 || d === 92 /* \ */ || d > 127) j++;
        else break;
      }
      if (j < end && source.charCodeAt(j) === 40 /* ( */) return true;
    } else if (c === 102 /* f */ && source.charCodeAt(i + 1) === 111 && source.charCodeAt(i + 2) === 114 && !isAsciiNameChar(source.charCodeAt(i - 1)) && !isAsciiNameChar(source.charCodeAt(i + 3))) {
      return true;
    }
  }
  return false;
}

function isAsciiNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
