/**
 * Reads Keras `model.to_json()` and TF.js `model.json` (with `modelTopology`, or the bare topology), Sequential
 * and functional, into the same IR the code readers produce, so the rest of the engine is shared.
 * jsonc-parser (VS Code's JSON reader) keeps each node's offset, which gives each layer's line.
 */
import { type Node as JsonNode, type ParseError, findNodeAtLocation, parseTree } from 'jsonc-parser/lib/esm/main.js';
import type { Argument, Framework, LayerCall, ParseResult, ParsedModel, Position, Range, Value } from '../ir';

/** Offsets → 0-based line/column (UTF-16, as JS strings count) through a table of line starts. */
class LineTable {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - this.starts[low] };
  }

  range(node: JsonNode): Range {
    return { start: this.position(node.offset), end: this.position(node.offset + node.length) };
  }
}

/** A JSON node as an IR value: null → none, arrays → list, objects → object. */
function toValue(node: JsonNode): Value {
  switch (node.type) {
    case 'null': return { kind: 'none' };
    // 1e400 parses to Infinity: no size a layer can have, so it stays unresolved.
    case 'number': return Number.isFinite(node.value) ? { kind: 'number', value: node.value as number } : { kind: 'symbolic', text: String(node.value) };
    case 'string': return { kind: 'string', value: node.value as string };
    case 'boolean': return { kind: 'bool', value: node.value as boolean };
    case 'array': return { kind: 'list', items: (node.children ?? []).map(toValue) };
    case 'object': {
      const entries: Record<string, Value> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) entries[key.value as string] = toValue(value);
      }
      return { kind: 'object', entries };
    }
    default: return { kind: 'symbolic', text: '' };
  }
}

function property(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  return findNodeAtLocation(node, [key]);
}

function stringProperty(node: JsonNode | undefined, key: string): string | undefined {
  const value = property(node, key);
  return value?.type === 'string' ? (value.value as string) : undefined;
}

/** The config object's entries as named arguments, each with its range. */
function configArguments(config: JsonNode | undefined, lines: LineTable): Argument[] {
  if (config?.type !== 'object') return [];
  const args: Argument[] = [];
  for (const prop of config.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key && value) args.push({ name: key.value as string, value: toValue(value), range: lines.range(prop), valueRange: lines.range(value) });
  }
  return args;
}

/** Names of the layers a functional layer is applied to: Keras 2 `[[["name", 0, 0, {}], …]]`, Keras 3 `[{args: [keras tensors]}]`. */
function inboundNames(inboundNodes: JsonNode | undefined): string[] {
  const first = inboundNodes?.children?.[0];
  if (!first) return [];
  const names: string[] = [];
  if (first.type === 'array') {
    for (const entry of first.children ?? []) {
      const name = entry.children?.[0];
      if (name?.type === 'string') names.push(name.value as string);
    }
    return names;
  }
  const visit = (node: JsonNode | undefined, depth: number): void => {
    if (!node || depth > 16) return;
    if (node.type === 'object' && stringProperty(node, 'class_name') === '__keras_tensor__') {
      const history = property(property(node, 'config'), 'keras_history');
      const name = history?.children?.[0];
      if (name?.type === 'string') names.push(name.value as string);
      return;
    }
    if (node.type === 'array') for (const child of node.children ?? []) visit(child, depth + 1);
    if (node.type === 'object') for (const prop of node.children ?? []) visit(prop.children?.[1], depth + 1);
  };
  visit(property(first, 'args'), 0);
  return names;
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** The topology object: `modelTopology.model_config` (converted Keras), `modelTopology`, or the root itself. */
function findTopology(root: JsonNode): { topology: JsonNode | undefined; framework: Framework } {
  const modelTopology = property(root, 'modelTopology');
  if (modelTopology) {
    const inner = property(modelTopology, 'model_config');
    return { topology: inner ?? modelTopology, framework: 'tfjs' };
  }
  return { topology: root, framework: 'keras' };
}

function readModel(topology: JsonNode, framework: Framework, lines: LineTable, notices: string[]): ParsedModel | undefined {
  const className = stringProperty(topology, 'class_name');
  if (!className || !MODEL_CLASSES.has(className)) return undefined;
  const config = property(topology, 'config');
  // Old Keras Sequential topologies store the layer list as the config itself.
  const layerList = config?.type === 'array' ? config : property(config, 'layers');
  const functional = className !== 'Sequential';
  const layerNodes = layerList?.children ?? [];
  const indexByName = new Map<string, number>();
  const layers: LayerCall[] = [];
  for (const node of layerNodes) {
    const type = stringProperty(node, 'class_name') ?? 'Unknown';
    const layerConfig = property(node, 'config');
    const name = stringProperty(layerConfig, 'name') ?? stringProperty(node, 'name');
    if (MODEL_CLASSES.has(type)) notices.push(`Nested model ${name ?? type} at line ${lines.position(node.offset).line + 1} is not analysed inside.`);
    const range = lines.range(node);
    const layer: LayerCall = {
      type,
      callee: type,
      args: configArguments(layerConfig, lines),
      range,
      argsRange: layerConfig ? lines.range(layerConfig) : range,
    };
    if (name !== undefined) layer.name = name;
    if (functional) {
      layer.inbound = inboundNames(property(node, 'inbound_nodes')).map((n) => indexByName.get(n) ?? -1);
    }
    if (name !== undefined) indexByName.set(name, layers.length);
    layers.push(layer);
  }
  const buildShape = property(config, 'build_input_shape');
  const model: ParsedModel = {
    framework,
    name: stringProperty(config, 'name') ?? className.toLowerCase(),
    kind: functional ? 'functional' : 'sequential',
    range: lines.range(topology),
    layers,
  };
  if (buildShape && buildShape.type === 'array') model.inputShape = toValue(buildShape);
  return model;
}

/** Reads a JSON text; a file that is not a model topology gives no models and a notice, never an exception. */
export function parseJsonModel(text: string): ParseResult {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const notices: string[] = [];
  if (errors.length) notices.push(`The JSON has ${errors.length} syntax error(s); read as far as possible.`);
  if (!root) return { models: [], notices: notices.length ? notices : ['Not a JSON document.'] };
  const lines = new LineTable(text);
  const { topology, framework } = findTopology(root);
  const model = topology ? readModel(topology, framework, lines, notices) : undefined;
  if (!model) notices.push('No Keras or TF.js model topology (class_name Sequential/Functional/Model) in this JSON.');
  return { models: model ? [model] : [], notices };
}
