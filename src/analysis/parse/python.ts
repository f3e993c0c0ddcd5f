/**
 * Reads Keras / tf.keras and PyTorch model definitions out of a Python syntax tree.
 *
 * The captures of pythonCaptures.ts give imports, scopes (functions, classes), calls and error regions in
 * document order; one sweep over them recognises models. Names are resolved through the file's imports, so
 * `layers.Dense`, `tf.keras.layers.Dense`, `from keras.layers import Dense` and
 * `from tensorflow.keras import layers as L` all mean the same constructor; PyTorch likewise.
 * Only what is written is reported: fans and shapes are the engine's business.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Argument, Framework, InitCall, LayerCall, ParsedModel, ParseResult, Position, Value } from '../ir';
import { findInit, PythonValues, type ScopeChain, unfinishedRow } from './values';
import { type Entry, FILE_STEP_BUDGET, InitInterpreter, type Registration, STEP_BUDGET, Unknown } from './pythonInterpret';
import { gatherModelLayers, type GraphNode, looseGraphModels } from './graph';
import { modelCodeCaptures } from './pythonCaptures';
import { ForwardReader } from './pythonForward';
import { cachedQuery, callArgs, callFunction, MAX_NESTING, namedChildList, namedChildrenOf, plainDottedName, QUERY_OPTIONS, rangeOf, SYNTAX_ERROR_NOTICE } from './syntax';

/** Keras functions in `keras.layers` that build a merge layer and apply it in one call. */
const KERAS_MERGE_HELPERS = new Set(['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum', 'concatenate', 'dot']);
/** Error regions with more direct children than this are not scanned token by token for a Sequential marker. */
const MAX_ERROR_CHILDREN = 20_000;
/** `torch.nn` members that are not layers. */
const TORCH_NOT_LAYERS = new Set(['Module', 'Parameter', 'ParameterList', 'ParameterDict', 'UninitializedParameter', 'Buffer']);
/** In-place tensor methods used to initialise a parameter by hand (`m.weight.data.normal_(0, 0.02)`). */
const TENSOR_INIT_METHODS = new Set(['normal_', 'uniform_', 'zero_', 'fill_', 'constant_', 'copy_']);
/** Methods of an `nn.ModuleList` / `nn.Sequential` held on `self` that register modules. */
const SELF_CONTAINER_METHODS = new Set(['append', 'extend', 'add_module', 'register_module']);

type Callee =
  | { kind: 'layer'; framework: Framework; type: string; parts?: string[] }
  | { kind: 'kerasMerge'; type: string }
  | { kind: 'kerasSequential' }
  | { kind: 'kerasModel' }
  | { kind: 'torchSequential' }
  | { kind: 'torchModuleList' }
  | { kind: 'torchModuleDict' }
  | { kind: 'torchInit' }
  | { kind: 'other' };

/**
 * `self.layer1 = Block(64, stride=2)` (or a `Block(...)` in a container) in a PyTorch class's `__init__`: a module
 * of the file's own, replaced at assembly by that class's layers read with this call's arguments. Kept unresolved
 * until then because the class may be defined further down the file.
 */
interface ChildModule {
  child: true;
  /** The attribute or container path PyTorch names its parameters under (`layer1`, `blocks.0`). */
  name: string;
  className: string;
  call: Node;
  scopes: ScopeChain;
  /** Source order key of the call (see offsetOf): where the child's parameters sit among the parent's. */
  at: number;
  /** Set when the call was reached by interpreting a loop or helper: the names of `fn` as they stood then. */
  bound?: { fn: Node; names: ReadonlyMap<string, Value> };
}

/** Pieces an interpreted statement registers, kept in their own order at the statement's place. */
interface PieceGroup {
  group: true;
  at: number;
  pieces: Piece[];
}

/** What a class's `__init__` statement registers: layers, and modules of the file's own classes. */
type Piece = LayerCall | ChildModule | PieceGroup;

type TorchContainer = 'torchSequential' | 'torchModuleList' | 'torchModuleDict';

interface ModelBuilder {
  model: ParsedModel;
  start: number;
  /** Class models: layers and child modules with their source offsets, sorted at the end. */
  ordered?: Piece[];
  /**
   * Class models: how to read each layer statement of `__init__` again, and each init call of the class. A parent
   * that instantiates this class re-reads them with its call's arguments bound to `__init__`'s parameters.
   */
  makers?: (() => Piece[])[];
  initMakers?: (() => InitCall[])[];
  classNode?: Node;
  /** Set once a statement of `__init__` needs interpreting (see pythonInterpret.ts): every statement is then read with the names an interpretation up to it gives. */
  interprets?: boolean;
  /** Containers built in a method of a class: the method's node id (no model of their own when `__init__`'s interpretation follows the method). */
  inMethod?: number;
  /** Set when an interpretation of the class ran out of steps: the reason, given again without re-running. */
  exhausted?: Unknown;
  /** Top-level `__init__` statements already registered for interpretation. */
  interpreted?: Set<number>;
  /** Module-level PyTorch containers: instances of the file's own classes among their entries. */
  children?: ChildModule[];
}

type Binding =
  | { kind: 'model'; builder: ModelBuilder }
  | { kind: 'tensor'; nodes: number[] }
  | { kind: 'layer'; layer: LayerCall; framework: Framework; callNode: Node; graphNode?: number }
  | { kind: 'instance'; className: string };

/** A type condition on an init call's module: `isinstance(m, nn.Linear)` (name), or a class-name substring test. */
interface TypeTest {
  name: string;
  contains?: boolean;
}

interface PendingApply {
  target: ModelBuilder | undefined;
  fnName: string;
}

export function readPython(tree: Tree, source: string): ParseResult {
  return new PythonReader(tree, source).read();
}

class PythonReader {
  private readonly aliases = new Map<string, string[]>();
  private readonly wildcardModules: string[][] = [];
  private readonly values = new PythonValues();
  private readonly claimed = new Set<number>();
  private readonly builders: ModelBuilder[] = [];
  private readonly bindings = new Map<string, Binding>();
  private readonly graph: GraphNode[] = [];
  private readonly classModels = new Map<string, ModelBuilder>();
  private readonly classByNode = new Map<number, ModelBuilder>();
  private readonly initFunctions = new Map<string, InitCall[]>();
  private readonly pendingApplies: PendingApply[] = [];
  private readonly pendingTargets: { varKey: string; call: InitCall }[] = [];
  private readonly looseLayers: { at: number; layer: LayerCall; framework: Framework; scopeKey: string; inError: boolean; callId: number }[] = [];
  private readonly errors: { node: Node; scopes: ScopeChain }[] = [];
  /** Layers bound to a variable that a model or graph took afterwards (no longer loose). */
  private readonly placed = new Set<LayerCall>();
  private importsTorch = false;
  private importsKeras = false;
  /** Module calls an interpretation placed (named): the plain sweep's unnamed copies of them are dropped. */
  private readonly interpretedCalls = new Set<number>();
  private readonly notices = new Set<string>();
  /** Helper methods an interpretation of `__init__` followed: what they build belongs to the class. */
  private readonly followedMethods = new Set<number>();
  /** Interpretation steps left to this file (see FILE_STEP_BUDGET). */
  private stepsLeft = FILE_STEP_BUDGET;

  constructor(
    private readonly tree: Tree,
    private readonly source: string,
  ) {}

  read(): ParseResult {
    const root = this.tree.rootNode;
    const hasErrors = root.hasError;
    const captures = modelCodeCaptures(this.tree, this.source);
    let target: { node: Node; pattern: number } | undefined;
    for (const c of captures) {
      if (c.name === 'import') this.readImport(c.node);
      else if (c.name === 'target') target = { node: c.node, pattern: c.patternIndex };
      else if (c.name === 'call' && target && c.patternIndex === target.pattern) this.assignmentTargets.set(c.node.id, target.node);
    }

    const open: { node: Node; end: number }[] = [];
    const seenCalls = new Set<number>();
    let chain: ScopeChain | undefined;
    const scopes = (): ScopeChain => (chain ??= [...open.map((o) => o.node).reverse(), root]);
    for (const capture of captures) {
      const node = capture.node;
      const start = node.startIndex;
      while (open.length && start >= open[open.length - 1].end) {
        open.pop();
        chain = undefined;
      }
      switch (capture.name) {
        case 'scope':
          open.push({ node, end: node.endIndex });
          chain = undefined;
          if (node.type === 'class_definition') this.onClass(node, scopes());
          break;
        case 'call':
        case 'errorCall':
          if (!this.claimed.has(node.id) && !seenCalls.has(node.id)) {
            seenCalls.add(node.id);
            this.callInError = capture.name === 'errorCall';
            this.onCall(node, scopes());
            this.callInError = false;
          }
          break;
        case 'error':
          this.errors.push({ node, scopes: scopes() });
          break;
        default:
          break;
      }
    }
    this.recoverFromErrors();
    this.readCallsInErrors(seenCalls);
    this.attachApplies();
    const models = this.assemble();
    const notices = hasErrors ? [SYNTAX_ERROR_NOTICE, ...this.notices] : [...this.notices];
    return { models, notices };
  }

  // ------------------------------------------------------------------ imports and names

  private readImport(node: Node): void {
    if (node.type === 'import_statement') {
      for (const item of namedChildList(node)) {
        const type = item.type;
        if (type === 'dotted_name') {
          const parts = dottedNameParts(item);
          this.aliases.set(parts[0], [parts[0]]);
          this.noteFramework(parts);
        } else if (type === 'aliased_import') {
          const name = item.childForFieldName('name');
          const alias = item.childForFieldName('alias');
          if (name && alias) {
            const parts = dottedNameParts(name);
            this.aliases.set(alias.text, parts);
            this.noteFramework(parts);
          }
        }
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode || moduleNode.type !== 'dotted_name') return;
    const module = dottedNameParts(moduleNode);
    this.noteFramework(module);
    for (const item of namedChildList(node)) {
      if (item.id === moduleNode.id) continue;
      const type = item.type;
      if (type === 'wildcard_import') this.wildcardModules.push(module);
      else if (type === 'dotted_name') {
        const parts = dottedNameParts(item);
        this.aliases.set(parts[parts.length - 1], [...module, ...parts]);
      } else if (type === 'aliased_import') {
        const name = item.childForFieldName('name');
        const alias = item.childForFieldName('alias');
        if (name && alias) this.aliases.set(alias.text, [...module, ...dottedNameParts(name)]);
      }
    }
  }

  private noteFramework(parts: string[]): void {
    if (parts[0] === 'torch') this.importsTorch = true;
    if (parts[0] === 'tensorflow' || parts[0] === 'keras' || parts[0] === 'tf_keras') this.importsKeras = true;
  }

  /** The fully qualified path of a dotted callee (`L.Dense` → tensorflow.keras.layers.Dense). */
  private qualify(parts: string[]): string[] {
    const head = parts[0];
    const bound = this.aliases.get(head);
    if (bound) return [...bound, ...parts.slice(1)];
    if (parts.length === 1) {
      for (const module of this.wildcardModules) {
        if (module.includes('keras') && (head === 'Sequential' || head === 'Model' || head === 'Input')) return ['keras', head];
        if (module.includes('keras') || module[0] === 'torch') return [...module, head];
      }
    }
    // Snippets often omit their imports: fall back on the names everyone uses, unless imports say otherwise.
    const noImports = !this.importsKeras && !this.importsTorch;
    if (noImports || this.importsKeras) {
      if (head === 'tf') return ['tensorflow', ...parts.slice(1)];
      if (head === 'keras') return parts;
      if (head === 'layers') return ['keras', ...parts];
    }
    if (noImports || this.importsTorch) {
      if (head === 'nn') return ['torch', ...parts];
      if (head === 'torch') return parts;
    }
    return parts;
  }

  /**
   * What a dotted callee names, remembered per text: every import is read before the first call is classified
   * (read() takes them first), so the answer cannot change, and a big model repeats the same few callees.
   */
  private classify(parts: string[]): Callee {
    const key = parts.join('.');
    let callee = this.callees.get(key);
    if (!callee) {
      callee = this.classifyParts(parts);
      this.callees.set(key, callee);
    }
    return callee;
  }

  private readonly callees = new Map<string, Callee>();

  private classifyParts(parts: string[]): Callee {
    const q = this.qualify(parts);
    const last = q[q.length - 1];
    if (q[0] === 'torch' && q[1] === 'nn') {
      if (q.length === 3) {
        if (last === 'Sequential') return { kind: 'torchSequential' };
        if (last === 'ModuleList') return { kind: 'torchModuleList' };
        if (last === 'ModuleDict') return { kind: 'torchModuleDict' };
        if (isUpper(last) && !TORCH_NOT_LAYERS.has(last) && !last.startsWith('Module') && !last.endsWith('Loss')) return { kind: 'layer', framework: 'pytorch', type: last };
        return { kind: 'other' };
      }
      if (q[2] === 'init' && q.length === 4) return { kind: 'torchInit' };
      if (q[2] === 'modules' && isUpper(last) && !TORCH_NOT_LAYERS.has(last)) return { kind: 'layer', framework: 'pytorch', type: last };
      return { kind: 'other' };
    }
    if (q[0] === 'keras' || q[0] === 'tensorflow' || q[0] === 'tf_keras') {
      const k = q.indexOf('keras') >= 0 ? q.indexOf('keras') : q[0] === 'tf_keras' ? 0 : -1;
      if (k < 0) return { kind: 'other' };
      const rest = q.slice(k + 1);
      if (rest.length === 1 || (rest.length === 2 && rest[0] === 'models')) {
        if (last === 'Sequential') return { kind: 'kerasSequential' };
        if (last === 'Model') return { kind: 'kerasModel' };
        if (last === 'Input' && rest.length === 1) return { kind: 'layer', framework: 'keras', type: 'Input' };
        return { kind: 'other' };
      }
      if (rest[0] === 'layers' && rest.length >= 2) {
        if (isUpper(last)) return { kind: 'layer', framework: 'keras', type: last };
        if (rest.length === 2 && KERAS_MERGE_HELPERS.has(last)) return { kind: 'kerasMerge', type: last };
      }
      return { kind: 'other' };
    }
    return { kind: 'other' };
  }

  private classifyNode(fn: Node | null): Callee {
    if (!fn) return { kind: 'other' };
    const parts = dottedParts(fn);
    if (!parts) return { kind: 'other' };
    const callee = this.classify(parts);
    // A copy: the remembered answer is shared by every call with this callee.
    return callee.kind === 'layer' ? { ...callee, parts } : callee;
  }

  // ------------------------------------------------------------------ scopes and bindings

  private scopeKey(scopes: ScopeChain): string {
    return scopes.length > 1 ? String(scopes[0].id) : 'module';
  }

  private bindingKey(scopes: ScopeChain, name: string): string {
    return `${this.scopeKey(scopes)}:${name}`;
  }

  /**
   * Right-hand side → target of `target = <call>` statements, taken from the query's captures: asking
   * tree-sitter for `node.parent` walks down from the root (O(depth)), and scanning every assignment of a
   * big file costs more than the rest of the reading.
   */
  private readonly assignmentTargets = new Map<number, Node>();
  /** Set while reading calls inside error regions, where no capture gave the targets. */
  private inErrorWalk = false;
  /** Set while reading a call that sits directly in an error region. */
  private callInError = false;

  /** The target of `target = <node>` when the node is the whole right-hand side. */
  private assignedTo(node: Node): Node | undefined {
    const known = this.assignmentTargets.get(node.id);
    if (known || !this.inErrorWalk) return known;
    const parent = node.parent;
    if (!parent || parent.type !== 'assignment') return undefined;
    const right = parent.childForFieldName('right');
    return right && right.id === node.id ? (parent.childForFieldName('left') ?? undefined) : undefined;
  }

  private enclosingClass(scopes: ScopeChain): { builder: ModelBuilder; inInit: boolean } | undefined {
    for (let i = 0; i < scopes.length - 1; i++) {
      const builder = this.classByNode.get(scopes[i].id);
      if (builder) return { builder, inInit: i === 1 && scopes[0].type === 'function_definition' && scopes[0].childForFieldName('name')?.text === '__init__' };
    }
    return undefined;
  }

  // ------------------------------------------------------------------ classes

  private onClass(node: Node, _scopes: ScopeChain): void {
    const name = node.childForFieldName('name')?.text;
    const bases = node.childForFieldName('superclasses');
    if (!name || !bases) return;
    let framework: Framework | undefined;
    for (const base of namedChildrenOf(bases)) {
      if (base.type === 'keyword_argument') continue;
      const parts = dottedParts(base);
      if (!parts) continue;
      const inherited = parts.length === 1 ? this.classModels.get(parts[0]) : undefined;
      if (inherited) {
        framework = inherited.model.framework;
        break;
      }
      const q = this.qualify(parts);
      const last = q[q.length - 1];
      if ((q[0] === 'torch' && last === 'Module') || last === 'LightningModule') framework = 'pytorch';
      else if (q.includes('keras') && (last === 'Model' || last === 'Layer' || last === 'Sequential')) framework = 'keras';
      if (framework) break;
    }
    if (!framework) return;
    const model: ParsedModel = { framework, name, kind: 'module', range: rangeOf(node), layers: [] };
    if (framework === 'pytorch') {
      model.initCalls = [];
      this.values.classAttribute ??= (className, attribute, depth) => this.classAttribute(className, attribute, depth);
      this.values.isClassName ??= (className) => this.classModels.get(className)?.model.framework === 'pytorch';
      // In a class being edited the end of __init__ is not where it looks: offer no insertion point then.
      const insertion = node.hasError ? undefined : this.initInsertion(node);
      if (insertion) model.initInsertion = insertion;
      // Imports are all read before the first class (read() takes them first), so F, torch, nn resolve here.
      const forward = new ForwardReader((parts) => this.qualify(parts)).read(node);
      if (forward) model.forward = forward;
    }
    const builder: ModelBuilder = { model, start: node.startIndex, ordered: [], makers: [], initMakers: [], classNode: node };
    this.builders.push(builder);
    this.classModels.set(name, builder);
    this.classByNode.set(node.id, builder);
  }

  /** End of the `__init__` body and its indentation: where a quick fix appends `nn.init...` lines. */
  private initInsertion(cls: Node): { position: Position; indent: string } | undefined {
    const init = findInit(cls);
    const body = init?.childForFieldName('body');
    if (!body) return undefined;
    const statements = namedChildrenOf(body);
    if (statements.length === 0) return undefined;
    const first = statements[0];
    const last = statements[statements.length - 1];
    let lineStart = first.startIndex;
    while (lineStart > 0 && this.source[lineStart - 1] !== '\n') lineStart--;
    const indent = this.source.slice(lineStart, first.startIndex);
    const end = last.endPosition;
    return { position: { line: end.row, column: end.column }, indent: isBlank(indent) ? indent : '    ' };
  }

  /** Registers what one `__init__` statement adds to a class, and how to read it again for a caller's arguments. */
  private addToClass(builder: ModelBuilder, make: () => Piece[], at?: Node): void {
    // Once the class is interpreted, a plain statement is read with the names the statements before it leave.
    const wrapped = at ? () => (builder.interprets ? this.withInterpretedNames(builder, at, make) : make()) : make;
    builder.ordered!.push(...wrapped());
    builder.makers!.push(wrapped);
  }

  /** `Unit.expansion`: a plain assignment in the body of one of the file's classes. */
  private classAttribute(className: string, attribute: string, depth: number): Value | undefined {
    const cls = this.classModels.get(className)?.classNode;
    const body = cls?.childForFieldName('body');
    if (!body) return undefined;
    let found: Node | undefined;
    for (const statement of namedChildrenOf(body)) {
      if (statement.type !== 'expression_statement') continue;
      const assignment = namedChildrenOf(statement)[0];
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === attribute) found = assignment.childForFieldName('right') ?? undefined;
    }
    return found ? this.values.evaluate(found, [cls!, this.tree.rootNode], depth + 1) : undefined;
  }

  // ------------------------------------------------------------------ interpreted __init__ statements

  /** The `__init__` of a scope chain inside a class's `__init__`, and the top-level statement of it holding `node`. */
  private initStatement(node: Node, scopes: ScopeChain): { init: Node; statement: Node } | undefined {
    const init = scopes[0];
    if (init?.type !== 'function_definition') return undefined;
    const body = init.childForFieldName('body');
    let current: Node | null = node;
    for (let i = 0; current && i < 200; i++) {
      const parent: Node | null = current.parent;
      if (parent && body && parent.id === body.id) return { init, statement: current };
      current = parent;
    }
    return undefined;
  }

  private fileFunctions?: Map<string, Node>;

  /** A function defined at the top level of the file (read once, on first use). */
  private fileFunction(name: string): Node | undefined {
    if (!this.fileFunctions) {
      this.fileFunctions = new Map();
      for (const statement of namedChildrenOf(this.tree.rootNode)) {
        const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
        const fnName = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
        if (fnName) this.fileFunctions.set(fnName, fn!);
      }
    }
    return this.fileFunctions.get(name);
  }

  /** `self.features = make_layers(cfg)` in a PyTorch `__init__`, `make_layers` a function of the file: interpreted. */
  private onHelperFunction(node: Node, name: string, scopes: ScopeChain): boolean {
    if (!this.fileFunction(name) || this.assignedTo(node)?.type !== 'attribute') return false;
    return this.interpretInInit(node, scopes);
  }

  /**
   * Interprets the statement of a PyTorch `__init__` that holds `node` (see pythonInterpret.ts); `accepts` may
   * decline that statement first. True when taken.
   */
  private interpretInInit(node: Node, scopes: ScopeChain, accepts: (statement: Node, builder: ModelBuilder) => boolean = () => true): boolean {
    const owner = this.enclosingClass(scopes);
    if (!owner?.inInit || owner.builder.model.framework !== 'pytorch') return false;
    const place = this.initStatement(node, scopes);
    if (!place || !accepts(place.statement, owner.builder)) return false;
    this.interpretStatement(owner.builder, place.init, place.statement, scopes);
    return true;
  }

  private classMethod(builder: ModelBuilder, name: string): Node | undefined {
    const body = builder.classNode?.childForFieldName('body');
    for (const statement of body ? namedChildrenOf(body) : []) {
      const fn = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.text === name) return fn;
    }
    return undefined;
  }

  /** Runs an interpretation of `builder`'s `__init__` within the steps left to the file. */
  private interpret<T>(builder: ModelBuilder, run: (interpreter: InitInterpreter) => T): T {
    if (this.stepsLeft <= 0) throw new Unknown(`the file's interpretation budget (${FILE_STEP_BUDGET} steps) is spent`, true);
    if (builder.exhausted) throw builder.exhausted;
    const interpreter = this.interpreter(builder, Math.min(STEP_BUDGET, this.stepsLeft));
    try {
      return run(interpreter);
    } catch (e) {
      // Every later statement of the class re-runs the same statements: once out of steps, stay out.
      if (e instanceof Unknown && e.budget) builder.exhausted = e;
      throw e;
    } finally {
      this.stepsLeft -= interpreter.steps;
    }
  }

  private interpreter(builder: ModelBuilder, budget: number): InitInterpreter {
    return new InitInterpreter({
      evaluate: (node, fn, scopes, names) => this.values.withNames(fn, names, () => this.values.evaluate(node, scopes)),
      isModuleCall: (call, fn, scopes, names) => this.moduleClass(call, fn, scopes, names) !== undefined,
      isContainerCall: (call) => {
        const kind = this.classifyNode(callFunction(call)).kind;
        return kind === 'torchSequential' || kind === 'torchModuleList';
      },
      method: (name) => {
        const found = this.classMethod(builder, name);
        if (found) this.followedMethods.add(found.id);
        return found;
      },
      func: (name) => this.fileFunction(name),
    }, budget);
  }

  /** What a call builds: a layer or container ('' ), one of the file's PyTorch classes (its name), or nothing (undefined). */
  private moduleClass(call: Node, fn: Node, scopes: ScopeChain, names: ReadonlyMap<string, Value>): string | undefined {
    const callee = callFunction(call);
    const kind = this.classifyNode(callee).kind;
    if (kind === 'layer' || kind === 'torchSequential' || kind === 'torchModuleList' || kind === 'torchModuleDict') return '';
    if (callee?.type !== 'identifier') return undefined;
    const value = this.values.withNames(fn, names, () => this.values.evaluate(callee, scopes));
    const name = value.kind === 'symbolic' ? value.text : undefined;
    return name && this.classModels.get(name)?.model.framework === 'pytorch' ? name : undefined;
  }

  /** Registers top-level `__init__` statement `statement` (once) to be interpreted for what it registers on `self`. */
  private interpretStatement(builder: ModelBuilder, init: Node, statement: Node, scopes: ScopeChain): void {
    const seen = (builder.interpreted ??= new Set());
    if (seen.has(statement.id)) return;
    seen.add(statement.id);
    builder.interprets = true;
    const start = statement.startPosition;
    const at = start.row * 1e7 + start.column;
    this.addToClass(builder, () => {
      let registrations: Registration[];
      try {
        registrations = this.interpret(builder, (i) => i.run(init, scopes, statement, true).registrations);
      } catch (e) {
        if (!(e instanceof Unknown)) throw e;
        this.notices.add(`${builder.model.name}: the modules built at line ${start.row + 1} are left out: ${e.why}.`);
        return [];
      }
      const pieces: Piece[] = [];
      for (const r of registrations) r.entries.forEach((entry, i) => pieces.push(...this.entryPieces(entry, r.indexed ? `${r.name}.${i}` : r.name)));
      return [{ group: true, at, pieces }];
    });
  }

  /** Reads `make` with the names an interpretation of `__init__` up to `at`'s statement gives (plain reading when that fails). */
  private withInterpretedNames(builder: ModelBuilder, at: Node, make: () => Piece[]): Piece[] {
    const scopes = this.scopesOf(builder);
    const place = scopes ? this.initStatement(at, scopes) : undefined;
    if (!place || builder.interpreted?.has(place.statement.id)) return make();
    let names: ReadonlyMap<string, Value>;
    try {
      names = this.interpret(builder, (i) => i.run(place.init, scopes!, place.statement, false).names);
    } catch (e) {
      if (!(e instanceof Unknown)) throw e;
      return make();
    }
    return this.values.withNames(place.init, names, make);
  }

  private scopesOf(builder: ModelBuilder): ScopeChain | undefined {
    const init = builder.classNode ? findInit(builder.classNode) : undefined;
    return init ? [init, builder.classNode!, this.tree.rootNode] : undefined;
  }

  /** The pieces of one interpreted module call, named `name` (a container's entries under `name.i`). */
  private entryPieces(entry: Entry, name: string): Piece[] {
    this.interpretedCalls.add(entry.call.id);
    const fn = callFunction(entry.call);
    const callee = this.classifyNode(fn);
    return this.values.withNames(entry.fn, entry.names, (): Piece[] => {
      if (callee.kind === 'layer' && fn) return [this.makeLayer(entry.call, fn, callee.type, entry.scopes, name)];
      if (callee.kind === 'torchSequential' || callee.kind === 'torchModuleList' || callee.kind === 'torchModuleDict') return this.flattenTorch(entry.call, name, entry.scopes, 1, callee.kind);
      const className = this.moduleClass(entry.call, entry.fn, entry.scopes, entry.names);
      if (!className) return [];
      return [{ ...this.childModule(entry.call, className, name, entry.scopes), bound: { fn: entry.fn, names: entry.names } }];
    });
  }

  // ------------------------------------------------------------------ calls

  private onCall(node: Node, scopes: ScopeChain): void {
    const fn = callFunction(node);
    if (!fn) return;
    if (fn.type === 'call') {
      this.onApplication(node, fn, scopes);
      return;
    }
    const parts = dottedParts(fn);
    if (!parts) return;
    const callee = this.classify(parts);
    switch (callee.kind) {
      case 'kerasSequential':
        this.onKerasSequential(node, scopes);
        return;
      case 'kerasModel':
        this.onKerasModel(node, scopes);
        return;
      case 'torchSequential':
      case 'torchModuleList':
      case 'torchModuleDict':
        this.onTorchContainer(node, scopes, callee.kind);
        return;
      case 'torchInit':
        this.onInitCall(node, fn, scopes, firstArgument(node));
        return;
      case 'kerasMerge':
        this.onKerasMerge(node, fn, callee.type, scopes);
        return;
      case 'layer':
        this.onLayer(node, fn, callee, scopes);
        return;
      default:
        break;
    }
    if (parts.length === 1) {
      this.onNameCall(node, parts[0], scopes);
      return;
    }
    const method = parts[parts.length - 1];
    const object = parts.slice(0, -1).join('.');
    if (TENSOR_INIT_METHODS.has(method) && parts.length >= 3) {
      this.onTensorInit(node, fn, parts, scopes);
      return;
    }
    this.onMethodCall(node, object, method, scopes);
  }

  private makeLayer(call: Node, fn: Node, type: string, scopes: ScopeChain, name?: string, parts = dottedParts(fn)): LayerCall {
    const argList = callArgs(call);
    // Not checked to be an argument_list (one WASM call per layer saved): the only other form is a bare
    // generator argument, `Layer(x for x in y)`, which no layer constructor takes.
    const args = argList ? this.values.arguments(argList, scopes) : [];
    const layer: LayerCall = {
      type,
      callee: parts?.join('.') ?? fn.text,
      args,
      range: rangeOf(call),
      argsRange: argList ? rangeOf(argList) : rangeOf(call),
    };
    if (argList && unfinishedRow(argList) !== undefined) layer.unfinished = true;
    const nameArg = args.find((a) => a.name === 'name');
    const explicit = nameArg && nameArg.value.kind === 'string' ? nameArg.value.value : undefined;
    const chosen = explicit ?? name;
    if (chosen !== undefined) layer.name = chosen;
    this.claimed.add(call.id);
    return layer;
  }

  /** A layer constructor call that no container has taken: a class attribute, a variable, or loose. */
  private onLayer(node: Node, fn: Node, callee: { framework: Framework; type: string }, scopes: ScopeChain): void {
    const target = this.assignedTo(node);
    const owner = this.enclosingClass(scopes);
    if (owner && owner.inInit && target?.type === 'attribute' && isSelfAttribute(target)) {
      const name = target.childForFieldName('attribute')!.text;
      this.addToClass(owner.builder, () => [this.makeLayer(node, fn, callee.type, scopes, name)], node);
      return;
    }
    if (callee.type === 'Input' && callee.framework === 'keras') {
      const layer = this.makeLayer(node, fn, callee.type, scopes, target?.type === 'identifier' ? target.text : undefined);
      const index = this.addGraphNode(layer, [], scopes, node.startIndex);
      if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'tensor', nodes: [index] });
      return;
    }
    if (owner && owner.inInit) {
      // A layer an interpretation placed under its name (`layers += [nn.Conv2d(...)]`) is not added a second time.
      this.addToClass(owner.builder, () => (this.interpretedCalls.has(node.id) ? [] : [this.makeLayer(node, fn, callee.type, scopes)]));
      return;
    }
    const layer = this.makeLayer(node, fn, callee.type, scopes, target?.type === 'identifier' ? target.text : undefined);
    if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'layer', layer, framework: callee.framework, callNode: node });
    this.looseLayers.push({ at: node.startIndex, layer, framework: callee.framework, scopeKey: this.scopeKey(scopes), inError: this.callInError, callId: node.id });
  }

  // ------------------------------------------------------------------ Keras Sequential

  private modelName(node: Node): string {
    const target = this.assignedTo(node);
    if (target?.type === 'identifier') return target.text;
    if (target?.type === 'attribute') return target.childForFieldName('attribute')?.text ?? target.text;
    return `model@${node.startPosition.row + 1}`;
  }

  private newBuilder(framework: Framework, kind: ParsedModel['kind'], name: string, node: Node): ModelBuilder {
    const builder: ModelBuilder = { model: { framework, name, kind, range: rangeOf(node), layers: [] }, start: node.startIndex };
    this.builders.push(builder);
    return builder;
  }

  private onKerasSequential(node: Node, scopes: ScopeChain): void {
    const owner = this.enclosingClass(scopes);
    const target = this.assignedTo(node);
    if (owner?.inInit && target?.type === 'attribute' && isSelfAttribute(target)) {
      // `self.block = keras.Sequential([...])` in a subclass: its layers belong to the class, in order.
      this.claimed.add(node.id);
      const scratch: ModelBuilder = { model: { framework: 'keras', name: '', kind: 'sequential', range: rangeOf(node), layers: [] }, start: node.startIndex };
      const argList = callArgs(node);
      const layersArg = argList ? positionalOrKeyword(argList, 0, 'layers') : undefined;
      if (layersArg) this.addKerasElements(scratch, layersArg, scopes, 0);
      owner.builder.ordered!.push(...scratch.model.layers);
      return;
    }
    const builder = this.newBuilder('keras', 'sequential', this.modelName(node), node);
    this.claimed.add(node.id);
    const argList = callArgs(node);
    const layersArg = argList ? positionalOrKeyword(argList, 0, 'layers') : undefined;
    if (layersArg) this.addKerasElements(builder, layersArg, scopes, 0);
    if (target && (target.type === 'identifier' || target.type === 'attribute')) this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'model', builder });
  }

  private addKerasElements(builder: ModelBuilder, list: Node, scopes: ScopeChain, depth: number): void {
    if (depth > MAX_NESTING) return;
    const type = list.type;
    // An ERROR among the elements (a missing comma) still holds complete layer calls: take them in order.
    if (type !== 'list' && type !== 'tuple' && type !== 'ERROR') {
      this.addKerasElement(builder, list, scopes, depth, type);
      return;
    }
    // Each element's type is read once (every read is a call into WASM) and handed on.
    for (const element of namedChildList(list)) {
      const elementType = element.type;
      if (elementType === 'ERROR') this.addKerasElements(builder, element, scopes, depth + 1);
      else if (elementType !== 'comment') this.addKerasElement(builder, element, scopes, depth, elementType);
    }
  }

  private addKerasElement(builder: ModelBuilder, element: Node, scopes: ScopeChain, depth: number, type = element.type): void {
    if (type === 'call') {
      const fn = callFunction(element);
      const callee = this.classifyNode(fn);
      if (callee.kind === 'layer' && fn) {
        const layer = this.makeLayer(element, fn, callee.type, scopes, undefined, callee.parts);
        builder.model.layers.push(layer);
        // A half-typed `Dense(` swallows the layers written on the lines below as its arguments: they still follow it.
        const argList = layer.unfinished ? callArgs(element) : null;
        if (argList) for (const arg of namedChildList(argList)) if (arg.startPosition.row > argList.startPosition.row) this.addKerasElements(builder, arg, scopes, depth + 1);
      } else if (callee.kind === 'other' && element.hasError) {
        // `Dense(4)\n    Dense(2)` without the comma reads as one garbled call: keep the layer calls inside it.
        for (const inner of callsInside(element)) {
          const innerFn = callFunction(inner);
          const c = this.classifyNode(innerFn);
          if (c.kind === 'layer' && innerFn && !this.claimed.has(inner.id)) builder.model.layers.push(this.makeLayer(inner, innerFn, c.type, scopes, undefined, c.parts));
        }
      } else if (callee.kind === 'kerasSequential') {
        // A Sequential inside a Sequential behaves as its layers in a row.
        this.claimed.add(element.id);
        const argList = callArgs(element);
        const inner = argList ? positionalOrKeyword(argList, 0, 'layers') : undefined;
        if (inner) this.addKerasElements(builder, inner, scopes, depth + 1);
      }
    } else if (type === 'identifier') {
      const binding = this.bindings.get(this.bindingKey(scopes, element.text));
      if (binding?.kind === 'layer') {
        builder.model.layers.push(binding.layer);
        this.placed.add(binding.layer);
      }
    }
  }

  private onMethodCall(node: Node, object: string, method: string, scopes: ScopeChain): void {
    if (object === 'self' && this.onSelfMethod(node, method, scopes)) return;
    if (object.startsWith('self.') && !object.includes('.', 5) && SELF_CONTAINER_METHODS.has(method) && this.onSelfContainer(node, scopes)) return;
    const binding = this.bindings.get(this.bindingKey(scopes, object)) ?? (object === 'self' ? undefined : this.bindings.get(`module:${object}`));
    if (!binding && method !== 'apply' && method !== 'add_module') return;
    const argList = callArgs(node);
    if (method === 'apply' && argList) {
      const fnArg = positionalOrKeyword(argList, 0, 'fn');
      if (fnArg && (fnArg.type === 'identifier' || fnArg.type === 'attribute')) {
        const fnName = fnArg.type === 'attribute' ? fnArg.childForFieldName('attribute')?.text ?? fnArg.text : fnArg.text;
        let target: ModelBuilder | undefined;
        if (object === 'self') target = this.enclosingClass(scopes)?.builder;
        else if (binding?.kind === 'model') target = binding.builder;
        else if (binding?.kind === 'instance') target = this.classModels.get(binding.className);
        this.pendingApplies.push({ target, fnName });
      }
      return;
    }
    if (object === 'self' && method === 'add_module' && argList) {
      const owner = this.enclosingClass(scopes);
      const nameNode = positionalOrKeyword(argList, 0, 'name');
      const moduleNode = positionalOrKeyword(argList, 1, 'module');
      if (owner?.inInit && nameNode && moduleNode?.type === 'call') {
        const fn = callFunction(moduleNode);
        const callee = this.classifyNode(fn);
        const name = this.values.evaluate(nameNode, scopes);
        if (callee.kind === 'layer' && fn) this.addToClass(owner.builder, () => [this.makeLayer(moduleNode, fn, callee.type, scopes, name.kind === 'string' ? name.value : undefined)]);
      }
      return;
    }
    if (!binding) return;
    const builder = binding.kind === 'model' ? binding.builder : binding.kind === 'instance' ? this.classModels.get(binding.className) : undefined;
    if (!builder || !argList) return;
    if (method === 'add' && builder.model.kind === 'sequential' && builder.model.framework === 'keras') {
      const layerArg = positionalOrKeyword(argList, 0, 'layer');
      if (!layerArg) return;
      const before = builder.model.layers.length;
      this.addKerasElement(builder, layerArg, scopes, 0);
      // `for _ in range(8): model.add(...)` adds eight layers: repeat the one call as many times.
      const added = builder.model.layers.slice(before);
      const times = added.length ? this.loopCount(node, scopes) : 1;
      for (let i = 1; i < times; i++) builder.model.layers.push(...added);
    } else if (method === 'build') {
      const shape = positionalOrKeyword(argList, 0, 'input_shape');
      if (shape) builder.model.inputShape = this.values.evaluate(shape, scopes);
    }
  }

  /**
   * In a PyTorch class's `__init__`: `self.layer1 = self._make_layer(...)` (a helper of the class) and
   * `self.add_module(...)` inside a loop are interpreted (see pythonInterpret.ts). True when taken.
   */
  private onSelfMethod(node: Node, method: string, scopes: ScopeChain): boolean {
    return this.interpretInInit(node, scopes, (statement, builder) =>
      method === 'add_module' || method === 'register_module'
        ? statement.type === 'for_statement' || statement.type === 'if_statement'
        : this.classMethod(builder, method) !== undefined && this.assignedTo(node)?.type === 'attribute');
  }

  /** `self.blocks.append(Block(...))` in a PyTorch `__init__`: interpreted, so that each append gets its index. */
  private onSelfContainer(node: Node, scopes: ScopeChain): boolean {
    return this.interpretInInit(node, scopes);
  }

  /** How many times enclosing `for _ in range(<constant>)` loops run a statement (1 when unknown). */
  private loopCount(node: Node, scopes: ScopeChain): number {
    const stopAt = scopes[0]?.id;
    let times = 1;
    let current = node.parent;
    for (let steps = 0; current && steps < 64 && current.id !== stopAt; steps++) {
      if (current.type === 'for_statement') {
        const right = current.childForFieldName('right');
        const fn = right?.type === 'call' ? callFunction(right) : undefined;
        const args = right ? callArgs(right) : null;
        if (!fn || fn.text !== 'range' || !args) return 1;
        const bounds = this.values.arguments(args, scopes).map((a) => a.value);
        if (bounds.length < 1 || bounds.length > 2 || bounds.some((b) => b.kind !== 'number')) return 1;
        const [a, b] = bounds.map((v) => (v as { value: number }).value);
        const count = bounds.length === 1 ? a : b - a;
        if (!Number.isInteger(count) || count < 1) return 1;
        times *= count;
        if (times > 1000) return 1;
      }
      current = current.parent;
    }
    return times;
  }

  /** `Net()` bound to a name: remembered so that `net.apply(init_fn)` finds its class. */
  private onNameCall(node: Node, name: string, scopes: ScopeChain): void {
    // Most calls in ordinary code are plain function calls: decide from the name before touching the tree.
    const isClass = this.classModels.has(name);
    if (this.importsTorch && isUpper(name) && this.onChildModule(node, name, scopes)) return;
    if (this.importsTorch && !isClass && this.classByNode.size && this.onHelperFunction(node, name, scopes)) return;
    const binding = isClass ? undefined : this.bindings.get(this.bindingKey(scopes, name));
    const appliesLayer = binding?.kind === 'layer' && binding.framework === 'keras';
    if (!isClass && !appliesLayer && this.graph.length === 0) return;
    const target = this.assignedTo(node);
    if (isClass) {
      if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'instance', className: name });
      return;
    }
    if (binding?.kind === 'layer' && appliesLayer) {
      // `x = dense(x)`: a layer built earlier, applied now.
      const argList = callArgs(node);
      const inbound = argList ? this.tensorsIn(argList, scopes) : [];
      let index = binding.graphNode;
      if (index === undefined) {
        index = this.addGraphNode(binding.layer, inbound, scopes, binding.callNode.startIndex);
        binding.graphNode = index;
        this.placed.add(binding.layer);
      }
      if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'tensor', nodes: [index] });
      return;
    }
    this.passThrough(node, target, scopes);
  }

  /**
   * `self.layer1 = Block(64, stride=2)` in a PyTorch class's `__init__`: recorded as a child module, whether or not
   * `Block` is defined yet (assembly keeps only names that turn out to be the file's own PyTorch classes).
   */
  private onChildModule(node: Node, name: string, scopes: ScopeChain): boolean {
    const target = this.assignedTo(node);
    if (target?.type !== 'attribute' || !isSelfAttribute(target)) return false;
    const owner = this.enclosingClass(scopes);
    if (!owner?.inInit || owner.builder.model.framework !== 'pytorch') return false;
    const child = this.childModule(node, name, target.childForFieldName('attribute')!.text, scopes);
    this.addToClass(owner.builder, () => [child]);
    return true;
  }

  private childModule(call: Node, className: string, name: string, scopes: ScopeChain): ChildModule {
    const start = call.startPosition;
    return { child: true, name, className, call, scopes, at: start.row * 1e7 + start.column };
  }

  // ------------------------------------------------------------------ Keras functional API

  private addGraphNode(layer: LayerCall, inbound: number[], scopes: ScopeChain, start: number): number {
    this.graph.push({ layer, inbound, scopeKey: this.scopeKey(scopes), start, used: false });
    return this.graph.length - 1;
  }

  /** Graph nodes referenced by the arguments of an application: names, and lists/tuples of names. */
  private tensorsIn(argList: Node, scopes: ScopeChain): number[] {
    const out: number[] = [];
    const visit = (n: Node, depth: number) => {
      if (depth > 3) return;
      const type = n.type; // read once: every read is a call into WASM
      if (type === 'identifier') {
        const b = this.bindings.get(this.bindingKey(scopes, n.text));
        if (b?.kind === 'tensor') for (const i of b.nodes) if (!out.includes(i)) out.push(i);
      } else if (type === 'list' || type === 'tuple' || type === 'argument_list' || type === 'parenthesized_expression') {
        for (const c of namedChildrenOf(n)) visit(c, depth + 1);
      } else if (type === 'keyword_argument' && n.childForFieldName('name')?.text === 'inputs') {
        const v = n.childForFieldName('value');
        if (v) visit(v, depth + 1);
      }
    };
    visit(argList, 0);
    return out;
  }

  /** `Layer(...)(x)`: the inner call is a layer; the outer applies it. */
  private onApplication(node: Node, inner: Node, scopes: ScopeChain): void {
    const fn = callFunction(inner);
    const callee = this.classifyNode(fn);
    if (callee.kind !== 'layer' || !fn) {
      if (this.graph.length) this.passThrough(node, this.assignedTo(node), scopes);
      return;
    }
    const target = this.assignedTo(node);
    const argList = callArgs(node);
    const inbound = argList ? this.tensorsIn(argList, scopes) : [];
    const layer = this.makeLayer(inner, fn, callee.type, scopes, target?.type === 'identifier' ? target.text : undefined);
    this.claimed.add(node.id);
    const index = this.addGraphNode(layer, inbound, scopes, inner.startIndex);
    if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'tensor', nodes: [index] });
  }

  private onKerasMerge(node: Node, fn: Node, type: string, scopes: ScopeChain): void {
    const target = this.assignedTo(node);
    const argList = callArgs(node);
    const inbound = argList ? this.tensorsIn(argList, scopes) : [];
    const layer = this.makeLayer(node, fn, type, scopes, target?.type === 'identifier' ? target.text : undefined);
    const index = this.addGraphNode(layer, inbound, scopes, node.startIndex);
    if (target?.type === 'identifier') this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'tensor', nodes: [index] });
  }

  /**
   * `x = tf.nn.relu(x)` and other non-layer operations on tensors: the result keeps standing for the
   * tensors it was computed from, so the next layer's inbound still points at the right producers.
   */
  private passThrough(node: Node, target: Node | undefined, scopes: ScopeChain): void {
    if (target?.type !== 'identifier') return;
    const key = this.bindingKey(scopes, target.text);
    const argList = callArgs(node);
    const nodes = argList ? this.tensorsIn(argList, scopes) : [];
    if (nodes.length) this.bindings.set(key, { kind: 'tensor', nodes });
    else if (this.bindings.has(key)) this.bindings.delete(key);
  }

  private onKerasModel(node: Node, scopes: ScopeChain): void {
    const argList = callArgs(node);
    if (!argList) return;
    const outputsNode = positionalOrKeyword(argList, 1, 'outputs');
    if (!outputsNode) return;
    const outputs = this.tensorsIn(outputsNode, scopes);
    if (outputs.length === 0) return;
    const builder = this.newBuilder('keras', 'functional', this.modelName(node), node);
    this.claimed.add(node.id);
    builder.model.layers.push(...gatherModelLayers(this.graph, outputs));
    const target = this.assignedTo(node);
    if (target && (target.type === 'identifier' || target.type === 'attribute')) this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'model', builder });
  }

  // ------------------------------------------------------------------ PyTorch containers

  private onTorchContainer(node: Node, scopes: ScopeChain, kind: TorchContainer): void {
    const target = this.assignedTo(node);
    const owner = this.enclosingClass(scopes);
    if (owner?.builder.model.framework === 'pytorch' && kind !== 'torchModuleDict' && this.takesList(node)) {
      // `nn.Sequential(*layers)`: the list is built by the statements before; in `__init__` they are interpreted,
      // in a helper method the helper is interpreted where `__init__` calls it.
      this.claimed.add(node.id);
      const place = owner.inInit ? this.initStatement(node, scopes) : undefined;
      if (place) this.interpretStatement(owner.builder, place.init, place.statement, scopes);
      return;
    }
    if (owner?.inInit && target?.type === 'attribute' && isSelfAttribute(target)) {
      const prefix = target.childForFieldName('attribute')!.text;
      this.addToClass(owner.builder, () => this.flattenTorch(node, prefix, scopes, 0, kind));
      return;
    }
    if (!owner && scopes.length === 1 && kind !== 'torchModuleDict' && this.importsTorch && this.takesList(node)) {
      this.onFileContainer(node, scopes);
      return;
    }
    if (kind !== 'torchSequential' && !owner) return;
    if (owner?.inInit) {
      this.addToClass(owner.builder, () => this.flattenTorch(node, '', scopes, 0, kind, true));
      return;
    }
    const builder = this.newBuilder('pytorch', 'sequential', this.modelName(node), node);
    if (owner && scopes[0]?.type === 'function_definition') builder.inMethod = scopes[0].id;
    builder.model.initCalls = [];
    for (const piece of this.flattenTorch(node, '', scopes, 0, kind)) {
      if ('child' in piece) (builder.children ??= []).push(piece);
      else if (!('group' in piece)) builder.model.layers.push(piece);
    }
    if (target && (target.type === 'identifier' || target.type === 'attribute')) this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'model', builder });
  }

  /**
   * `model = nn.Sequential(*layers)` at the top of a file, `layers` filled by the statements before: they are
   * interpreted (see pythonInterpret.ts) and the model gets their modules, named by position.
   */
  private onFileContainer(node: Node, scopes: ScopeChain): void {
    const root = this.tree.rootNode;
    let statement: Node | null = node;
    for (let i = 0; statement && i < 200; i++) {
      const parent: Node | null = statement.parent;
      if (parent && parent.id === root.id) break;
      statement = parent;
    }
    this.claimed.add(node.id);
    const builder = this.newBuilder('pytorch', 'sequential', this.modelName(node), node);
    builder.model.initCalls = [];
    const target = this.assignedTo(node);
    if (target && (target.type === 'identifier' || target.type === 'attribute')) this.bindings.set(this.bindingKey(scopes, target.text), { kind: 'model', builder });
    if (!statement) return;
    let entries: Entry[];
    try {
      entries = this.interpret(builder, (i) => i.containerEntries(root, scopes, statement, node));
    } catch (e) {
      if (!(e instanceof Unknown)) throw e;
      this.notices.add(`${builder.model.name}: the modules built at line ${node.startPosition.row + 1} are left out: ${e.why}.`);
      return;
    }
    entries.forEach((entry, i) => {
      for (const piece of this.entryPieces(entry, String(i))) {
        if ('child' in piece) (builder.children ??= []).push(piece);
        else if (!('group' in piece)) builder.model.layers.push(piece);
      }
    });
  }

  /** `nn.Sequential(*layers)` / `nn.ModuleList(layers)`: a container whose modules come from a name. */
  private takesList(node: Node): boolean {
    const argList = callArgs(node);
    if (!argList || argList.type !== 'argument_list') return false;
    return namedChildrenOf(argList).some((a) => a.type === 'list_splat' || a.type === 'identifier');
  }

  /**
   * The layers of an `nn.Sequential` / `nn.ModuleList`, nested containers flattened, named the way
   * PyTorch names their parameters (`features.0`, `block.1.0`, or the keys of an OrderedDict).
   */
  private flattenTorch(node: Node, prefix: string, scopes: ScopeChain, depth: number, kind: TorchContainer, unnamed = false): Piece[] {
    this.claimed.add(node.id);
    if (depth > MAX_NESTING) return [];
    const argList = callArgs(node);
    if (!argList || argList.type !== 'argument_list') return [];
    let entries: { name: string; node: Node }[] = [];
    const args = namedChildrenOf(argList).filter((a) => a.type !== 'keyword_argument');
    const join = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (kind === 'torchModuleDict') entries = this.dictEntries(args[0], scopes).map((e) => ({ name: join(e.name), node: e.node }));
    else if (kind === 'torchModuleList') {
      const list = args[0];
      if (list && (list.type === 'list' || list.type === 'tuple')) entries = namedChildrenOf(list).map((n, i) => ({ name: join(String(i)), node: n }));
      else if (list?.type === 'list_comprehension') entries = this.repeatedEntries(list, scopes).map((n, i) => ({ name: join(String(i)), node: n }));
    } else if (args.length === 1 && args[0].type === 'call' && isOrderedDict(args[0])) {
      const inner = namedChildrenOf(callArgs(args[0]) ?? args[0])[0];
      if (inner && (inner.type === 'list' || inner.type === 'tuple')) {
        for (const pair of namedChildrenOf(inner)) {
          const pairType = pair.type;
          const items = pairType === 'tuple' || pairType === 'list' ? namedChildrenOf(pair) : [];
          if (items.length !== 2) continue;
          const key = this.values.evaluate(items[0], scopes);
          entries.push({ name: join(key.kind === 'string' ? key.value : String(entries.length)), node: items[1] });
        }
      }
    } else {
      // A missing comma leaves an ERROR among the arguments; its calls are still modules, in order.
      const flat = args.flatMap((n) => (n.type === 'ERROR' ? namedChildrenOf(n) : [n]));
      entries = flat.map((n, i) => ({ name: join(String(i)), node: n }));
    }
    const out: Piece[] = [];
    for (const entry of entries) {
      if (entry.node.type !== 'call') continue;
      const fn = callFunction(entry.node);
      const callee = this.classifyNode(fn);
      if (callee.kind === 'layer' && fn) out.push(this.makeLayer(entry.node, fn, callee.type, scopes, unnamed ? undefined : entry.name));
      else if (callee.kind === 'other' && fn?.type === 'identifier' && isUpper(fn.text) && !unnamed) out.push(this.childModule(entry.node, fn.text, entry.name, scopes));
      else if (callee.kind === 'other' && entry.node.hasError) {
        for (const inner of callsInside(entry.node)) {
          const innerFn = callFunction(inner);
          const c = this.classifyNode(innerFn);
          if (c.kind === 'layer' && innerFn && !this.claimed.has(inner.id)) out.push(this.makeLayer(inner, innerFn, c.type, scopes));
        }
      }
      else if (callee.kind === 'torchSequential' || callee.kind === 'torchModuleList' || callee.kind === 'torchModuleDict') out.push(...this.flattenTorch(entry.node, unnamed ? '' : entry.name, scopes, depth + 1, callee.kind, unnamed));
    }
    return out;
  }

  /**
   * The entries of `nn.ModuleDict(dict(wte=..., h=...))` or `nn.ModuleDict({'wte': ...})`, in insertion order (the
   * order PyTorch registers them in); keys that are not string literals leave the entry out (its name is unknown).
   */
  private dictEntries(arg: Node | undefined, scopes: ScopeChain): { name: string; node: Node }[] {
    const out: { name: string; node: Node }[] = [];
    if (arg?.type === 'call' && callFunction(arg)?.text === 'dict') {
      for (const kw of namedChildrenOf(callArgs(arg) ?? arg)) {
        const name = kw.type === 'keyword_argument' ? kw.childForFieldName('name')?.text : undefined;
        const value = kw.childForFieldName('value');
        if (name && value) out.push({ name, node: value });
      }
    } else if (arg?.type === 'dictionary') {
      for (const pair of namedChildrenOf(arg)) {
        const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
        const value = pair.childForFieldName('value');
        const name = key ? this.values.evaluate(key, scopes) : undefined;
        if (name?.kind === 'string' && value) out.push({ name: name.value, node: value });
      }
    }
    return out;
  }

  /**
   * `[Block(d) for _ in range(4)]`: the element expression once per iteration, when the comprehension is one
   * `for` over `range(<known count>)` with no condition; otherwise nothing (the count is not known statically).
   */
  private repeatedEntries(comprehension: Node, scopes: ScopeChain): Node[] {
    const parts = namedChildrenOf(comprehension);
    const body = comprehension.childForFieldName('body');
    if (!body || parts.length !== 2 || parts[1].type !== 'for_in_clause') return [];
    const right = parts[1].childForFieldName('right');
    const count = right ? this.rangeCount(right, scopes) : undefined;
    return count === undefined ? [] : Array.from({ length: count }, () => body);
  }

  /** How many values `range(...)` yields when its arguments are known numbers (a step too); undefined otherwise. */
  private rangeCount(node: Node, scopes: ScopeChain): number | undefined {
    if (node.type !== 'call' || callFunction(node)?.text !== 'range') return undefined;
    const argList = callArgs(node);
    if (!argList) return undefined;
    const bounds = this.values.arguments(argList, scopes).map((a) => a.value);
    if (bounds.length < 1 || bounds.length > 3 || bounds.some((b) => b.kind !== 'number' || !Number.isInteger(b.value))) return undefined;
    const [a, b, step] = bounds.length === 1 ? [0, (bounds[0] as { value: number }).value, 1] : bounds.map((v) => (v as { value: number }).value).concat(bounds.length === 2 ? [1] : []);
    if (step === 0) return undefined;
    const count = Math.max(0, Math.ceil((b - a) / step));
    return count <= 1000 ? count : undefined;
  }

  // ------------------------------------------------------------------ PyTorch init calls

  private onInitCall(node: Node, fn: Node, scopes: ScopeChain, targetNode: Node | undefined): void {
    const argList = callArgs(node);
    const tensor = argList ? positionalOrKeyword(argList, 0, 'tensor') : undefined;
    const target = tensor ?? targetNode;
    const readArgs = () => (argList && argList.type === 'argument_list' ? this.values.arguments(argList, scopes) : []);
    this.recordInit(node, fn.text, target, readArgs, scopes);
  }

  /** `m.weight.data.normal_(0.0, 0.02)`: in-place initialisation written as a tensor method. */
  private onTensorInit(node: Node, fn: Node, parts: string[], scopes: ScopeChain): void {
    const object = fn.childForFieldName('object');
    const argList = callArgs(node);
    const readArgs = () => (argList && argList.type === 'argument_list' ? this.values.arguments(argList, scopes) : []);
    if (!object) return;
    const chain = parts.slice(0, -1);
    if (chain[chain.length - 1] === 'data') chain.pop();
    if (chain.length < 2) return;
    this.recordInit(node, fn.text, object, readArgs, scopes, true);
  }

  /** `readArgs` reads the call's arguments; a class keeps it to read them again for a caller's arguments. */
  private recordInit(node: Node, fnText: string, target: Node | undefined, readArgs: () => Argument[], scopes: ScopeChain, tensorMethod = false): void {
    if (!target) return;
    const path = targetPath(target);
    if (!path || path.length < 2) return;
    const param = path[path.length - 1];
    const base = path[0];
    const middle = path.slice(1, -1).join('.');
    const range = rangeOf(node);
    const targets: Omit<InitCall, 'fn' | 'args' | 'range'>[] = [];
    if (base === 'self') targets.push({ param, ...(middle ? { targetLayer: middle } : {}) });
    else {
      const types = middle ? [] : this.isinstanceTypes(node, base, scopes);
      const loopTargets = middle || types.length ? [] : this.loopedAttributes(node, base, scopes);
      if (types.length) for (const t of types) targets.push({ param, ...(t.contains ? { targetTypeContains: t.name } : { targetType: t.name }) });
      else if (loopTargets.length) for (const layer of loopTargets) targets.push({ param, targetLayer: layer });
      else targets.push({ param, ...(middle ? { targetLayer: middle } : {}) });
    }
    const make = (): InitCall[] => {
      const args = readArgs();
      return targets.map((t) => ({ fn: fnText, args, range, ...t, ...(tensorMethod ? { tensorMethod } : {}) }));
    };
    const calls = make();
    const owner = this.enclosingClass(scopes);
    if (owner) {
      owner.builder.model.initCalls?.push(...calls);
      owner.builder.initMakers?.push(make);
      return;
    }
    if (scopes.length > 1 && scopes[0].type === 'function_definition') {
      const name = scopes[0].childForFieldName('name')?.text;
      if (name) {
        const list = this.initFunctions.get(name) ?? [];
        list.push(...calls);
        this.initFunctions.set(name, list);
      }
      return;
    }
    for (const call of calls) this.pendingTargets.push({ varKey: this.bindingKey(scopes, base), call });
  }

  /** `for layer in (self.fc1, self.fc2): nn.init...(layer.weight)`: the attributes the loop visits. */
  private loopedAttributes(node: Node, variable: string, scopes: ScopeChain): string[] {
    const stopAt = scopes[0]?.id;
    let current = node.parent;
    for (let steps = 0; current && steps < 64 && current.id !== stopAt; steps++) {
      if (current.type === 'for_statement' && current.childForFieldName('left')?.text === variable) {
        const right = current.childForFieldName('right');
        if (!right || (right.type !== 'tuple' && right.type !== 'list' && right.type !== 'expression_list')) return [];
        const out: string[] = [];
        for (const item of namedChildrenOf(right)) {
          const path = targetPath(item);
          if (!path || path[0] !== 'self' || path.length < 2) return [];
          out.push(path.slice(1).join('.'));
        }
        return out;
      }
      current = current.parent;
    }
    return [];
  }

  /** Types named by the `isinstance(m, ...)` / `type(m) == ...` conditions that guard this call. */
  private isinstanceTypes(node: Node, subject: string, scopes: ScopeChain): TypeTest[] {
    const stopAt = scopes[0]?.id;
    const types: TypeTest[] = [];
    let previous: Node = node;
    let current = node.parent;
    for (let steps = 0; current && steps < 64 && current.id !== stopAt; steps++) {
      if (current.type === 'if_statement' || current.type === 'elif_clause') {
        const consequence = current.childForFieldName('consequence');
        const condition = current.childForFieldName('condition');
        if (consequence && condition && consequence.id === previous.id) {
          this.typesInCondition(condition, subject, types, scopes);
          if (types.length) return types;
        }
      }
      previous = current;
      current = current.parent;
    }
    return types;
  }

  private typesInCondition(condition: Node, subject: string, out: TypeTest[], scopes: ScopeChain): void {
    if (condition.type === 'boolean_operator') {
      const left = condition.childForFieldName('left');
      const right = condition.childForFieldName('right');
      if (left) this.typesInCondition(left, subject, out, scopes);
      if (right) this.typesInCondition(right, subject, out, scopes);
      return;
    }
    if (condition.type === 'parenthesized_expression') {
      const inner = namedChildrenOf(condition)[0];
      if (inner) this.typesInCondition(inner, subject, out, scopes);
      return;
    }
    const addType = (t: Node) => {
      const type = t.type;
      if (type === 'tuple' || type === 'list' || type === 'parenthesized_expression') {
        for (const c of namedChildrenOf(t)) addType(c);
        return;
      }
      const parts = dottedParts(t);
      if (parts) out.push({ name: parts[parts.length - 1] });
    };
    if (condition.type === 'call' && callFunction(condition)?.text === 'isinstance') {
      const args = namedChildrenOf(callArgs(condition) ?? condition);
      if (args.length === 2 && args[0].text === subject) addType(args[1]);
    } else if (condition.type === 'comparison_operator') {
      const [left, right] = namedChildrenOf(condition);
      const operator = condition.childCount === 3 ? condition.child(1)?.type : undefined;
      if (left?.type === 'call' && callFunction(left)?.text === 'type') {
        const arg = namedChildrenOf(callArgs(left) ?? left)[0];
        if (arg?.text === subject && right) addType(right);
      } else if (left?.type === 'call' && operator === '!=' && right?.type === 'unary_operator' && right.text === '-1') {
        // `classname.find('Conv') != -1`, the DCGAN idiom: a class-name substring test.
        const fn = callFunction(left);
        const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
        const args = namedChildrenOf(callArgs(left) ?? left);
        const text = args.length === 1 ? this.values.evaluate(args[0], scopes) : undefined;
        if (fn?.childForFieldName('attribute')?.text === 'find' && object && text?.kind === 'string' && this.isClassNameOf(object, subject, scopes)) {
          out.push({ name: text.value, contains: true });
        }
      } else if (left && right && operator === 'in') {
        // `'Conv' in classname`
        const text = this.values.evaluate(left, scopes);
        if (text.kind === 'string' && this.isClassNameOf(right, subject, scopes)) out.push({ name: text.value, contains: true });
      }
    }
  }

  /**
   * Whether `node` is `<subject>.__class__.__name__` / `type(<subject>).__name__`, or a name the enclosing
   * function binds to one of those (`classname = m.__class__.__name__`) in a plain statement of its body.
   */
  private isClassNameOf(node: Node, subject: string, scopes: ScopeChain): boolean {
    const direct = (n: Node) => n.text === `${subject}.__class__.__name__` || n.text === `type(${subject}).__name__`;
    if (direct(node)) return true;
    const fn = scopes[0];
    if (node.type !== 'identifier' || fn?.type !== 'function_definition') return false;
    const body = fn.childForFieldName('body');
    let bound = false;
    for (const statement of body ? namedChildrenOf(body) : []) {
      const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== node.text) continue;
      // The last binding decides; a rebinding to anything else makes the test unreadable.
      const right = assignment.childForFieldName('right');
      bound = !!right && direct(right);
    }
    return bound;
  }

  private attachApplies(): void {
    const torchModels = this.builders.filter((b) => b.model.framework === 'pytorch');
    const onlyOne = torchModels.length === 1 ? torchModels[0] : undefined;
    for (const apply of this.pendingApplies) {
      const calls = this.initFunctions.get(apply.fnName);
      const target = apply.target ?? onlyOne;
      if (calls && target) target.model.initCalls = [...(target.model.initCalls ?? []), ...calls];
    }
    for (const pending of this.pendingTargets) {
      const binding = this.bindings.get(pending.varKey);
      const target = binding?.kind === 'model' ? binding.builder : binding?.kind === 'instance' ? this.classModels.get(binding.className) : onlyOne;
      if (target) target.model.initCalls = [...(target.model.initCalls ?? []), pending.call];
    }
  }

  // ------------------------------------------------------------------ broken code

  /**
   * In a file mid-edit tree-sitter keeps complete calls but may lose the call around them (an unclosed
   * `Sequential([`). Inside each error region, a Sequential constructor followed by layer calls still
   * reads as that model, in order.
   */
  private recoverFromErrors(): void {
    for (const { node, scopes } of this.errors) {
      let builder: ModelBuilder | undefined;
      // A region of hundreds of thousands of tokens (a binary blob, a giant garbled line) holds no model worth
      // a node object per token; the calls inside are still read by readCallsInErrors.
      if (node.childCount > MAX_ERROR_CHILDREN) continue;
      const children = node.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (!child) continue;
        const parts = child.type === 'identifier' || child.type === 'attribute' ? dottedParts(child) : undefined;
        const callee = parts ? this.classify(parts) : undefined;
        if (callee && (callee.kind === 'kerasSequential' || callee.kind === 'torchSequential')) {
          const eq = children[i - 1];
          const nameNode = eq && eq.type === '=' ? children[i - 2] : undefined;
          const name = nameNode?.type === 'identifier' ? nameNode.text : `model@${child.startPosition.row + 1}`;
          builder = this.newBuilder(callee.kind === 'kerasSequential' ? 'keras' : 'pytorch', 'sequential', name, child);
          continue;
        }
        if (!builder) continue;
        for (const call of this.unclaimedLayerCallsIn(child)) {
          const fn = callFunction(call);
          const c = this.classifyNode(fn);
          if (c.kind !== 'layer' || !fn) continue;
          const index = this.looseLayers.findIndex((l) => l.at === call.startIndex);
          const layer = index >= 0 ? this.looseLayers.splice(index, 1)[0].layer : this.makeLayer(call, fn, c.type, scopes);
          if (builder.model.framework === 'pytorch' && layer.name === undefined) layer.name = String(builder.model.layers.length);
          builder.model.layers.push(layer);
        }
      }
    }
  }

  /**
   * Calls anywhere inside error regions that the captures did not reach (an unclosed call swallows the
   * statements after it): read them as if they were statements, in source order. Bounded per region.
   */
  private readCallsInErrors(seenCalls: Set<number>): void {
    let coveredUntil = -1;
    this.inErrorWalk = true;
    // The query engine finds the calls (in C) so a large garbled region costs no JS per token.
    const calls = cachedQuery(this.tree.language, '(call) @call');
    for (const { node, scopes } of this.errors) {
      if (node.startIndex < coveredUntil) continue; // nested in a region already walked
      coveredUntil = node.endIndex;
      for (const capture of calls.captures(node, QUERY_OPTIONS)) {
        const call = capture.node;
        if (this.claimed.has(call.id) || seenCalls.has(call.id)) continue;
        seenCalls.add(call.id);
        this.onCall(call, scopes);
      }
    }
    this.inErrorWalk = false;
  }

  /** Layer calls directly in an error region's child (the child itself, or the elements of a list). */
  private unclaimedLayerCallsIn(child: Node): Node[] {
    const type = child.type;
    if (type === 'call') {
      const loose = this.looseLayers.some((l) => l.at === child.startIndex);
      return loose || !this.claimed.has(child.id) ? [child] : [];
    }
    if (type === 'list' || type === 'tuple' || type === 'argument_list' || type === 'ERROR') {
      return namedChildrenOf(child).filter((c) => c.type === 'call' && (!this.claimed.has(c.id) || this.looseLayers.some((l) => l.at === c.startIndex)));
    }
    return [];
  }

  // ------------------------------------------------------------------ child modules

  /**
   * Layers in PyTorch's registration order (source order of the `__init__` statements), each child module
   * replaced by the layers of its class read with the call's arguments and named under the child's path, as
   * named_parameters() names them (`layer1.conv1`). The child's own init calls go to `initCalls`, confined to it.
   * A name that is not one of the file's PyTorch classes (a helper function) adds nothing.
   */
  private expand(pieces: readonly Piece[], initCalls: InitCall[], depth: number, visiting: Set<ModelBuilder>, sort = true): LayerCall[] {
    const groups: { at: number; layers: LayerCall[] }[] = [];
    for (const piece of pieces) {
      if ('group' in piece) {
        groups.push({ at: piece.at, layers: this.expand(piece.pieces, initCalls, depth, visiting, false) });
        continue;
      }
      if (!('child' in piece)) {
        groups.push({ at: offsetOf(piece), layers: [piece] });
        continue;
      }
      const cls = this.classModels.get(piece.className);
      // A class that builds itself (directly or through another) cannot be expanded: Python would recurse forever.
      if (!cls || cls.model.framework !== 'pytorch' || !cls.makers || visiting.has(cls) || depth >= MAX_NESTING) continue;
      const read = this.readChild(cls, piece, depth, visiting);
      groups.push({ at: piece.at, layers: read.layers });
      initCalls.push(...read.initCalls);
    }
    // Stable: the entries of one comprehension share their offset and keep their index order.
    // The pieces of one interpreted statement are in the order it ran, not in source order.
    if (sort) groups.sort((a, b) => a.at - b.at);
    return groups.flatMap((g) => g.layers);
  }

  private readChild(cls: ModelBuilder, child: ChildModule, depth: number, visiting: Set<ModelBuilder>): { layers: LayerCall[]; initCalls: InitCall[] } {
    const init = cls.classNode ? findInit(cls.classNode) : undefined;
    const read = () => {
      visiting.add(cls);
      try {
        const pieces = cls.makers!.flatMap((make) => make());
        const own = cls.initMakers!.flatMap((make) => make());
        const inner: InitCall[] = [];
        const layers = this.expand(pieces, inner, depth + 1, visiting);
        return { layers, initCalls: [...inner, ...own] };
      } finally {
        visiting.delete(cls);
      }
    };
    // The call's arguments are read here, in the caller's scope (itself possibly bound to its own caller's).
    const bind = () => this.bindArguments(init!, child.call, child.scopes);
    const args = init ? (child.bound ? this.values.withNames(child.bound.fn, child.bound.names, bind) : bind()) : undefined;
    const got = init ? this.values.withParameters(init, args!, read) : read();
    const prefix = child.name;
    return {
      layers: got.layers.map((layer) => ({ ...layer, name: layer.name === undefined ? undefined : `${prefix}.${layer.name}` })),
      initCalls: got.initCalls.map((call) => (call.targetLayer !== undefined
        ? { ...call, targetLayer: `${prefix}.${call.targetLayer}` }
        : { ...call, scope: call.scope === undefined ? prefix : `${prefix}.${call.scope}` })),
    };
  }

  /**
   * What a call `Block(64, stride=2)` passes to each parameter of `Block.__init__` (self excluded), by Python's
   * rules: positional in order, then by keyword. A parameter the call leaves out is not bound (its default
   * applies, or it stays unknown). With `*args` / `**kwargs` at the call no parameter can be told: all of them
   * are bound to their own name, unknown, rather than silently taking their defaults.
   */
  private bindArguments(init: Node, call: Node, scopes: ScopeChain): Map<string, Value> {
    const params: { name: string; positional: boolean }[] = [];
    let keywordOnly = false;
    let sawSelf = false;
    for (const p of namedChildrenOf(init.childForFieldName('parameters') ?? init)) {
      const type = p.type;
      if (type === 'list_splat_pattern' || type === 'keyword_separator') {
        keywordOnly = true;
        continue;
      }
      const name = type === 'identifier' ? p.text
        : type === 'default_parameter' || type === 'typed_default_parameter' ? p.childForFieldName('name')?.text
          : type === 'typed_parameter' ? namedChildList(p).find((c) => c?.type === 'identifier')?.text : undefined;
      if (!name) continue;
      if (!sawSelf) {
        sawSelf = true;
        continue;
      }
      params.push({ name, positional: !keywordOnly });
    }
    const bound = new Map<string, Value>();
    const argList = callArgs(call);
    if (!argList || argList.type !== 'argument_list') return bound;
    const positional: Node[] = [];
    const keyword = new Map<string, Node>();
    for (const arg of namedChildList(argList)) {
      const type = arg.type;
      if (type === 'list_splat' || type === 'dictionary_splat' || type === 'ERROR') {
        for (const p of params) bound.set(p.name, { kind: 'symbolic', text: p.name });
        return bound;
      }
      if (type === 'comment') continue;
      if (type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (name && value) keyword.set(name, value);
      } else positional.push(arg);
    }
    const positionalParams = params.filter((p) => p.positional);
    positional.forEach((arg, i) => {
      if (i < positionalParams.length) bound.set(positionalParams[i].name, this.values.evaluate(arg, scopes));
    });
    for (const p of params) {
      const value = keyword.get(p.name);
      if (value) bound.set(p.name, this.values.evaluate(value, scopes));
    }
    return bound;
  }

  // ------------------------------------------------------------------ result

  private assemble(): ParsedModel[] {
    const out: { start: number; model: ParsedModel }[] = [];
    for (const builder of this.builders) {
      if (builder.ordered) {
        // Statements read before a later one needed interpreting are read again, with the interpreted names.
        if (builder.interprets) builder.ordered = builder.makers!.flatMap((make) => make());
        const childInits: InitCall[] = [];
        builder.model.layers = this.expand(builder.ordered, childInits, 0, new Set([builder]));
        // A child's own init calls run while the parent's __init__ builds it, before the parent's calls that follow.
        if (childInits.length) builder.model.initCalls = [...childInits, ...(builder.model.initCalls ?? [])];
      } else if (builder.children) {
        const childInits: InitCall[] = [];
        builder.model.layers = this.expand([...builder.model.layers, ...builder.children], childInits, 0, new Set());
        builder.model.initCalls = [...childInits, ...(builder.model.initCalls ?? [])];
      }
      if (builder.inMethod !== undefined && this.followedMethods.has(builder.inMethod)) continue;
      if (builder.model.layers.length === 0 && !(builder.model.initCalls && builder.model.initCalls.length)) continue;
      out.push({ start: builder.start, model: builder.model });
    }
    // Layers applied in a functional graph that no Model(...) gathered: one graph per scope.
    out.push(...looseGraphModels(this.graph, 'keras'));
    // Layers no model took: grouped per scope and framework, so that hovers still find them.
    const groups = new Map<string, typeof this.looseLayers>();
    for (const l of this.looseLayers) {
      if (this.placed.has(l.layer) || this.interpretedCalls.has(l.callId)) continue;
      const key = `${l.scopeKey}|${l.framework}|${l.inError}`;
      const list = groups.get(key) ?? [];
      list.push(l);
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      const first = list[0];
      const sequential = first.inError;
      out.push({
        start: first.at,
        model: {
          framework: first.framework,
          name: `layers@${first.layer.range.start.line + 1}`,
          kind: sequential ? 'sequential' : 'functional',
          range: first.layer.range,
          layers: list.map((l) => (sequential ? l.layer : { ...l.layer, inbound: [] })),
        },
      });
    }
    out.sort((a, b) => a.start - b.start);
    return out.map((o) => o.model);
  }
}

// -------------------------------------------------------------------- helpers

/** Calls nested in a (small, garbled) node, in source order; bounded. */
function callsInside(node: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = namedChildList(node).reverse();
  let budget = 2000;
  while (stack.length && budget-- > 0) {
    const current = stack.pop()!;
    if (current.type === 'call') out.push(current);
    const children = namedChildList(current);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

function isUpper(name: string | undefined): boolean {
  if (!name) return false;
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90;
}

function isBlank(text: string): boolean {
  for (const ch of text) if (ch !== ' ' && ch !== '\t') return false;
  return true;
}

function dottedNameParts(node: Node): string[] {
  // `a.b.c` written without spaces or comments: its text split at the dots (see plainDottedName).
  const quick = plainDottedName(node.text);
  if (quick) return quick;
  const parts: string[] = [];
  for (const c of namedChildList(node)) if (c.type === 'identifier') parts.push(c.text);
  return parts;
}

/** `a.b.c` as ['a', 'b', 'c'] when the node is a plain identifier/attribute chain. */
function dottedParts(node: Node): string[] | undefined {
  const quick = plainDottedName(node.text);
  if (quick) return quick;
  const parts: string[] = [];
  let current: Node | null = node;
  for (let steps = 0; current && steps < 32; steps++) {
    if (current.type === 'identifier') {
      parts.push(current.text);
      return parts.reverse();
    }
    if (current.type !== 'attribute') return undefined;
    const kids: Node[] = namedChildList(current);
    if (kids.length !== 2) return undefined;
    parts.push(kids[1].text);
    current = kids[0];
  }
  return undefined;
}

/** `self.features[0].weight.data` as ['self', 'features', '0', 'weight'] (a trailing `.data` dropped). */
function targetPath(node: Node): string[] | undefined {
  const parts: string[] = [];
  let current: Node | null = node;
  for (let steps = 0; current && steps < 32; steps++) {
    if (current.type === 'identifier') {
      parts.push(current.text);
      const path = parts.reverse();
      if (path[path.length - 1] === 'data') path.pop();
      return path;
    }
    if (current.type === 'attribute') {
      const attr = current.childForFieldName('attribute');
      if (!attr) return undefined;
      parts.push(attr.text);
      current = current.childForFieldName('object');
    } else if (current.type === 'subscript') {
      const key = current.childForFieldName('subscript');
      if (!key || key.type !== 'integer') return undefined;
      parts.push(key.text);
      current = current.childForFieldName('value');
    } else return undefined;
  }
  return undefined;
}

function isSelfAttribute(node: Node): boolean {
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && object.text === 'self';
}

function isOrderedDict(call: Node): boolean {
  const fn = callFunction(call);
  const parts = fn ? dottedParts(fn) : undefined;
  return !!parts && parts[parts.length - 1] === 'OrderedDict';
}

function positionalOrKeyword(argList: Node, position: number, keyword: string): Node | undefined {
  let seen = 0;
  // Each argument's type read once (a call into WASM); comments skipped here rather than filtered beforehand.
  for (const arg of namedChildList(argList)) {
    const type = arg.type;
    if (type === 'keyword_argument') {
      if (arg.childForFieldName('name')?.text === keyword) return arg.childForFieldName('value') ?? undefined;
      continue;
    }
    if (type === 'list_splat' || type === 'dictionary_splat' || type === 'comment') continue;
    if (seen++ === position) return arg;
  }
  return undefined;
}

function firstArgument(call: Node): Node | undefined {
  const argList = callArgs(call);
  return argList ? positionalOrKeyword(argList, 0, 'tensor') : undefined;
}

function offsetOf(layer: LayerCall): number {
  // Source order from line/column (columns stay far below 1e7 in any real file).
  return layer.range.start.line * 1e7 + layer.range.start.column;
}

export type { Value };
