/**
 * ParsedModel → ModelReport: runs the layers in order, feeding each the output shapes of its inbound layers,
 * then turns every weight into fans, scales and the initializer in use. One pass over the layers.
 */
import type { Argument, Framework, InitCall, LayerCall, ParsedModel, Range } from './ir';
import type { LayerReport, ModelReport, Shape, WeightReport } from './types';
import { type SDim, type SShape, dimText, isKnown, productDims } from './dims';
import {
  type Fans, type NamedInitializer, computeFans, defaultInitializer, glorotNormalActualStd, glorotNormalStd,
  glorotUniformLimit, heNormalStd, initializerInUse, lecunNormalStd, withUnitForgetBias,
} from './initializers';
import { readKerasFamilyInitializer, readTorchInitCall } from './initializerValues';
import { type LayerAnalysis, type WeightDef, analyzeLayer, declaredInputShape, startsGraph, typeKey } from './layers/index';
import { ArgReader, dimsOf, stringOf } from './values';

/** Layers an activation layer may look through to find the layer whose output it activates. */
const TRANSPARENT_KINDS = new Set(['dropout', 'batch_norm', 'layer_norm', 'group_norm', 'instance_norm', 'local_response_norm']);
/** Layers whose `activation` an activation layer right after them describes. */
const ACTIVATED_KINDS = new Set(['dense', 'conv', 'conv_transpose', 'depthwise_conv', 'separable_conv', 'rnn']);

/** A shape for the report: numbers stay, symbols become null (their text goes to `symbolic`). */
function reportShape(shape: SShape): Shape | null {
  return shape ? shape.map((d) => (isKnown(d) ? d : null)) : null;
}

/** `(None, hidden, 128)`: the text of a shape that has symbols in it, or undefined when it has none. */
function symbolicShape(shape: SShape): string | undefined {
  if (!shape || !shape.some((d) => typeof d === 'string')) return undefined;
  return `(${shape.map((d) => (d === null ? 'None' : dimText(d))).join(', ')})`;
}

/** Keras' auto-naming: snake_case of the class name, `_1`, `_2`… for repeats (`Conv2D` → `conv2d`, `SimpleRNN` → `simple_rnn`). */
export function kerasSnakeName(type: string): string {
  let out = '';
  for (let i = 0; i < type.length; i++) {
    const ch = type[i];
    const prev = type[i - 1];
    const next = type[i + 1];
    const isUpper = ch >= 'A' && ch <= 'Z';
    const prevLower = prev !== undefined && prev >= 'a' && prev <= 'z';
    const nextLower = next !== undefined && next >= 'a' && next <= 'z';
    if (isUpper && i > 0 && (prevLower || nextLower)) out += '_';
    out += ch.toLowerCase();
  }
  return out;
}

/** The inbound shapes of layer `index`: its functional inbound layers', else the previous layer's, else the model's input. */
function inboundShapes(model: ParsedModel, layer: LayerCall, index: number, outputs: SShape[], modelInput: SShape): SShape[] {
  if (startsGraph(model.framework, layer.type)) return [];
  if (model.framework === 'pytorch' && model.kind === 'module') return [];
  if (layer.inbound) return layer.inbound.map((j) => (j >= 0 && j < index ? outputs[j] : null));
  return [index === 0 ? modelInput : outputs[index - 1]];
}

/** The model-level input shape (`model.build(input_shape=…)`, batch included). */
function modelInputShape(model: ParsedModel): SShape {
  return dimsOf(model.inputShape) ?? null;
}

/** Whether `self.<targetLayer>.<param>` is this weight: also when the weight's own name is dotted (`mha.out_proj` + `weight`). */
function targetsWeight(call: InitCall, layer: LayerCall, weight: WeightDef): boolean {
  if (call.param === '*') return call.targetLayer === undefined || call.targetLayer === layer.name;
  if (call.targetLayer === undefined) return call.param === weight.name;
  return `${call.targetLayer}.${call.param}` === `${layer.name}.${weight.name}`;
}

/**
 * A weight that belongs to a module inside the layer, as self.modules() / apply() visit it: MultiheadAttention's
 * out_proj is a Linear (class NonDynamicallyQuantizableLinear), so `isinstance(m, nn.Linear)` reaches
 * `out_proj.weight` as that Linear's `weight`.
 */
function innerModule(layer: LayerCall, weight: WeightDef): { type: string; className: string; param: string } | undefined {
  if (typeKey(layer.type) === typeKey('MultiheadAttention') && weight.name.startsWith('out_proj.')) {
    return { type: 'Linear', className: 'NonDynamicallyQuantizableLinear', param: weight.name.slice('out_proj.'.length) };
  }
  return undefined;
}

/** PyTorch init calls that set `weight` of `layer`, the last one written winning. */
function torchInitFor(initCalls: readonly InitCall[], layer: LayerCall, weight: WeightDef): InitCall | undefined {
  let found: InitCall | undefined;
  const inner = innerModule(layer, weight);
  for (const call of initCalls) {
    if (call.scope !== undefined && !(layer.name ?? '').startsWith(`${call.scope}.`)) continue;
    const byType = call.targetType !== undefined || call.targetTypeContains !== undefined;
    // A by-type call on an attention layer reaches its inner Linear only (in_proj_weight is the layer's own).
    const type = byType && inner ? inner.type : layer.type;
    const className = byType && inner ? inner.className : layer.type;
    if (byType && inner ? call.param !== inner.param : !targetsWeight(call, layer, weight)) continue;
    if (call.targetType !== undefined && typeKey(call.targetType.slice(call.targetType.lastIndexOf('.') + 1)) !== typeKey(type)) continue;
    if (call.targetTypeContains !== undefined && !className.includes(call.targetTypeContains)) continue;
    found = call;
  }
  return found;
}

interface ChosenInitializer {
  named: NamedInitializer;
  source: 'explicit' | 'default';
  range?: Range;
}

function chooseInitializer(model: ParsedModel, layer: LayerCall, args: ArgReader, analysis: LayerAnalysis, weight: WeightDef): ChosenInitializer {
  if (model.framework === 'pytorch') {
    const call = torchInitFor(model.initCalls ?? [], layer, weight);
    if (call) return { named: readTorchInitCall(call), source: 'explicit' };
    return { named: weight.init ?? defaultInitializer('pytorch', weight.role, analysis.kind, analysis.hiddenSize ?? null), source: 'default' };
  }
  const argument: Argument | undefined = weight.initializerArg ? args.argument(weight.initializerArg) : undefined;
  const explicit = readKerasFamilyInitializer(argument?.value, model.framework);
  // LSTM's unit_forget_bias (Keras default True, TF.js default false) overwrites the forget gate's bias with ones.
  const forgetGate = weight.role === 'bias' && analysis.config.unitForgetBias === true;
  if (explicit && argument) return { named: forgetGate ? withUnitForgetBias(explicit) : explicit, source: 'explicit', range: argument.valueRange };
  const fallback = defaultInitializer(model.framework, weight.role, analysis.kind);
  return { named: forgetGate ? withUnitForgetBias(fallback) : fallback, source: 'default' };
}

/** Text for a fan that is not a number: its symbolic expression, or why it is unknown. */
function fanSymbol(fan: SDim, fans: Fans, reason: string): string | undefined {
  if (isKnown(fan)) return undefined;
  if (typeof fan === 'string') return fan;
  return fans.undefinedReason ?? reason;
}

function weightReport(framework: Framework, weight: WeightDef, fans: Fans, initFans: Fans, chosen: ChosenInitializer, unknownReason: string): WeightReport {
  const { fanIn, fanOut } = fans;
  const known = isKnown(fanIn) && isKnown(fanOut) && fanIn + fanOut > 0;
  const fanInKnown = isKnown(fanIn) && fanIn > 0;
  const symbolic: WeightReport['symbolic'] = {};
  const shapeText = symbolicShape(weight.shape);
  if (shapeText || weight.shape.some((d) => d === null)) symbolic.shape = shapeText ?? `(${weight.shape.map(dimText).join(', ')})`;
  const fanInText = fanSymbol(fanIn, fans, unknownReason);
  const fanOutText = fanSymbol(fanOut, fans, unknownReason);
  if (fanInText) symbolic.fanIn = fanInText;
  if (fanOutText) symbolic.fanOut = fanOutText;
  const report: WeightReport = {
    name: weight.name,
    shape: weight.shape.map((d) => (isKnown(d) ? d : null)),
    fanIn: isKnown(fanIn) ? fanIn : null,
    fanOut: isKnown(fanOut) ? fanOut : null,
    initializer: chosen.named.name,
    initializerSource: chosen.source,
    inUse: initializerInUse(chosen.named.spec, { framework, shape: weight.shape, fans: initFans }),
    xavierUniformLimit: known ? glorotUniformLimit(fanIn, fanOut) : null,
    xavierNormalStd: known ? glorotNormalStd(fanIn, fanOut) : null,
    xavierNormalActualStd: known ? glorotNormalActualStd(fanIn, fanOut, framework) : null,
    heNormalStd: fanInKnown ? heNormalStd(fanIn) : null,
    lecunNormalStd: fanInKnown ? lecunNormalStd(fanIn) : null,
  };
  if (Object.keys(symbolic).length) report.symbolic = symbolic;
  if (chosen.range) report.initializerRange = chosen.range;
  return report;
}

/** Parameter count: Σ ∏ shape over the weights (Keras counts its moving statistics too, as count_params does). */
function parameterCount(weights: readonly WeightDef[]): SDim {
  let total: SDim = 0;
  for (const w of weights) {
    const size = productDims(w.shape);
    total = isKnown(total) && isKnown(size) ? total + size : typeof size === 'string' && total === 0 ? size : null;
  }
  return total;
}

/** The layer an activation layer at `index` applies to, looking through dropout and normalization layers. */
function activatedLayer(model: ParsedModel, analyses: readonly LayerAnalysis[], index: number): number | undefined {
  let at = index;
  for (let hops = 0; hops < 8; hops++) {
    const layer = model.layers[at];
    const previous = layer.inbound ? (layer.inbound.length === 1 ? layer.inbound[0] : undefined) : at - 1;
    if (previous === undefined || previous < 0 || previous >= at) return undefined;
    const kind = analyses[previous].kind;
    if (ACTIVATED_KINDS.has(kind)) return previous;
    if (!TRANSPARENT_KINDS.has(kind)) return undefined;
    at = previous;
  }
  return undefined;
}

/** Why a half-typed layer's sizes are unknown (see LayerCall.unfinished). */
export const UNFINISHED_NOTE = 'the call is not finished (no closing bracket): only the arguments on its first line are read';

function layerName(model: ParsedModel, layer: LayerCall, args: ArgReader, index: number, counters: Map<string, number>): string {
  if (model.framework === 'pytorch') return layer.name ?? String(index);
  const written = stringOf(args.value('name'));
  if (written) return written;
  const base = kerasSnakeName(layer.type.slice(0, 1).toUpperCase() + layer.type.slice(1));
  const seen = counters.get(base) ?? 0;
  counters.set(base, seen + 1);
  return seen === 0 ? base : `${base}_${seen}`;
}

/** The report of one model: every layer with shapes, weights, fans, scales and initializers, and the total count. */
export function reportModel(model: ParsedModel): ModelReport {
  const outputs: SShape[] = [];
  const analyses: LayerAnalysis[] = [];
  const readers: ArgReader[] = [];
  const modelInput = modelInputShape(model);
  for (let i = 0; i < model.layers.length; i++) {
    const layer = model.layers[i];
    // With no signature, positional arguments are not looked up: only the keyword ones are read by name.
    const named = new ArgReader(layer.args, []);
    let inputs = inboundShapes(model, layer, i, outputs, modelInput);
    // A declared input shape (input_shape=, batch_input_shape) counts where nothing flows in: the first layer of a
    // Sequential (Keras ignores it further on) or a functional layer without inbound layers.
    const fedByGraph = layer.inbound ? layer.inbound.length > 0 : i > 0 && outputs[i - 1] !== null;
    if (model.framework !== 'pytorch' && !startsGraph(model.framework, layer.type) && !fedByGraph) {
      const declared = declaredInputShape(named);
      if (declared) inputs = [declared];
    }
    const analysis = analyzeLayer({ framework: model.framework, type: layer.type, args: layer.args, inputs });
    // First, so that it is the reason given for every unknown of this layer.
    if (layer.unfinished) analysis.notes.unshift(UNFINISHED_NOTE);
    analyses.push(analysis);
    readers.push(named);
    outputs.push(analysis.outputShape);
  }

  // An activation layer (Activation('relu'), nn.ReLU()) names the activation of the layer it follows.
  const activations = analyses.map((a) => a.activation);
  for (let i = 0; i < analyses.length; i++) {
    if (analyses[i].kind !== 'activation') continue;
    const target = activatedLayer(model, analyses, i);
    if (target !== undefined && activations[target] === null) activations[target] = analyses[i].activation;
  }

  const counters = new Map<string, number>();
  const layers: LayerReport[] = [];
  let total: number | null = 0;
  for (let i = 0; i < model.layers.length; i++) {
    const layer = model.layers[i];
    const analysis = analyses[i];
    const args = readers[i];
    const unknownReason = analysis.notes[0] ?? 'unknown';
    const fansByName = new Map<string, Fans>();
    const weights = analysis.weights.map((w) => {
      const fans = computeFans(w.shape, model.framework);
      fansByName.set(w.name, fans);
      const initFans = w.fansOf ? fansByName.get(w.fansOf) ?? fans : fans;
      return weightReport(model.framework, w, fans, initFans, chooseInitializer(model, layer, args, analysis, w), unknownReason);
    });
    const params = parameterCount(analysis.weights);
    // Each count may be finite and their sum not (1e308-wide layers): a sum past float range is no count.
    total = total !== null && isKnown(params) && isKnown(total + params) ? total + params : null;
    const report: LayerReport = {
      line: layer.range.start.line + 1,
      name: layerName(model, layer, args, i, counters),
      type: layer.type,
      kind: analysis.kind,
      inputShape: reportShape(analysis.inputShape),
      outputShape: reportShape(analysis.outputShape),
      params: isKnown(params) ? params : null,
      activation: activations[i],
      weights,
      config: analysis.config,
      range: layer.range,
      argsRange: layer.argsRange,
    };
    const symbolic: LayerReport['symbolic'] = {};
    const inText = symbolicShape(analysis.inputShape);
    const outText = symbolicShape(analysis.outputShape);
    if (inText) symbolic.inputShape = inText;
    if (outText) symbolic.outputShape = outText;
    if (!isKnown(params)) symbolic.params = typeof params === 'string' ? params : 'unknown';
    if (Object.keys(symbolic).length) report.symbolic = symbolic;
    if (analysis.notes.length) report.notes = analysis.notes;
    layers.push(report);
  }

  const report: ModelReport = {
    name: model.name,
    framework: model.framework,
    kind: model.kind,
    line: model.range.start.line + 1,
    range: model.range,
    layers,
    totalParams: total,
  };
  if (model.initInsertion) report.initInsertion = model.initInsertion;
  if (model.forward) report.forward = model.forward;
  return report;
}
