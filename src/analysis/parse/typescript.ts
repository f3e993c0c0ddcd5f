/**
 * Reads TensorFlow.js model definitions out of a TypeScript / TSX / JavaScript syntax tree:
 * `tf.sequential({layers: [...]})`, `model.add(tf.layers.dense({...}))`, and the functional API
 * (`tf.input({shape})`, `tf.layers.x({...}).apply(t)`, `tf.model({inputs, outputs})`), whatever the
 * namespace is called locally (`import * as tf`, `require`, `import { layers, sequential }`).
 * The single config object of a TF.js layer is flattened into named arguments.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LayerCall, ParsedModel, ParseResult } from '../ir';
import { isTsScope, TsValues, type ScopeChain, unfinishedRow } from './values';
import { gatherModelLayers, type GraphNode, looseGraphModels } from './graph';
import { cachedQuery, MAX_NESTING, namedChildrenOf, plainDottedName, QUERY_OPTIONS, rangeOf, SYNTAX_ERROR_NOTICE } from './syntax';

const QUERY = `
(import_statement) @import
(call_expression) @call
[(function_declaration) (function_expression) (arrow_function) (method_definition) (generator_function_declaration)] @scope
`;

/** Error regions: added to the query only when the tree has errors (otherwise nothing can match, and the walk is cheaper). */
const ERROR_QUERY = `
(ERROR) @error
`;

/** Casts and wrappers that do not change which tensor or layer an expression stands for. */
const TRANSPARENT = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'parenthesized_expression', 'await_expression', 'type_assertion']);

type Callee =
  | { kind: 'layer'; type: string }
  | { kind: 'sequential' }
  | { kind: 'model' }
  | { kind: 'other' };

interface ModelBuilder {
  model: ParsedModel;
  start: number;
}

type Binding =
  | { kind: 'model'; builder: ModelBuilder }
  | { kind: 'tensor'; nodes: number[] }
  | { kind: 'layer'; layer: LayerCall; start: number; graphNode?: number };

export function readTypeScript(tree: Tree, source: string): ParseResult {
  return new TsReader(tree, source).read();
}

function isTfjsModule(specifier: string): boolean {
  return specifier === '@tensorflow/tfjs' || specifier.startsWith('@tensorflow/tfjs-') || specifier.startsWith('@tensorflow/tfjs/');
}

class TsReader {
  private readonly aliases = new Map<string, string[]>();
  private readonly values = new TsValues();
  private readonly claimed = new Set<number>();
  private readonly builders: ModelBuilder[] = [];
  private readonly bindings = new Map<string, Binding>();
  private readonly graph: GraphNode[] = [];
  private readonly looseLayers: { at: number; layer: LayerCall; scopeKey: string; inError: boolean }[] = [];
  private readonly placed = new Set<LayerCall>();
  private readonly errors: { node: Node; scopes: ScopeChain }[] = [];

  constructor(
    private readonly tree: Tree,
    private readonly source: string,
  ) {}

  read(): ParseResult {
    const root = this.tree.rootNode;
    const hasErrors = root.hasError;
    const captures = cachedQuery(this.tree.language, hasErrors ? QUERY + ERROR_QUERY : QUERY).captures(root, QUERY_OPTIONS);
    for (const c of captures) {
      if (c.name === 'import') this.readImport(c.node);
      else if (c.name === 'call') this.readRequire(c.node);
    }
    const open: { node: Node; end: number }[] = [];
    let chain: ScopeChain | undefined;
    const scopes = (): ScopeChain => (chain ??= [...open.map((o) => o.node).reverse(), root]);
    for (const capture of captures) {
      const node = capture.node;
      const start = node.startIndex;
      while (open.length && start >= open[open.length - 1].end) {
        open.pop();
        chain = undefined;
      }
      if (capture.name === 'scope') {
        if (isTsScope(node)) {
          open.push({ node, end: node.endIndex });
          chain = undefined;
        }
      } else if (capture.name === 'call') {
        if (!this.claimed.has(node.id)) this.onCall(node, scopes());
      } else if (capture.name === 'error') {
        this.errors.push({ node, scopes: scopes() });
      }
    }
    this.recoverFromErrors();
    return { models: this.assemble(), notices: hasErrors ? [SYNTAX_ERROR_NOTICE] : [] };
  }

  // ------------------------------------------------------------------ imports and names

  private readImport(node: Node): void {
    const sourceNode = node.childForFieldName('source');
    if (!sourceNode) return;
    const specifier = stringValue(sourceNode);
    if (specifier === undefined || !isTfjsModule(specifier)) return;
    const clause = namedChildrenOf(node).find((c) => c.type === 'import_clause');
    if (!clause) return;
    for (const part of namedChildrenOf(clause)) {
      if (part.type === 'identifier') this.aliases.set(part.text, ['tf']);
      else if (part.type === 'namespace_import') {
        const id = namedChildrenOf(part)[0];
        if (id) this.aliases.set(id.text, ['tf']);
      } else if (part.type === 'named_imports') {
        for (const spec of namedChildrenOf(part)) {
          const name = spec.childForFieldName('name');
          const alias = spec.childForFieldName('alias');
          if (name) this.aliases.set((alias ?? name).text, ['tf', name.text]);
        }
      }
    }
  }

  /** `const tf = require('@tensorflow/tfjs')` and `const { layers } = require(...)`. */
  private readRequire(node: Node): void {
    // A require call's text starts with `require`: the source says so without asking the tree (most calls are not).
    if (!this.source.startsWith('require', node.startIndex)) return;
    const fn = node.childForFieldName('function');
    if (!fn || fn.type !== 'identifier' || fn.text !== 'require') return;
    const arg = namedChildrenOf(node.childForFieldName('arguments') ?? node)[0];
    const specifier = arg ? stringValue(arg) : undefined;
    if (specifier === undefined || !isTfjsModule(specifier)) return;
    const declarator = unwrapUp(node);
    if (declarator?.type !== 'variable_declarator') return;
    const name = declarator.childForFieldName('name');
    if (!name) return;
    if (name.type === 'identifier') this.aliases.set(name.text, ['tf']);
    else if (name.type === 'object_pattern') {
      for (const p of namedChildrenOf(name)) {
        if (p.type === 'shorthand_property_identifier_pattern') this.aliases.set(p.text, ['tf', p.text]);
        else if (p.type === 'pair_pattern') {
          const key = p.childForFieldName('key');
          const value = p.childForFieldName('value');
          if (key && value?.type === 'identifier') this.aliases.set(value.text, ['tf', key.text]);
        }
      }
    }
  }

  private qualify(parts: string[]): string[] {
    const bound = this.aliases.get(parts[0]);
    if (bound) return [...bound, ...parts.slice(1)];
    if (parts[0] === 'tf' && this.aliases.size === 0) return parts; // a snippet without its import
    return parts;
  }

  private classify(parts: string[]): Callee {
    const q = this.qualify(parts);
    if (q[0] !== 'tf') return { kind: 'other' };
    if (q.length === 2) {
      if (q[1] === 'sequential') return { kind: 'sequential' };
      if (q[1] === 'model') return { kind: 'model' };
      if (q[1] === 'input') return { kind: 'layer', type: 'input' };
      return { kind: 'other' };
    }
    if (q.length === 3 && q[1] === 'layers' && isLower(q[2])) return { kind: 'layer', type: q[2] };
    return { kind: 'other' };
  }

  private classifyNode(fn: Node | null): Callee {
    const parts = fn ? this.partsOf(fn) : undefined;
    return parts ? this.classify(parts) : { kind: 'other' };
  }

  /** `a.b.c` → ['a', 'b', 'c'] for a callee, asked of the tree once (classifying and naming a layer both need it). */
  private partsOf(fn: Node, text?: string): string[] | undefined {
    if (this.parts.has(fn.id)) return this.parts.get(fn.id);
    const parts = dottedParts(fn, text);
    this.parts.set(fn.id, parts);
    return parts;
  }

  private readonly parts = new Map<number, string[] | undefined>();

  private scopeKey(scopes: ScopeChain): string {
    return scopes.length > 1 ? String(scopes[0].id) : 'module';
  }

  private bindingKey(scopes: ScopeChain, name: string): string {
    return `${this.scopeKey(scopes)}:${name}`;
  }

  /** The variable a call's value is stored in (`const x = <call> as T`, `x = <call>`), if any. */
  private assignedName(node: Node): string | undefined {
    const holder = unwrapUp(node);
    if (holder?.type === 'variable_declarator') {
      const name = holder.childForFieldName('name');
      return name?.type === 'identifier' ? name.text : undefined;
    }
    if (holder?.type === 'assignment_expression') {
      const left = holder.childForFieldName('left');
      return left && (left.type === 'identifier' || left.type === 'member_expression') ? left.text : undefined;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ calls

  private onCall(node: Node, scopes: ScopeChain): void {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const text = fn.text;
    const plain = plainDottedName(text);
    // Only `<something>.apply(...)` can apply a layer: a plain dotted callee ending otherwise needs no look inside.
    if ((!plain || plain[plain.length - 1] === 'apply') && fn.type === 'member_expression') {
      const property = fn.childForFieldName('property')?.text;
      const object = fn.childForFieldName('object');
      if (object && property === 'apply') {
        const inner = unwrap(object);
        const innerType = inner.type;
        if (innerType === 'call_expression' && this.onApply(node, inner, scopes)) return;
        if (innerType === 'identifier' && this.onApplyVariable(node, inner.text, scopes)) return;
      }
    }
    const parts = this.partsOf(fn, text);
    if (!parts) return;
    const callee = this.classify(parts);
    switch (callee.kind) {
      case 'sequential':
        this.onSequential(node, scopes);
        return;
      case 'model':
        this.onModel(node, scopes);
        return;
      case 'layer':
        this.onLayer(node, fn, callee.type, scopes);
        return;
      default:
        break;
    }
    if (parts.length === 2) this.onMethodCall(node, parts[0], parts[1], scopes);
  }

  private makeLayer(call: Node, fn: Node, type: string, scopes: ScopeChain, name?: string): LayerCall {
    const argsNode = call.childForFieldName('arguments');
    const { args, configNode } = argsNode ? this.values.callArguments(argsNode, scopes) : { args: [], configNode: undefined };
    const layer: LayerCall = { type, callee: this.partsOf(fn)?.join('.') ?? fn.text, args, range: rangeOf(call), argsRange: rangeOf(configNode ?? argsNode ?? call) };
    if ((argsNode && unfinishedRow(argsNode) !== undefined) || (configNode && unfinishedRow(configNode) !== undefined)) layer.unfinished = true;
    const nameArg = args.find((a) => a.name === 'name');
    const chosen = nameArg && nameArg.value.kind === 'string' ? nameArg.value.value : name;
    if (chosen !== undefined) layer.name = chosen;
    this.claimed.add(call.id);
    return layer;
  }

  private onLayer(node: Node, fn: Node, type: string, scopes: ScopeChain): void {
    const name = this.assignedName(node);
    const layer = this.makeLayer(node, fn, type, scopes, name);
    if (type === 'input') {
      const index = this.addGraphNode(layer, [], scopes, node.startIndex);
      if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'tensor', nodes: [index] });
      return;
    }
    if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'layer', layer, start: node.startIndex });
    this.looseLayers.push({ at: node.startIndex, layer, scopeKey: this.scopeKey(scopes), inError: node.parent?.type === 'ERROR' });
  }

  // ------------------------------------------------------------------ sequential

  private modelName(node: Node): string {
    return this.assignedName(node) ?? `model@${node.startPosition.row + 1}`;
  }

  private newBuilder(kind: ParsedModel['kind'], name: string, node: Node): ModelBuilder {
    const builder: ModelBuilder = { model: { framework: 'tfjs', name, kind, range: rangeOf(node), layers: [] }, start: node.startIndex };
    this.builders.push(builder);
    return builder;
  }

  private onSequential(node: Node, scopes: ScopeChain): void {
    const builder = this.newBuilder('sequential', this.modelName(node), node);
    this.claimed.add(node.id);
    const config = configObject(node);
    const layersNode = config ? property(config, 'layers') : undefined;
    if (layersNode) {
      const list = unwrap(layersNode);
      for (const element of list.type === 'array' ? namedChildrenOf(list) : [list]) this.addElement(builder, element, scopes);
    }
    const name = this.assignedName(node);
    if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'model', builder });
  }

  private addElement(builder: ModelBuilder, element: Node, scopes: ScopeChain): void {
    const el = unwrap(element);
    if (el.type === 'call_expression') {
      const fn = el.childForFieldName('function');
      const callee = this.classifyNode(fn);
      if (callee.kind === 'layer' && fn) builder.model.layers.push(this.makeLayer(el, fn, callee.type, scopes));
    } else if (el.type === 'identifier') {
      const binding = this.bindings.get(this.bindingKey(scopes, el.text)) ?? this.bindings.get(`module:${el.text}`);
      if (binding?.kind === 'layer') {
        builder.model.layers.push(binding.layer);
        this.placed.add(binding.layer);
      }
    }
  }

  private onMethodCall(node: Node, object: string, method: string, scopes: ScopeChain): void {
    if (method !== 'add') return;
    const binding = this.bindings.get(this.bindingKey(scopes, object)) ?? this.bindings.get(`module:${object}`);
    if (binding?.kind !== 'model' || binding.builder.model.kind !== 'sequential') return;
    const arg = namedChildrenOf(node.childForFieldName('arguments') ?? node)[0];
    if (arg) this.addElement(binding.builder, arg, scopes);
  }

  // ------------------------------------------------------------------ functional

  private addGraphNode(layer: LayerCall, inbound: number[], scopes: ScopeChain, start: number): number {
    this.graph.push({ layer, inbound, scopeKey: this.scopeKey(scopes), start, used: false });
    return this.graph.length - 1;
  }

  private tensorsIn(node: Node, scopes: ScopeChain): number[] {
    const out: number[] = [];
    const visit = (n: Node, depth: number) => {
      if (depth > 4) return;
      const u = unwrap(n);
      const type = u.type; // read once: every read is a call into WASM
      if (type === 'identifier' || type === 'shorthand_property_identifier') {
        const b = this.bindings.get(this.bindingKey(scopes, u.text)) ?? this.bindings.get(`module:${u.text}`);
        if (b?.kind === 'tensor') for (const i of b.nodes) if (!out.includes(i)) out.push(i);
      } else if (type === 'array' || type === 'arguments') {
        for (const c of namedChildrenOf(u)) visit(c, depth + 1);
      }
    };
    visit(node, 0);
    return out;
  }

  /** `tf.layers.dense({...}).apply(x)`; false when the object is not a layer constructor. */
  private onApply(node: Node, inner: Node, scopes: ScopeChain): boolean {
    const fn = inner.childForFieldName('function');
    const callee = this.classifyNode(fn);
    if (callee.kind !== 'layer' || !fn) return false;
    const name = this.assignedName(node);
    const args = node.childForFieldName('arguments');
    const inbound = args ? this.tensorsIn(args, scopes) : [];
    const layer = this.makeLayer(inner, fn, callee.type, scopes, name);
    this.claimed.add(node.id);
    const index = this.addGraphNode(layer, inbound, scopes, inner.startIndex);
    if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'tensor', nodes: [index] });
    return true;
  }

  /** `dense1.apply(x)` where `const dense1 = tf.layers.dense({...})`. */
  private onApplyVariable(node: Node, variable: string, scopes: ScopeChain): boolean {
    const binding = this.bindings.get(this.bindingKey(scopes, variable)) ?? this.bindings.get(`module:${variable}`);
    if (binding?.kind !== 'layer') return false;
    const args = node.childForFieldName('arguments');
    const inbound = args ? this.tensorsIn(args, scopes) : [];
    let index = binding.graphNode;
    if (index === undefined) {
      index = this.addGraphNode(binding.layer, inbound, scopes, binding.start);
      binding.graphNode = index;
      this.placed.add(binding.layer);
    }
    const name = this.assignedName(node);
    if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'tensor', nodes: [index] });
    return true;
  }

  private onModel(node: Node, scopes: ScopeChain): void {
    const config = configObject(node);
    const outputsNode = config ? property(config, 'outputs') : undefined;
    if (!outputsNode) return;
    const outputs = this.tensorsIn(outputsNode, scopes);
    if (outputs.length === 0) return;
    const builder = this.newBuilder('functional', this.modelName(node), node);
    this.claimed.add(node.id);
    builder.model.layers.push(...gatherModelLayers(this.graph, outputs));
    const name = this.assignedName(node);
    if (name) this.bindings.set(this.bindingKey(scopes, name), { kind: 'model', builder });
  }

  // ------------------------------------------------------------------ broken code

  /** As in the Python reader: `tf.sequential(` followed by layer calls inside an error region. */
  private recoverFromErrors(): void {
    for (const { node } of this.errors) {
      let builder: ModelBuilder | undefined;
      if (node.childCount > 20_000) continue; // a giant garbled region: not scanned token by token
      const children = node.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (!child) continue;
        const parts = child.type === 'member_expression' || child.type === 'identifier' ? dottedParts(child) : undefined;
        if (parts && this.classify(parts).kind === 'sequential') {
          const nameNode = children[i - 1]?.type === '=' ? children[i - 2] : undefined;
          builder = this.newBuilder('sequential', nameNode?.type === 'identifier' ? nameNode.text : `model@${child.startPosition.row + 1}`, child);
          continue;
        }
        if (!builder) continue;
        for (const call of layerCallsWithin(child)) {
          const loose = this.looseLayers.findIndex((l) => l.at === call.startIndex);
          if (loose < 0) continue;
          const [taken] = this.looseLayers.splice(loose, 1);
          builder.model.layers.push(taken.layer);
        }
      }
    }
  }

  // ------------------------------------------------------------------ result

  private assemble(): ParsedModel[] {
    const out: { start: number; model: ParsedModel }[] = [];
    for (const builder of this.builders) {
      if (builder.model.layers.length) out.push({ start: builder.start, model: builder.model });
    }
    out.push(...looseGraphModels(this.graph, 'tfjs'));
    const groups = new Map<string, typeof this.looseLayers>();
    for (const l of this.looseLayers) {
      if (this.placed.has(l.layer) || this.builders.some((b) => b.model.layers.includes(l.layer))) continue;
      const key = `${l.scopeKey}|${l.inError}`;
      const list = groups.get(key) ?? [];
      list.push(l);
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      const first = list[0];
      out.push({
        start: first.at,
        model: {
          framework: 'tfjs',
          name: `layers@${first.layer.range.start.line + 1}`,
          kind: first.inError ? 'sequential' : 'functional',
          range: first.layer.range,
          layers: list.map((l) => (first.inError ? l.layer : { ...l.layer, inbound: [] })),
        },
      });
    }
    out.sort((a, b) => a.start - b.start);
    return out.map((o) => o.model);
  }
}

// -------------------------------------------------------------------- helpers

function isLower(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 97 && c <= 122;
}

function unwrap(node: Node): Node {
  let current = node;
  for (let steps = 0; steps < MAX_NESTING; steps++) {
    const type = current.type; // read once: every read is a call into WASM
    if (!TRANSPARENT.has(type)) break;
    const inner = type === 'type_assertion' ? namedChildrenOf(current)[1] : namedChildrenOf(current)[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The node that holds a value, looking through casts: a declarator, an assignment, or whatever else. */
function unwrapUp(node: Node): Node | undefined {
  let current: Node = node;
  for (let steps = 0; steps < 16; steps++) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (!TRANSPARENT.has(parent.type)) return parent;
    current = parent;
  }
  return undefined;
}

/** `text`: the node's text when the caller has it (each read is a call into WASM). */
function dottedParts(node: Node, text = node.text): string[] | undefined {
  const quick = plainDottedName(text);
  if (quick) return quick;
  const parts: string[] = [];
  let current: Node | null = node;
  for (let steps = 0; current && steps < 32; steps++) {
    const type = current.type;
    if (type === 'identifier') {
      parts.push(current.text);
      return parts.reverse();
    }
    if (type !== 'member_expression') return undefined;
    const prop = current.childForFieldName('property');
    if (!prop) return undefined;
    parts.push(prop.text);
    current = current.childForFieldName('object');
  }
  return undefined;
}

function stringValue(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  return namedChildrenOf(node).filter((c) => c.type === 'string_fragment').map((c) => c.text).join('');
}

function configObject(call: Node): Node | undefined {
  const first = namedChildrenOf(call.childForFieldName('arguments') ?? call)[0];
  const u = first ? unwrap(first) : undefined;
  return u?.type === 'object' ? u : undefined;
}

function property(object: Node, key: string): Node | undefined {
  for (const p of namedChildrenOf(object)) {
    if (p.type === 'pair' && p.childForFieldName('key')?.text === key) return p.childForFieldName('value') ?? undefined;
    if (p.type === 'shorthand_property_identifier' && p.text === key) return p;
  }
  return undefined;
}

/** Call expressions inside a node, in source order, bounded (for error recovery only). */
function layerCallsWithin(node: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [node];
  let budget = 5000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    if (n.type === 'call_expression') out.push(n);
    const children = namedChildrenOf(n);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}
