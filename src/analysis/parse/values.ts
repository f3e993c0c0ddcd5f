/**
 * Static value resolution: what a literal, a constant, a default argument or a little arithmetic over
 * them amounts to, without running anything. What cannot be known stays `symbolic` with its source text;
 * nothing is guessed.
 *
 * Name lookup follows the language's scopes as far as a reader can see them: the innermost scope takes
 * the latest assignment written before the use (straight-line reading), function parameters give their
 * default, outer scopes give their single assignment (or the latest before the use when there are several),
 * and anything rebound in a way a reader cannot follow (augmented assignment, loop variable, unpacking,
 * `let`/`var`) is unknown. Lookups are cycle-safe and depth-bounded.
 */
import type { Node } from 'web-tree-sitter';
import type { Argument, Value } from '../ir';
import { isPlainName, type NamedArgumentSyntax, PYTHON_KEYWORD_ARGUMENT, splitNameValue, TS_PROPERTY } from './literals';
import { MAX_NESTING, namedChildList, namedChildrenOf, rangeOf, rangeWithText, shortText } from './syntax';

/** A name's binding in one scope; `value` null means "rebound in a way we cannot follow". */
interface Binding {
  /** Byte-independent offset (UTF-16 index) where the binding is complete; -1 for parameters. */
  end: number;
  value: Node | null;
  isParameter: boolean;
}

type ScopeIndex = Map<string, Binding[]>;

/** Scopes from the innermost outwards; the last one is the whole file. */
export type ScopeChain = readonly Node[];

export const symbolic = (text: string): Value => ({ kind: 'symbolic', text });

/**
 * The row of the opening bracket when a bracketed list (`(...)`, `{...}`) is not properly closed: a half-typed
 * call, which tree-sitter closes with a MISSING token, or with an outer construct's brackets (an ERROR child
 * holding the `]` of the list around it), after swallowing the following lines. Undefined for a finished list.
 * Only a list with an error pays for the child lookups.
 */
export function unfinishedRow(list: Node): number | undefined {
  if (!list.hasError) return undefined;
  const last = list.lastChild;
  const closed = last && !last.isMissing && (last.type === ')' || last.type === '}');
  if (closed && !list.children.some((child) => child?.type === 'ERROR')) return undefined;
  return list.startPosition.row;
}

/** The items of a list that belong to it: in an unfinished one, those written on its opening line only. */
function ownItems(list: Node, items: Node[]): Node[] {
  const row = unfinishedRow(list);
  if (row === undefined) return items;
  // Text on a later line of an unfinished call is the next statement or layer, not this call's argument; that
  // holds for the value of a `units=` / `units:` left open at the end of the line too.
  return items.filter((item) => {
    const named = item.type === 'keyword_argument' || item.type === 'pair';
    return (named ? item.lastNamedChild ?? item : item).startPosition.row <= row;
  });
}

function numeric(value: Value | undefined): number | undefined {
  return value && value.kind === 'number' ? value.value : undefined;
}

/** Arithmetic on resolved values, shared by both languages; undefined when it does not apply. */
export function arithmetic(op: string, left: Value, right: Value, pythonSemantics: boolean): Value | undefined {
  const value = exactArithmetic(op, left, right, pythonSemantics);
  // Overflow (2 ** 2000, 1e308 * 10) is no size a layer can have: leave it unresolved rather than pass Infinity on.
  return value?.kind === 'number' && !Number.isFinite(value.value) ? undefined : value;
}

function exactArithmetic(op: string, left: Value, right: Value, pythonSemantics: boolean): Value | undefined {
  const a = numeric(left);
  const b = numeric(right);
  if (a !== undefined && b !== undefined) {
    switch (op) {
      case '+': return { kind: 'number', value: a + b };
      case '-': return { kind: 'number', value: a - b };
      case '*': return { kind: 'number', value: a * b };
      case '/': return b === 0 ? undefined : { kind: 'number', value: a / b };
      case '//': return b === 0 ? undefined : { kind: 'number', value: Math.floor(a / b) };
      case '%': {
        if (b === 0) return undefined;
        // Python's % takes the sign of the divisor, JS's that of the dividend.
        const r = a % b;
        return { kind: 'number', value: pythonSemantics && r !== 0 && r < 0 !== b < 0 ? r + b : r };
      }
      case '**': return { kind: 'number', value: a ** b };
      default: return undefined;
    }
  }
  if (op === '+' && left.kind === 'string' && right.kind === 'string') return { kind: 'string', value: left.value + right.value };
  if (op === '+' && left.kind === 'list' && right.kind === 'list') return { kind: 'list', items: [...left.items, ...right.items] };
  if (pythonSemantics && op === '*') {
    const list = left.kind === 'list' ? left : right.kind === 'list' ? right : undefined;
    const times = left.kind === 'list' ? b : a;
    if (list && times !== undefined && Number.isInteger(times) && times >= 0 && times * list.items.length <= 10_000) {
      const items: Value[] = [];
      for (let i = 0; i < times; i++) items.push(...list.items);
      return { kind: 'list', items };
    }
  }
  return undefined;
}

/** A comparison of two numbers or two strings; undefined for anything else. */
function compare(op: string, left: Value, right: Value): Value | undefined {
  const both = (left.kind === 'number' && right.kind === 'number') || (left.kind === 'string' && right.kind === 'string');
  if (!both) return (op === '==' || op === '!=') && left.kind !== right.kind && isPlain(left) && isPlain(right) ? { kind: 'bool', value: op === '!=' } : undefined;
  const a = (left as { value: number | string }).value;
  const b = (right as { value: number | string }).value;
  switch (op) {
    case '==': return { kind: 'bool', value: a === b };
    case '!=': return { kind: 'bool', value: a !== b };
    case '<': return { kind: 'bool', value: a < b };
    case '<=': return { kind: 'bool', value: a <= b };
    case '>': return { kind: 'bool', value: a > b };
    case '>=': return { kind: 'bool', value: a >= b };
    default: return undefined;
  }
}

/** A number or a string: values whose kinds alone tell `==` apart (a number never equals a string in Python). */
function isPlain(value: Value): boolean {
  return value.kind === 'number' || value.kind === 'string';
}

function unary(op: string, operand: Value): Value | undefined {
  const n = numeric(operand);
  if (n === undefined) return undefined;
  if (op === '-') return { kind: 'number', value: -n };
  if (op === '+') return { kind: 'number', value: n };
  return undefined;
}

function index(container: Value, key: Value): Value | undefined {
  if (container.kind === 'list' && key.kind === 'number' && Number.isInteger(key.value)) {
    const i = key.value < 0 ? container.items.length + key.value : key.value;
    return container.items[i];
  }
  if (container.kind === 'object' && (key.kind === 'string' || key.kind === 'number')) {
    const k = String(key.value);
    return Object.prototype.hasOwnProperty.call(container.entries, k) ? container.entries[k] : undefined;
  }
  return undefined;
}

function decodeEscape(escape: string): string {
  switch (escape[1]) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '0': return '\0';
    case '\\': return '\\';
    case "'": return "'";
    case '"': return '"';
    case '`': return '`';
    default: return escape;
  }
}

/**
 * Depth below which a call is materialised as a `call` Value (callee + evaluated arguments); deeper it stays
 * symbolic. Values nest calls two or three deep (`VarianceScaling(...)`, `gain=calculate_gain('tanh')`); a layer
 * nested in a layer's arguments is read as a layer of its own by the reader, so evaluating it again here made
 * n nested layer calls cost n·MAX_NESTING evaluations (1,000 nested `Dense(`: ~160 ms CPU, now ~30 ms).
 */
const MAX_CALL_VALUE_DEPTH = 16;

/** Shared machinery: per-scope indexes built lazily, once, and a visiting set against cycles. */
abstract class ValueReader {
  private readonly indexes = new Map<number, ScopeIndex>();
  private readonly visiting = new Set<number>();
  /**
   * Arguments a caller passed to a function's parameters (function node id → name → value), set while a block
   * class is re-read for one of its instantiations (`Block(64, stride=2)`): its parameters then mean what that
   * call passed, and a parameter the call left out keeps its default.
   */
  private readonly boundParameters = new Map<number, ReadonlyMap<string, Value>>();

  /**
   * Names of a function given values by an interpretation of its body (`in_ch = v` carried between loop
   * iterations, `self.in_planes` after a helper call): function node id → name (`x`, `self.x`) → value. They take
   * precedence over the function's own assignments and parameters while set.
   */
  private readonly overrides = new Map<number, ReadonlyMap<string, Value>>();
  /** `Block.expansion` where `Block` names one of the file's classes: the class attribute's value (set by the reader). */
  classAttribute?: (className: string, attribute: string, depth: number) => Value | undefined;
  /** Whether a name is one of the file's classes: a name bound to a class (`block=Block`) then stands for the class. */
  isClassName?: (name: string) => boolean;

  /** Runs `read` with names of `fn` bound to `values` (see overrides); nested bindings of other functions stack. */
  withNames<T>(fn: Node, values: ReadonlyMap<string, Value>, read: () => T): T {
    const previous = this.overrides.get(fn.id);
    this.overrides.set(fn.id, values);
    try {
      return read();
    } finally {
      if (previous) this.overrides.set(fn.id, previous);
      else this.overrides.delete(fn.id);
    }
  }

  /** The value an interpretation gave `name` in `scope`, if any. */
  protected overridden(scope: Node | undefined, name: string): Value | undefined {
    return this.overrides.size && scope ? this.overrides.get(scope.id)?.get(name) : undefined;
  }

  /** Runs `read` with `fn`'s parameters bound to `values` (see boundParameters); nested bindings of other functions stack. */
  withParameters<T>(fn: Node, values: ReadonlyMap<string, Value>, read: () => T): T {
    const previous = this.boundParameters.get(fn.id);
    this.boundParameters.set(fn.id, values);
    try {
      return read();
    } finally {
      if (previous) this.boundParameters.set(fn.id, previous);
      else this.boundParameters.delete(fn.id);
    }
  }

  protected abstract buildIndex(scope: Node): ScopeIndex;
  abstract evaluate(node: Node, scopes: ScopeChain, depth?: number): Value;
  /** What a plain name used at offset `useAt` stands for, by the language's scope rules. */
  protected abstract lookupName(name: string, useAt: number, scopes: ScopeChain, depth: number): Value;

  /**
   * A named argument (`name=value`, `key: value`) read from its text when the value is one literal token or
   * one name: one call into WASM instead of seven to ten, and no node objects. Undefined for anything else,
   * which the caller reads from the nodes; test/unit/parse-literal-arguments.test.ts compares both ways.
   */
  protected namedArgumentFromText(node: Node, scopes: ScopeChain, depth: number, syntax: NamedArgumentSyntax): Argument | undefined {
    if (depth > MAX_NESTING) return undefined;
    const text = node.text;
    const split = splitNameValue(text, syntax.separator);
    if (!split) return undefined;
    const { name, valueStart, valueText } = split;
    let value = syntax.literal(valueText);
    if (!value && isPlainName(valueText) && !syntax.reserved.has(valueText)) value = this.lookupName(valueText, node.startIndex + valueStart, scopes, depth);
    if (!value) return undefined;
    // The text is on one line (splitNameValue checked): its ranges follow from it.
    const { row, column } = node.startPosition;
    const end = { line: row, column: column + text.length };
    return { name, value, range: { start: { line: row, column }, end }, valueRange: { start: { line: row, column: column + valueStart }, end } };
  }

  protected scopeIndex(scope: Node): ScopeIndex {
    let found = this.indexes.get(scope.id);
    if (!found) this.indexes.set(scope.id, (found = this.buildIndex(scope)));
    return found;
  }

  /** Resolves `name` used at offset `useAt` inside `scopes[0]`. */
  protected lookup(name: string, useAt: number, scopes: ScopeChain, depth: number, parameterMeansUnknown: (b: Binding) => Value): Value {
    for (let level = 0; level < scopes.length; level++) {
      if (this.overrides.size) {
        const over = this.overrides.get(scopes[level].id)?.get(name);
        if (over) return over;
      }
      const bindings = this.scopeIndex(scopes[level]).get(name);
      if (!bindings || bindings.length === 0) continue;
      let chosen: Binding | undefined;
      for (const b of bindings) if (b.end <= useAt) chosen = b;
      if (!chosen) {
        if (level === 0) return symbolic(name); // only assigned after this point in the same scope: unknowable here
        chosen = bindings.length === 1 ? bindings[0] : undefined;
        if (!chosen) return symbolic(name);
      }
      if (chosen.isParameter && this.boundParameters.size) {
        const bound = this.boundParameters.get(scopes[level].id)?.get(name);
        if (bound) return bound;
      }
      if (!chosen.value) return chosen.isParameter ? parameterMeansUnknown(chosen) : symbolic(name);
      return this.evaluateBound(chosen.value, scopes.slice(level), depth, name);
    }
    return symbolic(name);
  }

  private evaluateBound(node: Node, scopes: ScopeChain, depth: number, name: string): Value {
    if (this.visiting.has(node.id) || depth > MAX_NESTING) return symbolic(name);
    this.visiting.add(node.id);
    try {
      const value = this.evaluate(node, scopes, depth + 1);
      // A name whose definition is itself unknown reads better as the name than as the other expression.
      return value.kind === 'symbolic' && !this.isClassName?.(value.text) ? symbolic(name) : value;
    } finally {
      this.visiting.delete(node.id);
    }
  }
}

/**
 * The explicit stack of a statement walk, which reads each node's type once, as the node is pushed: every
 * read is a call into WASM, and the walk switches on the type of every node it pops.
 */
class TypedNodeStack {
  private readonly nodes: Node[] = [];
  private readonly types: string[] = [];

  constructor(first: Node) {
    this.push(first);
  }

  push(node: Node): void {
    this.nodes.push(node);
    this.types.push(node.type);
  }

  /** The last pushed node and its type, or undefined when the stack is empty. */
  pop(): { node: Node; type: string } | undefined {
    const node = this.nodes.pop();
    return node && { node, type: this.types.pop()! };
  }
}

function addBinding(index: ScopeIndex, name: string, binding: Binding): void {
  const list = index.get(name);
  if (list) list.push(binding);
  else index.set(name, [binding]);
}

// ---------------------------------------------------------------------------------------------- Python

const PY_FUNCTION = 'function_definition';

export class PythonValues extends ValueReader {
  protected buildIndex(scope: Node): ScopeIndex {
    const index: ScopeIndex = new Map();
    let body: Node | null = scope;
    if (scope.type === PY_FUNCTION) {
      const params = scope.childForFieldName('parameters');
      if (params) this.indexParameters(params, index);
      body = scope.childForFieldName('body');
    } else if (scope.type === 'class_definition') {
      body = scope.childForFieldName('body');
    }
    if (body) this.indexStatements(body, index);
    return index;
  }

  private indexParameters(params: Node, index: ScopeIndex): void {
    for (const p of namedChildrenOf(params)) {
      if (p.type === 'identifier') addBinding(index, p.text, { end: -1, value: null, isParameter: true });
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        const name = p.childForFieldName('name');
        if (name) addBinding(index, name.text, { end: -1, value: p.childForFieldName('value'), isParameter: true });
      } else if (p.type === 'typed_parameter') {
        const name = namedChildList(p).find((c) => c?.type === 'identifier');
        if (name) addBinding(index, name.text, { end: -1, value: null, isParameter: true });
      }
    }
  }

  /**
   * Walks the statements of a scope (not nested functions or classes) with an explicit stack. Each node's type
   * is read once, as it is pushed (every read is a call into WASM); comments are pushed too and fall through.
   */
  private indexStatements(body: Node, index: ScopeIndex): void {
    const stack = new TypedNodeStack(body);
    const unknown = (nameNode: Node | null | undefined, end: number) => {
      if (!nameNode) return;
      if (nameNode.type === 'identifier') addBinding(index, nameNode.text, { end, value: null, isParameter: false });
      else for (const c of namedChildList(nameNode)) if (c.type === 'identifier') addBinding(index, c.text, { end, value: null, isParameter: false });
    };
    for (let top = stack.pop(); top; top = stack.pop()) {
      const { node } = top;
      switch (top.type) {
        case 'module':
        case 'block':
        case 'else_clause':
        case 'finally_clause':
        case 'except_clause':
        case 'elif_clause':
        case 'if_statement':
        case 'while_statement':
        case 'try_statement':
        case 'with_statement':
        case 'ERROR': {
          const children = namedChildList(node);
          for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
          break;
        }
        case 'for_statement': {
          unknown(node.childForFieldName('left'), node.startIndex);
          const body = node.childForFieldName('body');
          if (body) stack.push(body);
          break;
        }
        case 'with_clause':
        case 'with_item': {
          for (const c of namedChildList(node)) stack.push(c);
          break;
        }
        case 'as_pattern': {
          unknown(node.childForFieldName('alias') ?? namedChildList(node)[node.namedChildCount - 1], node.endIndex);
          break;
        }
        case 'expression_statement': {
          for (const c of namedChildList(node)) {
            const type = c.type;
            if (type === 'assignment') this.indexAssignment(c, index, unknown);
            else if (type === 'augmented_assignment') unknown(c.childForFieldName('left'), c.endIndex);
          }
          break;
        }
        case 'function_definition':
        case 'class_definition':
          unknown(node.childForFieldName('name'), node.startIndex);
          break;
        case 'decorated_definition':
          unknown(node.childForFieldName('definition')?.childForFieldName('name'), node.startIndex);
          break;
        default:
          break;
      }
    }
  }

  /** `assignment` is known to be an `assignment` node. */
  private indexAssignment(assignment: Node, index: ScopeIndex, unknown: (n: Node | null, end: number) => void): void {
    // `a = b = 5`: every target gets the innermost right-hand side.
    const targets: Node[] = [];
    let current: Node | null = assignment;
    let value: Node | null = null;
    while (current) {
      const left = current.childForFieldName('left');
      if (left) targets.push(left);
      value = current.childForFieldName('right');
      current = value && value.type === 'assignment' ? value : null;
    }
    const end = assignment.endIndex;
    for (const left of targets) {
      const type = left.type;
      if (type === 'identifier') addBinding(index, left.text, { end, value, isParameter: false });
      else if (type === 'attribute') {
        const object = left.childForFieldName('object');
        const attr = left.childForFieldName('attribute');
        if (object?.type === 'identifier' && object.text === 'self' && attr) addBinding(index, `self.${attr.text}`, { end, value, isParameter: false });
      } else unknown(left, end);
    }
  }

  /** `knownText` and `knownType`: the node's text and type when the caller has read them already (each read is a call into WASM). */
  evaluate(node: Node, scopes: ScopeChain, depth = 0, knownText?: string, knownType?: string): Value {
    if (depth > MAX_NESTING) return symbolic(shortText(node));
    switch (knownType ?? node.type) {
      case 'integer': {
        const text = (knownText ?? node.text).replaceAll('_', '');
        if (text.endsWith('j') || text.endsWith('J')) return symbolic(node.text);
        const n = Number(text);
        return Number.isFinite(n) ? { kind: 'number', value: n } : symbolic(node.text);
      }
      case 'float': {
        const text = (knownText ?? node.text).replaceAll('_', '');
        if (text.endsWith('j') || text.endsWith('J')) return symbolic(text);
        const n = Number(text);
        return Number.isFinite(n) ? { kind: 'number', value: n } : symbolic(node.text);
      }
      case 'true': return { kind: 'bool', value: true };
      case 'false': return { kind: 'bool', value: false };
      case 'none': return { kind: 'none' };
      case 'string': return this.string(node, knownText, scopes, depth);
      case 'concatenated_string': {
        let out = '';
        for (const part of namedChildrenOf(node)) {
          const v = part.type === 'string' ? this.string(part) : symbolic('');
          if (v.kind !== 'string') return symbolic(shortText(node));
          out += v.value;
        }
        return { kind: 'string', value: out };
      }
      case 'parenthesized_expression': {
        const inner = namedChildrenOf(node)[0];
        return inner ? this.evaluate(inner, scopes, depth + 1) : symbolic(shortText(node));
      }
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const items: Value[] = [];
        for (const item of namedChildrenOf(node)) {
          if (item.type === 'list_splat') return symbolic(shortText(node));
          items.push(this.evaluate(item, scopes, depth + 1));
        }
        return { kind: 'list', items };
      }
      case 'dictionary': {
        const entries: Record<string, Value> = {};
        for (const pair of namedChildrenOf(node)) {
          if (pair.type !== 'pair') return symbolic(shortText(node));
          const key = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          if (!key || !value) continue;
          const k = this.evaluate(key, scopes, depth + 1);
          if (k.kind !== 'string' && k.kind !== 'number') return symbolic(shortText(node));
          entries[String(k.value)] = this.evaluate(value, scopes, depth + 1);
        }
        return { kind: 'object', entries };
      }
      case 'unary_operator': {
        const operand = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text ?? node.child(0)?.text ?? '';
        if (!operand) return symbolic(shortText(node));
        return unary(op, this.evaluate(operand, scopes, depth + 1)) ?? symbolic(shortText(node));
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        if (!left || !right || !op) return symbolic(shortText(node));
        const result = arithmetic(op, this.evaluate(left, scopes, depth + 1), this.evaluate(right, scopes, depth + 1), true);
        return result ?? symbolic(shortText(node));
      }
      case 'comparison_operator': {
        // `i % 2 == 0`, `stride != 1`: one comparison of two known numbers or strings.
        const operands = namedChildrenOf(node);
        const ops = node.children.filter((c) => c && !c.isNamed);
        if (operands.length !== 2 || ops.length !== 1) return symbolic(shortText(node));
        const a = this.evaluate(operands[0], scopes, depth + 1);
        const b = this.evaluate(operands[1], scopes, depth + 1);
        return compare(ops[0]!.text, a, b) ?? symbolic(shortText(node));
      }
      case 'identifier':
        return this.lookupName(knownText ?? node.text, node.startIndex, scopes, depth);
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute');
        if (object?.type === 'identifier' && object.text === 'self' && attr) return this.lookupSelf(`self.${attr.text}`, node, scopes, depth);
        if (this.classAttribute && object?.type === 'identifier' && attr) {
          // `block.expansion` / `Unit.expansion`: a class attribute of one of the file's classes.
          const owner = this.evaluate(object, scopes, depth + 1);
          const found = owner.kind === 'symbolic' ? this.classAttribute(owner.text, attr.text, depth + 1) : undefined;
          if (found) return found;
        }
        return symbolic(shortText(node));
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const key = node.childForFieldName('subscript');
        if (!value || !key) return symbolic(shortText(node));
        const found = index(this.evaluate(value, scopes, depth + 1), this.evaluate(key, scopes, depth + 1));
        return found ?? symbolic(shortText(node));
      }
      case 'call': {
        if (depth > MAX_CALL_VALUE_DEPTH) return symbolic(shortText(node));
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        return { kind: 'call', callee: fn ? fn.text : '', args: args && args.type === 'argument_list' ? this.arguments(args, scopes, depth + 1) : [] };
      }
      default:
        return symbolic(shortText(node));
    }
  }

  /** Arguments of a Python call: positional first, then keyword ones, as written. */
  arguments(argumentList: Node, scopes: ScopeChain, depth = 0): Argument[] {
    const positional: Argument[] = [];
    const keyword: Argument[] = [];
    for (const arg of ownItems(argumentList, namedChildList(argumentList))) {
      const type = arg.type;
      if (type === 'keyword_argument') {
        const read = this.literalKeywordArgument(arg, scopes, depth) ?? this.keywordArgument(arg, scopes, depth);
        if (read) keyword.push(read);
      } else if (type === 'list_splat' || type === 'dictionary_splat' || type === 'ERROR' || type === 'comment') {
        continue; // *args / **kwargs: nothing a reader can attribute to a parameter
      } else {
        const text = arg.text;
        const range = rangeWithText(arg, text);
        positional.push({ value: this.evaluate(arg, scopes, depth, text, type), range, valueRange: range });
      }
    }
    return positional.concat(keyword);
  }

  /** `name=value` read from its nodes; undefined when the value is missing. */
  keywordArgument(arg: Node, scopes: ScopeChain, depth: number): Argument | undefined {
    // Named children of `name=value` are exactly the name and the value (read by position: cheaper than by field).
    const kids = namedChildList(arg);
    if (kids.length < 2) return undefined;
    const name = kids[0];
    const value = kids[kids.length - 1];
    const valueText = value.text;
    const valueRange = rangeWithText(value, valueText);
    // `name=value` ends where its value ends.
    const start = arg.startPosition;
    const range = { start: { line: start.row, column: start.column }, end: valueRange.end };
    return { name: name.text, value: this.evaluate(value, scopes, depth, valueText), range, valueRange };
  }

  /** `units=64`, `activation="relu"`, `kernel_initializer=init` read from the text (see namedArgumentFromText). */
  literalKeywordArgument(arg: Node, scopes: ScopeChain, depth: number): Argument | undefined {
    return this.namedArgumentFromText(arg, scopes, depth, PYTHON_KEYWORD_ARGUMENT);
  }

  /** A `string` node (the caller has checked the type). */
  private string(node: Node, knownText?: string, scopes?: ScopeChain, depth = 0): Value {
    const quick = plainPythonString(knownText ?? node.text);
    if (quick !== undefined) return { kind: 'string', value: quick };
    let out = '';
    let raw = false;
    for (const child of node.children) {
      if (!child) continue;
      switch (child.type) {
        case 'string_start': {
          const prefix = child.text.toLowerCase();
          if (prefix.includes('b')) return symbolic(shortText(node));
          raw = prefix.includes('r');
          break;
        }
        case 'string_content': {
          // Escapes may appear as children of string_content in this grammar.
          let text = '';
          let cursor = child.startIndex;
          for (const esc of child.children) {
            if (!esc || esc.type !== 'escape_sequence') continue;
            text += sliceSource(child, cursor, esc.startIndex);
            text += raw ? esc.text : decodeEscape(esc.text);
            cursor = esc.endIndex;
          }
          text += sliceSource(child, cursor, child.endIndex);
          out += text;
          break;
        }
        case 'escape_sequence':
          out += raw ? child.text : decodeEscape(child.text);
          break;
        case 'interpolation': {
          // `f"fc{i}"`: a known number or string fills in; anything else (a format spec, an unknown name) does not.
          const inner = child.namedChildren;
          const value = scopes && inner.length === 1 && inner[0] ? this.evaluate(inner[0], scopes, depth + 1) : undefined;
          if (value?.kind === 'string') out += value.value;
          else if (value?.kind === 'number' && Number.isInteger(value.value)) out += String(value.value);
          else return symbolic(shortText(node));
          break;
        }
        default:
          break;
      }
    }
    return { kind: 'string', value: out };
  }

  protected lookupName(name: string, useAt: number, scopes: ScopeChain, depth: number): Value {
    // Class bodies are not visible from their methods: only the innermost scope may be a class.
    const visible = scopes.filter((s, i) => i === 0 || s.type !== 'class_definition');
    return this.lookup(name, useAt, visible, depth, () => symbolic(name));
  }

  /** `self.x`: the method's own assignments first, then the class's `__init__`. */
  private lookupSelf(name: string, node: Node, scopes: ScopeChain, depth: number): Value {
    const method = scopes[0]?.type === PY_FUNCTION ? scopes[0] : undefined;
    const over = this.overridden(method, name);
    if (over) return over;
    if (method && this.scopeIndex(method).has(name)) return this.lookup(name, node.startIndex, [method], depth, () => symbolic(name));
    const cls = scopes.find((s) => s.type === 'class_definition');
    const init = cls ? findInit(cls) : undefined;
    if (init && init !== method) {
      const chain = [init, ...scopes.slice(scopes.indexOf(cls!) + 1)];
      const found = this.lookup(name, Number.MAX_SAFE_INTEGER, chain, depth, () => symbolic(name));
      if (found.kind !== 'symbolic' || this.scopeIndex(init).has(name)) return found;
    }
    // `self.expansion` read from a class attribute (`expansion = 4` in the class body).
    const attr = name.slice('self.'.length);
    if (cls && this.scopeIndex(cls).has(attr)) return this.lookup(attr, Number.MAX_SAFE_INTEGER, [cls, ...scopes.slice(scopes.indexOf(cls) + 1)], depth, () => symbolic(name));
    return symbolic(name);
  }
}

/**
 * The value of a Python string literal without escapes or interpolation (`'relu'`, `r"x"`), read from its
 * token text: the common case, without creating a node per piece. Undefined means "take the slow path".
 */
function plainPythonString(token: string): string | undefined {
  let i = 0;
  while (i < token.length && token[i] !== '"' && token[i] !== "'") {
    const p = token[i].toLowerCase();
    if (p !== 'r' && p !== 'u') return undefined; // bytes and f-strings go the slow way
    i++;
  }
  const quote = token[i];
  if (quote === undefined) return undefined;
  const triple = token.startsWith(quote.repeat(3), i);
  const open = triple ? 3 : 1;
  const body = token.slice(i + open, token.length - open);
  if (token.length - i < 2 * open || body.includes('\\') || !token.endsWith(quote.repeat(open))) return undefined;
  return body;
}

/** The `__init__` method of a Python class, if it has one. */
export function findInit(cls: Node): Node | undefined {
  const body = cls.childForFieldName('body');
  if (!body) return undefined;
  for (const stmt of namedChildrenOf(body)) {
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === PY_FUNCTION && def.childForFieldName('name')?.text === '__init__') return def;
  }
  return undefined;
}

/** Source text between two offsets of the file a node belongs to. */
function sliceSource(node: Node, start: number, end: number): string {
  if (end <= start) return '';
  const text = node.text;
  return text.slice(start - node.startIndex, end - node.startIndex);
}

// ---------------------------------------------------------------------------------------------- TypeScript / JavaScript

const TS_FUNCTIONS = new Set(['function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function', 'function']);

export function isTsScope(node: Node): boolean {
  return TS_FUNCTIONS.has(node.type) || node.type === 'program';
}

export class TsValues extends ValueReader {
  protected buildIndex(scope: Node): ScopeIndex {
    const index: ScopeIndex = new Map();
    if (TS_FUNCTIONS.has(scope.type)) {
      const params = scope.childForFieldName('parameters') ?? scope.childForFieldName('parameter');
      if (params) this.indexParameters(params, index);
      const body = scope.childForFieldName('body');
      if (body && body.type === 'statement_block') this.indexStatements(body, index);
    } else {
      this.indexStatements(scope, index);
    }
    return index;
  }

  private indexParameters(params: Node, index: ScopeIndex): void {
    if (params.type === 'identifier') {
      addBinding(index, params.text, { end: -1, value: null, isParameter: true });
      return;
    }
    for (const p of namedChildrenOf(params)) {
      const pattern = p.type === 'identifier' ? p : p.childForFieldName('pattern');
      if (!pattern || pattern.type !== 'identifier') continue;
      addBinding(index, pattern.text, { end: -1, value: p.childForFieldName('value'), isParameter: true });
    }
  }

  /** Walks the statements of a scope with an explicit stack that reads each node's type once. */
  private indexStatements(body: Node, index: ScopeIndex): void {
    const stack = new TypedNodeStack(body);
    const unknownName = (name: string, end: number) => addBinding(index, name, { end, value: null, isParameter: false });
    for (let top = stack.pop(); top; top = stack.pop()) {
      const { node, type } = top;
      switch (type) {
        case 'program':
        case 'statement_block':
        case 'if_statement':
        case 'else_clause':
        case 'try_statement':
        case 'catch_clause':
        case 'finally_clause':
        case 'while_statement':
        case 'do_statement':
        case 'labeled_statement':
        case 'switch_statement':
        case 'switch_body':
        case 'switch_case':
        case 'switch_default':
        case 'ERROR': {
          const children = namedChildList(node);
          for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
          break;
        }
        case 'for_statement':
        case 'for_in_statement': {
          const body2 = node.childForFieldName('body');
          const init = node.childForFieldName('initializer') ?? node.childForFieldName('left');
          if (init) for (const id of declaredNames(init)) unknownName(id, node.startIndex);
          if (body2) stack.push(body2);
          break;
        }
        case 'export_statement': {
          const decl = node.childForFieldName('declaration');
          if (decl) stack.push(decl);
          break;
        }
        case 'lexical_declaration':
        case 'variable_declaration': {
          const isConst = type === 'lexical_declaration' && node.child(0)?.text === 'const';
          for (const decl of namedChildList(node)) {
            if (decl.type !== 'variable_declarator') continue;
            const name = decl.childForFieldName('name');
            if (!name) continue;
            if (name.type === 'identifier') addBinding(index, name.text, { end: decl.endIndex, value: isConst ? decl.childForFieldName('value') : null, isParameter: false });
            else for (const id of declaredNames(name)) unknownName(id, decl.endIndex);
          }
          break;
        }
        case 'expression_statement': {
          const expr = namedChildrenOf(node)[0];
          if (expr && (expr.type === 'assignment_expression' || expr.type === 'augmented_assignment_expression')) {
            const left = expr.childForFieldName('left');
            if (left?.type === 'identifier') unknownName(left.text, expr.endIndex);
          }
          break;
        }
        case 'function_declaration':
        case 'generator_function_declaration':
        case 'class_declaration': {
          const name = node.childForFieldName('name');
          if (name) unknownName(name.text, node.startIndex);
          break;
        }
        default:
          break;
      }
    }
  }

  evaluate(node: Node, scopes: ScopeChain, depth = 0): Value {
    if (depth > MAX_NESTING) return symbolic(shortText(node));
    switch (node.type) {
      case 'number': {
        const text = node.text.replaceAll('_', '');
        if (text.endsWith('n')) return symbolic(node.text);
        const n = Number(text);
        return Number.isFinite(n) ? { kind: 'number', value: n } : symbolic(node.text);
      }
      case 'true': return { kind: 'bool', value: true };
      case 'false': return { kind: 'bool', value: false };
      case 'null':
      case 'undefined':
        return { kind: 'none' };
      case 'string':
      case 'template_string':
        return this.string(node);
      case 'parenthesized_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'non_null_expression':
      case 'type_assertion': {
        const inner = node.type === 'type_assertion' ? namedChildrenOf(node)[1] : namedChildrenOf(node)[0];
        return inner ? this.evaluate(inner, scopes, depth + 1) : symbolic(shortText(node));
      }
      case 'array': {
        const items: Value[] = [];
        for (const item of namedChildrenOf(node)) {
          if (item.type === 'spread_element') return symbolic(shortText(node));
          items.push(this.evaluate(item, scopes, depth + 1));
        }
        return { kind: 'list', items };
      }
      case 'object': {
        const entries: Record<string, Value> = {};
        for (const prop of this.properties(node, scopes, depth + 1)) entries[prop.name!] = prop.value;
        return { kind: 'object', entries };
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('argument');
        const op = node.childForFieldName('operator')?.text ?? '';
        if (!operand) return symbolic(shortText(node));
        return unary(op, this.evaluate(operand, scopes, depth + 1)) ?? symbolic(shortText(node));
      }
      case 'binary_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        if (!left || !right || !op) return symbolic(shortText(node));
        return arithmetic(op, this.evaluate(left, scopes, depth + 1), this.evaluate(right, scopes, depth + 1), false) ?? symbolic(shortText(node));
      }
      case 'identifier': {
        const name = node.text;
        return name === 'undefined' ? { kind: 'none' } : this.lookupName(name, node.startIndex, scopes, depth);
      }
      case 'member_expression': {
        const object = node.childForFieldName('object');
        const property = node.childForFieldName('property');
        if (!object || !property) return symbolic(shortText(node));
        const found = index(this.evaluate(object, scopes, depth + 1), { kind: 'string', value: property.text });
        return found ?? symbolic(shortText(node));
      }
      case 'subscript_expression': {
        const object = node.childForFieldName('object');
        const key = node.childForFieldName('index');
        if (!object || !key) return symbolic(shortText(node));
        return index(this.evaluate(object, scopes, depth + 1), this.evaluate(key, scopes, depth + 1)) ?? symbolic(shortText(node));
      }
      case 'call_expression': {
        if (depth > MAX_CALL_VALUE_DEPTH) return symbolic(shortText(node));
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        return { kind: 'call', callee: fn ? fn.text : '', args: args ? this.callArguments(args, scopes, depth + 1).args : [] };
      }
      default:
        return symbolic(shortText(node));
    }
  }

  /**
   * Arguments of a TF.js call. TF.js takes one config object: its properties become named arguments
   * (also when the object is a `const` declared elsewhere). `configNode` is the object literal written
   * at the call, for `argsRange`.
   */
  callArguments(args: Node, scopes: ScopeChain, depth = 0): { args: Argument[]; configNode?: Node } {
    const list = ownItems(args, namedChildrenOf(args));
    if (list.length === 1 && list[0].type === 'object') return { args: this.properties(list[0], scopes, depth), configNode: list[0] };
    if (list.length === 1 && list[0].type === 'identifier') {
      const value = this.evaluate(list[0], scopes, depth);
      if (value.kind === 'object') {
        const range = rangeOf(list[0]);
        return { args: Object.entries(value.entries).map(([name, v]) => ({ name, value: v, range, valueRange: range })) };
      }
    }
    return { args: list.map((a) => ({ value: this.evaluate(a, scopes, depth), range: rangeOf(a), valueRange: rangeOf(a) })) };
  }

  /** Properties of an object literal as named arguments; nested objects become `object` values. */
  properties(object: Node, scopes: ScopeChain, depth = 0): Argument[] {
    const out: Argument[] = [];
    // Comments among the properties are neither kind: each property's type is read once (a call into WASM).
    for (const prop of ownItems(object, namedChildList(object))) {
      const type = prop.type;
      if (type === 'pair') {
        const read = this.literalPair(prop, scopes, depth) ?? this.pair(prop, scopes, depth);
        if (read) out.push(read);
      } else if (type === 'shorthand_property_identifier') {
        out.push({ name: prop.text, value: this.lookup(prop.text, prop.startIndex, scopes, depth, () => symbolic(prop.text)), range: rangeOf(prop), valueRange: rangeOf(prop) });
      }
    }
    return out;
  }

  /** `key: value` read from its nodes; undefined when a part is missing or the key is computed. */
  pair(prop: Node, scopes: ScopeChain, depth: number): Argument | undefined {
    const key = prop.childForFieldName('key');
    const value = prop.childForFieldName('value');
    if (!key || !value) return undefined;
    const name = this.propertyName(key);
    if (name === undefined) return undefined;
    return { name, value: this.evaluate(value, scopes, depth), range: rangeOf(prop), valueRange: rangeOf(value) };
  }

  protected lookupName(name: string, useAt: number, scopes: ScopeChain, depth: number): Value {
    return this.lookup(name, useAt, scopes, depth, () => symbolic(name));
  }

  /** `units: 64`, `activation: 'relu'`, `units: HIDDEN` read from the text (see namedArgumentFromText). */
  literalPair(prop: Node, scopes: ScopeChain, depth: number): Argument | undefined {
    return this.namedArgumentFromText(prop, scopes, depth, TS_PROPERTY);
  }

  private propertyName(key: Node): string | undefined {
    const type = key.type;
    if (type === 'property_identifier') return key.text;
    if (type === 'string') {
      const v = this.string(key);
      return v.kind === 'string' ? v.value : undefined;
    }
    if (type === 'number') return String(Number(key.text));
    return undefined;
  }

  private string(node: Node): Value {
    const token = node.text;
    const quote = token[0];
    if (token.length >= 2 && (quote === "'" || quote === '"' || quote === '`') && token.endsWith(quote)) {
      const body = token.slice(1, -1);
      if (!body.includes('\\') && !(quote === '`' && body.includes('${'))) return { kind: 'string', value: body };
    }
    let out = '';
    for (const child of namedChildList(node)) {
      if (!child) continue;
      if (child.type === 'string_fragment') out += child.text;
      else if (child.type === 'escape_sequence') out += decodeEscape(child.text);
      else if (child.type === 'template_substitution') return symbolic(shortText(node));
    }
    return { kind: 'string', value: out };
  }
}

/** Identifiers declared by a binding pattern or declaration (for marking them unknown). */
function declaredNames(node: Node): string[] {
  const names: string[] = [];
  const stack: Node[] = [node];
  let budget = 1000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    const type = n.type;
    if (type === 'identifier' || type === 'shorthand_property_identifier_pattern') names.push(n.text);
    else if (type !== 'number' && type !== 'string') for (const c of namedChildrenOf(n)) stack.push(c);
  }
  return names;
}
