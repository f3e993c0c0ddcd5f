/**
 * A small interpreter for the statements of a PyTorch `__init__` (and the helper methods it calls) that build
 * modules indirectly: lists filled in loops (`layers += [...]`, `layers.append(...)`) and handed to
 * `nn.Sequential(*layers)`, stages returned by a helper (`self.layer1 = self._make_layer(...)`), and
 * `self.add_module(f"fc{i}", ...)` in a loop. Each iteration is run with its own values (`in_ch = v` carried to the
 * next one), so every module call is recorded with the names as they stood when it ran.
 *
 * Only what can be evaluated is run: a loop over something unknown, a condition that cannot be decided, a `while`,
 * a `try` … stop the interpretation with the reason (an `Unknown`), and the caller reports it; nothing is guessed.
 * Every statement and loop iteration costs a step from a fixed budget, so `for i in range(10**9)` stops too.
 */
import type { Node } from 'web-tree-sitter';
import type { Value } from '../ir';
import { arithmetic, type ScopeChain, symbolic } from './values';
import { callArgs, callFunction, namedChildList, namedChildrenOf } from './syntax';

/** Statements and loop iterations one interpretation may run. */
export const STEP_BUDGET = 5_000;
/** Statements and loop iterations all interpretations of one file may run together (statements are re-run per caller). */
export const FILE_STEP_BUDGET = 20_000;
const MAX_HELPER_DEPTH = 8;
/** Builtins over iterables the interpreter evaluates. */
const ITERABLE_BUILTINS = new Set(['enumerate', 'zip', 'reversed', 'list', 'tuple']);
/** The most values a `range` turned into a list (inside `enumerate(range(n))` and the like) may have. */
const MAX_RANGE_VALUES = 10_000;
/** Methods of a module that only read it. */
const SELF_READERS = new Set(['modules', 'children', 'named_modules', 'named_children', 'parameters', 'named_parameters', 'buffers', 'named_buffers']);
/** Methods that change a list or container the interpretation may hold. */
const MUTATORS = new Set(['append', 'extend', 'insert', 'add_module', 'register_module', 'pop', 'remove', 'clear', 'update', 'setdefault']);

/** A module constructor call, with the names of its function as they stood when it ran. */
export interface Entry {
  call: Node;
  fn: Node;
  scopes: ScopeChain;
  names: ReadonlyMap<string, Value>;
}

/** A module `self.<name>` gets: the entries of a container built from a list (`indexed`, named name.0, name.1 …) or one module. */
export interface Registration {
  name: string;
  entries: Entry[];
  indexed: boolean;
}

export interface InterpreterHost {
  /** Evaluates `node` in `scopes` with `names` of `fn` overriding its bindings. */
  evaluate(node: Node, fn: Node, scopes: ScopeChain, names: ReadonlyMap<string, Value>): Value;
  /** Whether the call builds a module (a layer, a container, one of the file's module classes). */
  isModuleCall(call: Node, fn: Node, scopes: ScopeChain, names: ReadonlyMap<string, Value>): boolean;
  /** Whether the call is `nn.Sequential` / `nn.ModuleList`. */
  isContainerCall(call: Node): boolean;
  /** A method of the class being read, by name. */
  method(name: string): Node | undefined;
  /** A function defined at the top of the file, by name (`make_layers(cfg)`). */
  func(name: string): Node | undefined;
}

/** Why an interpretation stopped: the statement could not be evaluated, or the budget ran out. */
export class Unknown extends Error {
  constructor(
    readonly why: string,
    readonly budget = false,
  ) {
    super(why);
  }
}

class Return {
  constructor(readonly node: Node | undefined) {}
}

interface Frame {
  fn: Node;
  scopes: ScopeChain;
  names: Map<string, Value>;
  lists: Map<string, Entry[]>;
  modules: Map<string, Entry>;
  self: Map<string, Value>;
  /** `self.blocks = nn.ModuleList()`: the modules the container holds so far (appends are named by position). */
  selfLists: Map<string, Entry[]>;
  depth: number;
}

function line(node: Node): number {
  return node.startPosition.row + 1;
}

function truth(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'bool': return value.value;
    case 'number': return value.value !== 0;
    case 'string': return value.value !== '';
    case 'none': return false;
    case 'list': return value.items.length > 0;
    default: return undefined;
  }
}

function equal(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'symbolic' || b.kind === 'symbolic' || a.kind === 'call' || b.kind === 'call') return undefined;
  if ((a.kind === 'number' || a.kind === 'bool') && (b.kind === 'number' || b.kind === 'bool')) return Number(a.value) === Number(b.value);
  if (a.kind !== b.kind) return false;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if (a.kind === 'none') return true;
  if (a.kind === 'list' && b.kind === 'list') {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = equal(a.items[i], b.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  return undefined;
}

export class InitInterpreter {
  /** Steps this interpreter has run. */
  steps = 0;
  private sink: Registration[] | undefined;

  constructor(
    private readonly host: InterpreterHost,
    private readonly budget = STEP_BUDGET,
  ) {}

  /**
   * Runs the top-level statements of `init` before `stop`; then, when `collect`, `stop` itself, returning what it
   * registers on `self`. The names as they stand before `stop` are returned too (for reading `stop` statically).
   */
  run(init: Node, scopes: ScopeChain, stop: Node, collect: boolean): { registrations: Registration[]; names: ReadonlyMap<string, Value> } {
    const frame: Frame = { fn: init, scopes, names: new Map(), lists: new Map(), modules: new Map(), self: new Map(), selfLists: new Map(), depth: 0 };
    const body = init.type === 'module' ? init : init.childForFieldName('body');
    const registrations: Registration[] = [];
    for (const statement of body ? namedChildrenOf(body) : []) {
      if (statement.id === stop.id) {
        const names = this.snapshot(frame);
        if (collect) {
          this.sink = registrations;
          try {
            this.exec(statement, frame);
          } finally {
            this.sink = undefined;
          }
        }
        return { registrations, names };
      }
      this.exec(statement, frame);
    }
    return { registrations, names: this.snapshot(frame) };
  }

  /**
   * The modules of container call `call` (`model = nn.Sequential(*layers)` at the top of a file), after running the
   * statements of `scope` (the module, or a function) before `stop`, the statement holding the call.
   */
  containerEntries(scope: Node, scopes: ScopeChain, stop: Node, call: Node): Entry[] {
    const frame: Frame = { fn: scope, scopes, names: new Map(), lists: new Map(), modules: new Map(), self: new Map(), selfLists: new Map(), depth: 0 };
    const body = scope.type === 'module' ? scope : scope.childForFieldName('body');
    for (const statement of body ? namedChildrenOf(body) : []) {
      if (statement.id === stop.id) break;
      this.exec(statement, frame);
    }
    return this.moduleValue(call, frame)?.entries ?? [];
  }

  private snapshot(frame: Frame): Map<string, Value> {
    const out = new Map(frame.self);
    for (const [k, v] of frame.names) out.set(k, v);
    return out;
  }

  private step(node: Node): void {
    if (++this.steps > this.budget) throw new Unknown(`stopped after ${this.budget} steps (line ${line(node)})`, true);
  }

  private evaluate(node: Node, frame: Frame): Value {
    switch (node.type) {
      case 'comparison_operator': return this.compare(node, frame);
      case 'boolean_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text ?? node.child(1)?.text;
        if (!left || !right) return symbolic(node.text);
        const l = truth(this.evaluate(left, frame));
        if (l === undefined) return symbolic(node.text);
        if (op === 'and' && !l) return { kind: 'bool', value: false };
        if (op === 'or' && l) return { kind: 'bool', value: true };
        const r = truth(this.evaluate(right, frame));
        return r === undefined ? symbolic(node.text) : { kind: 'bool', value: r };
      }
      case 'not_operator': {
        const arg = node.childForFieldName('argument');
        const t = arg ? truth(this.evaluate(arg, frame)) : undefined;
        return t === undefined ? symbolic(node.text) : { kind: 'bool', value: !t };
      }
      case 'parenthesized_expression': {
        const inner = namedChildrenOf(node)[0];
        return inner ? this.evaluate(inner, frame) : symbolic(node.text);
      }
      case 'binary_operator': {
        // Read here too so that `len(layers) - 1` and the like are known.
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        if (!left || !right || !op) return symbolic(node.text);
        return arithmetic(op, this.evaluate(left, frame), this.evaluate(right, frame), true) ?? symbolic(node.text);
      }
      case 'call': {
        const fn = callFunction(node);
        const args = callArgs(node);
        if (fn?.type === 'identifier' && args && ITERABLE_BUILTINS.has(fn.text)) {
          const found = this.iterableBuiltin(fn.text, namedChildrenOf(args), frame);
          if (found) return found;
        }
        if (fn?.type === 'identifier' && fn.text === 'len' && args) {
          const only = namedChildrenOf(args);
          if (only.length === 1) {
            if (only[0].type === 'identifier' && frame.lists.has(only[0].text)) return { kind: 'number', value: frame.lists.get(only[0].text)!.length };
            const v = this.evaluate(only[0], frame);
            if (v.kind === 'list') return { kind: 'number', value: v.items.length };
            if (v.kind === 'string') return { kind: 'number', value: v.value.length };
          }
          return symbolic(node.text);
        }
        break;
      }
      default:
        break;
    }
    return this.host.evaluate(node, frame.fn, frame.scopes, this.snapshot(frame));
  }

  /** `enumerate(xs)`, `zip(a, b)`, `reversed(xs)`, `list(xs)`, `tuple(xs)` over known lists (and `range`); undefined otherwise. */
  private iterableBuiltin(name: string, args: Node[], frame: Frame): Value | undefined {
    if (args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
    const lists = args.map((a) => this.listOf(a, frame));
    if (lists.some((l) => l === undefined)) return undefined;
    const items = lists as Value[][];
    switch (name) {
      case 'enumerate':
        return items.length === 1 ? { kind: 'list', items: items[0].map((v, i) => ({ kind: 'list', items: [{ kind: 'number', value: i }, v] })) } : undefined;
      case 'zip': {
        if (items.length === 0) return undefined;
        const n = Math.min(...items.map((l) => l.length));
        return { kind: 'list', items: Array.from({ length: n }, (_, i) => ({ kind: 'list', items: items.map((l) => l[i]) })) };
      }
      case 'reversed':
        return items.length === 1 ? { kind: 'list', items: [...items[0]].reverse() } : undefined;
      default: // list, tuple
        return items.length === 1 ? { kind: 'list', items: items[0] } : undefined;
    }
  }

  /** The values of a known list, or of a `range(...)` of at most MAX_RANGE_VALUES values. */
  private listOf(node: Node, frame: Frame): Value[] | undefined {
    const range = node.type === 'call' && callFunction(node)?.text === 'range' ? this.range(node, frame) : undefined;
    if (range) {
      const [start, stop, stepBy] = range;
      const count = Math.max(0, Math.ceil((stop - start) / stepBy));
      if (count > MAX_RANGE_VALUES) throw new Unknown(`\`${node.text}\` has too many values to follow (line ${line(node)})`, true);
      return Array.from({ length: count }, (_, i) => ({ kind: 'number', value: start + i * stepBy }));
    }
    const value = this.evaluate(node, frame);
    return value.kind === 'list' ? value.items : undefined;
  }

  private compare(node: Node, frame: Frame): Value {
    const operands = namedChildrenOf(node);
    const ops = node.children.filter((c): c is Node => !!c && !c.isNamed).map((c) => c.text);
    if (operands.length !== 2 || ops.length !== 1) return symbolic(node.text);
    const a = this.evaluate(operands[0], frame);
    const b = this.evaluate(operands[1], frame);
    const op = ops[0];
    let result: boolean | undefined;
    if (op === '==' || op === '!=') {
      const e = equal(a, b);
      result = e === undefined ? undefined : op === '==' ? e : !e;
    } else if (op === 'is' || op === 'is not') {
      const e = a.kind === 'none' || b.kind === 'none' ? equal(a, b) : undefined;
      result = e === undefined ? undefined : op === 'is' ? e : !e;
    } else if (a.kind === 'number' && b.kind === 'number') {
      if (op === '<') result = a.value < b.value;
      else if (op === '<=') result = a.value <= b.value;
      else if (op === '>') result = a.value > b.value;
      else if (op === '>=') result = a.value >= b.value;
    } else if ((op === 'in' || op === 'not in') && b.kind === 'list') {
      let found: boolean | undefined = false;
      for (const item of b.items) {
        const e = equal(a, item);
        if (e === undefined) found = undefined;
        else if (e) {
          found = true;
          break;
        }
      }
      result = found === undefined ? undefined : op === 'in' ? found : !found;
    }
    return result === undefined ? symbolic(node.text) : { kind: 'bool', value: result };
  }

  private exec(statement: Node, frame: Frame): void {
    this.step(statement);
    switch (statement.type) {
      case 'block':
        for (const s of namedChildrenOf(statement)) this.exec(s, frame);
        return;
      case 'expression_statement':
        for (const c of namedChildList(statement)) {
          if (c.type === 'assignment') this.assign(c, frame);
          else if (c.type === 'augmented_assignment') this.augment(c, frame);
          else if (c.type === 'call') this.callStatement(c, frame);
        }
        return;
      case 'if_statement':
        this.ifStatement(statement, frame);
        return;
      case 'for_statement':
        this.forStatement(statement, frame);
        return;
      case 'return_statement':
        throw new Return(namedChildrenOf(statement)[0]);
      case 'pass_statement':
      case 'comment':
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition':
      case 'assert_statement':
      case 'import_statement':
      case 'import_from_statement':
        return;
      default:
        if (this.effectFree(statement)) return;
        throw new Unknown(`a ${statement.type.replace(/_statement$/, '')} statement is not followed (line ${line(statement)})`);
    }
  }

  /**
   * Whether running `node` can change nothing the interpretation tracks: no assignment, no list or container
   * method, no helper call, no return (init calls such as `nn.init.zeros_(m.bias)` change nothing here). Such a
   * statement may be skipped when its condition or loop cannot be evaluated. Bounded: a large subtree is not free.
   */
  private effectFree(node: Node): boolean {
    const stack: Node[] = [node];
    for (let seen = 0; stack.length; seen++) {
      if (seen > 2000) return false;
      const n = stack.pop()!;
      const type = n.type;
      if (type === 'assignment' || type === 'augmented_assignment' || type === 'return_statement' || type === 'named_expression' || type === 'global_statement' || type === 'nonlocal_statement') return false;
      if (type === 'call') {
        const fn = callFunction(n);
        const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
        if (attr && MUTATORS.has(attr)) return false;
        // A helper, add_module, register_*: not free; self.modules() and the like only read.
        if (object?.type === 'identifier' && object.text === 'self' && !(attr && SELF_READERS.has(attr))) return false;
      }
      for (const c of namedChildList(n)) stack.push(c);
    }
    return true;
  }

  private ifStatement(statement: Node, frame: Frame): void {
    const branches: { condition: Node | null; body: Node | null }[] = [{ condition: statement.childForFieldName('condition'), body: statement.childForFieldName('consequence') }];
    for (const clause of namedChildrenOf(statement)) {
      if (clause.type === 'elif_clause') branches.push({ condition: clause.childForFieldName('condition'), body: clause.childForFieldName('consequence') });
      else if (clause.type === 'else_clause') branches.push({ condition: null, body: clause.childForFieldName('body') });
    }
    for (const branch of branches) {
      if (branch.condition) {
        const t = truth(this.evaluate(branch.condition, frame));
        if (t === undefined && this.effectFree(statement)) return;
        if (t === undefined) throw new Unknown(`the condition \`${branch.condition.text}\` cannot be decided (line ${line(branch.condition)})`);
        if (!t) continue;
      }
      if (branch.body) this.exec(branch.body, frame);
      return;
    }
  }

  private forStatement(statement: Node, frame: Frame): void {
    const left = statement.childForFieldName('left');
    const right = statement.childForFieldName('right');
    const body = statement.childForFieldName('body');
    if (!left || !right || !body) throw new Unknown(`an incomplete loop (line ${line(statement)})`);
    const run = (item: Value) => {
      this.step(statement);
      this.bind(left, item, frame);
      this.exec(body, frame);
    };
    const range = this.range(right, frame);
    if (range) {
      const [start, stop, stepBy] = range;
      for (let i = start; stepBy > 0 ? i < stop : i > stop; i += stepBy) run({ kind: 'number', value: i });
      return;
    }
    const items = this.evaluate(right, frame);
    if (items.kind !== 'list' && this.effectFree(body)) return; // `for m in self.modules(): nn.init...(m.weight)`
    if (items.kind !== 'list') throw new Unknown(`the loop over \`${right.text}\` cannot be followed: its values are not known (line ${line(statement)})`);
    for (const item of items.items) run(item);
  }

  private range(node: Node, frame: Frame): [number, number, number] | undefined {
    if (node.type !== 'call' || callFunction(node)?.text !== 'range') return undefined;
    const args = callArgs(node);
    const values = args ? namedChildrenOf(args).map((a) => this.evaluate(a, frame)) : [];
    const numbers = values.map((v) => (v.kind === 'number' && Number.isInteger(v.value) ? v.value : undefined));
    if (numbers.length < 1 || numbers.length > 3 || numbers.some((n) => n === undefined)) throw new Unknown(`the bounds of \`${node.text}\` are not known (line ${line(node)})`);
    const n = numbers as number[];
    const [start, stop, stepBy] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
    if (stepBy === 0) throw new Unknown(`\`${node.text}\` has a zero step (line ${line(node)})`);
    return [start, stop, stepBy];
  }

  private bind(target: Node, value: Value, frame: Frame): void {
    const type = target.type;
    if (type === 'identifier') {
      frame.names.set(target.text, value);
      frame.lists.delete(target.text);
      frame.modules.delete(target.text);
    } else if (type === 'attribute' && target.childForFieldName('object')?.text === 'self') {
      frame.self.set(`self.${target.childForFieldName('attribute')!.text}`, value);
    } else if (type === 'tuple' || type === 'pattern_list' || type === 'list' || type === 'tuple_pattern' || type === 'list_pattern') {
      const parts = namedChildrenOf(target);
      const items = value.kind === 'list' && value.items.length === parts.length ? value.items : undefined;
      parts.forEach((p, i) => this.bind(p, items ? items[i] : symbolic(p.text), frame));
    } else throw new Unknown(`cannot follow the assignment to \`${target.text}\` (line ${line(target)})`);
  }

  /** Module calls in `node` (a call, a list of calls, a name bound to a module or a list of them); undefined when it is no such thing. */
  private entries(node: Node, frame: Frame): Entry[] | undefined {
    const type = node.type;
    if (type === 'call') {
      return this.host.isModuleCall(node, frame.fn, frame.scopes, this.snapshot(frame))
        ? [{ call: node, fn: frame.fn, scopes: frame.scopes, names: this.snapshot(frame) }]
        : undefined;
    }
    if (type === 'identifier') {
      const list = frame.lists.get(node.text);
      if (list) return [...list];
      const one = frame.modules.get(node.text);
      return one ? [one] : undefined;
    }
    if (type === 'list' || type === 'tuple') {
      const out: Entry[] = [];
      for (const item of namedChildrenOf(node)) {
        const found = item.type === 'list_splat' ? this.entries(namedChildrenOf(item)[0], frame) : this.entries(item, frame);
        if (!found) return undefined;
        out.push(...found);
      }
      return out;
    }
    if (type === 'parenthesized_expression') {
      const inner = namedChildrenOf(node)[0];
      return inner ? this.entries(inner, frame) : undefined;
    }
    return undefined;
  }

  private assign(assignment: Node, frame: Frame): void {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (!left || !right) return;
    if (left.type === 'identifier') {
      const name = left.text;
      if (right.type === 'list' || right.type === 'tuple') {
        const found = this.entries(right, frame);
        if (found && (found.length > 0 || right.type === 'list')) {
          frame.lists.set(name, found);
          frame.names.delete(name);
          frame.modules.delete(name);
          return;
        }
      }
      if (right.type === 'call') {
        const module = this.moduleValue(right, frame) ?? this.single(right, frame);
        if (module) {
          if (module.indexed) frame.lists.set(name, module.entries);
          else frame.modules.set(name, module.entries[0]);
          frame.names.set(name, symbolic(name));
          return;
        }
      }
      this.bind(left, this.evaluate(right, frame), frame);
      return;
    }
    if (left.type === 'attribute' && left.childForFieldName('object')?.text === 'self') {
      const attr = left.childForFieldName('attribute')!.text;
      frame.selfLists.delete(attr);
      if (right.type === 'call' && this.host.isContainerCall(right) && !this.takesFrame(right)) {
        // `self.blocks = nn.ModuleList()` (or with literal entries): read by the plain sweep; later appends continue its numbering.
        const held = this.literalEntries(right, frame);
        if (held) frame.selfLists.set(attr, held);
        frame.self.set(`self.${attr}`, symbolic(`self.${attr}`));
        return;
      }
      const module = right.type === 'call' ? this.moduleValue(right, frame) : undefined;
      if (module) {
        this.sink?.push({ name: attr, entries: module.entries, indexed: module.indexed });
        frame.self.set(`self.${attr}`, symbolic(`self.${attr}`));
        return;
      }
      frame.self.set(`self.${attr}`, this.evaluate(right, frame));
      return;
    }
    if (left.type === 'subscript' || left.type === 'attribute') return; // `cfg[k] = …`, `obj.x = …`: nothing the layers read
    this.bind(left, this.evaluate(right, frame), frame);
  }

  /** Whether a container call's modules come from names (`*layers`, `layers`) rather than literal calls. */
  private takesFrame(call: Node): boolean {
    const args = callArgs(call);
    return !!args && namedChildrenOf(args).some((a) => a.type === 'list_splat' || a.type === 'identifier');
  }

  /** The modules of `nn.Sequential(a, b)` / `nn.ModuleList([a, b])` written out; undefined when they are not plain calls. */
  private literalEntries(call: Node, frame: Frame): Entry[] | undefined {
    const args = callArgs(call);
    const positional = args ? namedChildrenOf(args).filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') : [];
    const out: Entry[] = [];
    for (const a of positional) {
      const found = this.entries(a, frame);
      if (!found) return undefined;
      out.push(...found);
    }
    return out;
  }

  /**
   * A module-valued expression worth interpreting: a container built from a list the frame holds
   * (`nn.Sequential(*layers)`, `nn.ModuleList(layers)`), a helper method's result, a module call held whole.
   */
  private moduleValue(call: Node, frame: Frame): { entries: Entry[]; indexed: boolean } | undefined {
    const fn = callFunction(call);
    const args = callArgs(call);
    if (this.host.isContainerCall(call) && args) {
      const positional = namedChildrenOf(args).filter((a) => a.type !== 'keyword_argument');
      const needsFrame = positional.some((a) => a.type === 'list_splat' || a.type === 'identifier');
      if (!needsFrame) return { entries: this.entries(call, frame) ?? [], indexed: false };
      const out: Entry[] = [];
      for (const a of positional) {
        const found = a.type === 'list_splat' ? this.entries(namedChildrenOf(a)[0], frame) : this.entries(a, frame);
        if (!found) throw new Unknown(`the modules in \`${a.text}\` are not known (line ${line(a)})`);
        out.push(...found);
      }
      return { entries: out, indexed: true };
    }
    if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === 'self') {
      const method = this.host.method(fn.childForFieldName('attribute')!.text);
      if (method) return this.callHelper(method, call, frame, true);
    }
    if (fn?.type === 'identifier') {
      const helper = this.host.func(fn.text);
      if (helper) return this.callHelper(helper, call, frame, false);
    }
    return undefined;
  }

  private callHelper(method: Node, call: Node, frame: Frame, isMethod: boolean): { entries: Entry[]; indexed: boolean } | undefined {
    if (frame.depth >= MAX_HELPER_DEPTH) throw new Unknown(`helper calls nest too deep (line ${line(call)})`);
    const scopes = isMethod ? [method, ...frame.scopes.slice(1)] : [method, frame.scopes[frame.scopes.length - 1]];
    const inner: Frame = { fn: method, scopes, names: new Map(), lists: new Map(), modules: new Map(), self: frame.self, selfLists: frame.selfLists, depth: frame.depth + 1 };
    const params: string[] = [];
    for (const p of namedChildrenOf(method.childForFieldName('parameters') ?? method)) {
      const type = p.type;
      const name = type === 'identifier' ? p.text : type === 'default_parameter' || type === 'typed_default_parameter' ? p.childForFieldName('name')?.text : undefined;
      if (!name) throw new Unknown(`the parameters of ${method.childForFieldName('name')?.text ?? 'a helper'} cannot be bound (line ${line(method)})`);
      params.push(name);
    }
    if (isMethod) params.shift(); // self
    const args = callArgs(call);
    const pass = (name: string, value: Node) => {
      const list = this.entries(value, frame);
      if (list && value.type !== 'call') inner.lists.set(name, list);
      else inner.names.set(name, this.evaluate(value, frame));
    };
    let position = 0;
    for (const arg of args ? namedChildrenOf(args) : []) {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (!name || !value || !params.includes(name)) throw new Unknown(`the argument \`${arg.text}\` cannot be bound (line ${line(arg)})`);
        pass(name, value);
      } else if (arg.type === 'comment') continue;
      else {
        if (arg.type === 'list_splat' || arg.type === 'dictionary_splat' || position >= params.length) throw new Unknown(`the argument \`${arg.text}\` cannot be bound (line ${line(arg)})`);
        pass(params[position++], arg);
      }
    }
    const body = method.childForFieldName('body');
    try {
      if (body) this.exec(body, inner);
    } catch (e) {
      if (!(e instanceof Return)) throw e;
      if (!e.node) return undefined;
      if (e.node.type === 'call') return this.moduleValue(e.node, inner) ?? this.single(e.node, inner);
      const list = this.entries(e.node, inner);
      return list ? { entries: list, indexed: true } : undefined;
    }
    return undefined;
  }

  private single(call: Node, frame: Frame): { entries: Entry[]; indexed: boolean } | undefined {
    const found = this.entries(call, frame);
    return found ? { entries: found, indexed: false } : undefined;
  }

  /** `self.blocks.append(Block(...))`, `self.features.add_module(f"conv{i}", ...)`: registered under the container's path. */
  private selfContainerCall(call: Node, attr: string, method: string, positional: Node[], frame: Frame): void {
    const held = frame.selfLists.get(attr);
    const cannot = (why: string) => new Unknown(`${why} (line ${line(call)})`);
    if (method === 'append' || method === 'extend') {
      if (!held) throw cannot(`the modules already in \`self.${attr}\` are not known`);
      const found = positional.length === 1 ? (method === 'append' ? this.single(positional[0], frame)?.entries : this.entries(positional[0], frame)) : undefined;
      if (!found || (method === 'append' && found.length !== 1)) throw cannot(`cannot follow \`${call.text.slice(0, 60)}\``);
      for (const entry of found) {
        this.sink?.push({ name: `${attr}.${held.length}`, entries: [entry], indexed: false });
        held.push(entry);
      }
    } else if (method === 'add_module' || method === 'register_module') {
      if (positional.length !== 2) throw cannot(`cannot follow \`${call.text.slice(0, 60)}\``);
      const name = this.evaluate(positional[0], frame);
      if (name.kind !== 'string') throw cannot(`the module name \`${positional[0].text}\` is not known`);
      const found = this.single(positional[1], frame);
      if (!found) throw cannot(`cannot follow \`${call.text.slice(0, 60)}\``);
      this.sink?.push({ name: `${attr}.${name.value}`, entries: found.entries, indexed: false });
      held?.push(...found.entries);
    }
  }

  private augment(statement: Node, frame: Frame): void {
    const left = statement.childForFieldName('left');
    const right = statement.childForFieldName('right');
    const op = statement.childForFieldName('operator')?.text ?? '';
    if (!left || !right) return;
    if (left.type === 'identifier' && frame.lists.has(left.text)) {
      const found = op === '+=' ? this.entries(right, frame) : undefined;
      if (!found) throw new Unknown(`cannot follow \`${statement.text}\` (line ${line(statement)})`);
      frame.lists.get(left.text)!.push(...found);
      return;
    }
    const current = this.evaluate(left, frame);
    const result = arithmetic(op.slice(0, -1), current, this.evaluate(right, frame), true) ?? symbolic(left.text);
    if (left.type === 'identifier' || left.type === 'attribute') this.bind(left, result, frame);
  }

  private callStatement(call: Node, frame: Frame): void {
    const fn = callFunction(call);
    if (fn?.type !== 'attribute') return;
    const object = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text;
    const args = callArgs(call);
    const positional = args ? namedChildrenOf(args).filter((a) => a.type !== 'comment') : [];
    if (object?.type === 'identifier' && frame.lists.has(object.text)) {
      const list = frame.lists.get(object.text)!;
      const found = positional.length === 1 ? this.entries(positional[0], frame) : undefined;
      if (method === 'append' && found?.length === 1) list.push(found[0]);
      else if (method === 'extend' && found) list.push(...found);
      else throw new Unknown(`cannot follow \`${call.text.slice(0, 60)}\` (line ${line(call)})`);
      return;
    }
    if (object?.type === 'attribute' && object.childForFieldName('object')?.text === 'self' && method) {
      this.selfContainerCall(call, object.childForFieldName('attribute')!.text, method, positional, frame);
      return;
    }
    if (object?.type !== 'identifier' || object.text !== 'self' || !method) return;
    if (method === 'add_module' || method === 'register_module') {
      if (positional.length !== 2) throw new Unknown(`cannot follow \`${call.text.slice(0, 60)}\` (line ${line(call)})`);
      const name = this.evaluate(positional[0], frame);
      if (name.kind !== 'string') throw new Unknown(`the module name \`${positional[0].text}\` is not known (line ${line(call)})`);
      const found = positional[1].type === 'call' ? this.moduleValue(positional[1], frame) ?? this.single(positional[1], frame) : this.single(positional[1], frame);
      if (found) this.sink?.push({ name: name.value, entries: found.entries, indexed: found.indexed });
      return;
    }
    const helper = this.host.method(method);
    if (helper) this.callHelper(helper, call, frame, true);
  }
}
