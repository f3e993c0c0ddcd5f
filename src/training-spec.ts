/**
 * Model specs the training comparison can build in TF.js: the two presets, and the converter from the
 * engine's ModelReport (the user's own model) to a ModelSpec. Pure TypeScript, shared by the panel (host
 * side) and `xavier-lens compare --model FILE`.
 */
import type { ForwardOp, LayerReport, ModelReport } from './analysis/types';
import type { ActivationChoice, ModelSpec, OptimizerChoice, TrainableLayerSpec } from './protocol';

/** The seed demo: Keras MLP Flatten(28×28) → Dense(128, relu) → Dense(64, relu) → Dense(10, softmax). */
export const SEED_MODEL: ModelSpec = {
  id: 'seed',
  label: 'Seed MLP 784-128-64-10 (relu)',
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 128, activation: 'relu' },
    { type: 'dense', units: 64, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

/** Glorot & Bengio (2010): five hidden layers of 256 tanh units, trained with plain SGD. */
export const DEEP_TANH_MODEL: ModelSpec = {
  id: 'deep-tanh',
  label: 'Deep tanh 784-256×5-10 (Glorot & Bengio 2010)',
  layers: [
    { type: 'flatten' },
    ...Array.from({ length: 5 }, (): TrainableLayerSpec => ({ type: 'dense', units: 256, activation: 'tanh' })),
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

export const MODEL_PRESETS = { seed: SEED_MODEL, 'deep-tanh': DEEP_TANH_MODEL } as const;

/** The recipe each preset is meant to be trained with (the panel's defaults when a preset is picked). */
export const PRESET_DEFAULTS: Record<keyof typeof MODEL_PRESETS, { optimizer: OptimizerChoice; learningRate: number; batchSize: number; epochs: number; activation: ActivationChoice }> = {
  seed: { optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 10, activation: 'model' },
  'deep-tanh': { optimizer: 'sgd', learningRate: 0.1, batchSize: 32, epochs: 5, activation: 'model' },
};

/** Activations the training code can apply (by their Keras/TF.js names). */
export const SUPPORTED_ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu', 'softplus', 'relu6'] as const;

/** Framework spellings of activations (PyTorch modules, functional names) mapped onto the TF.js names. */
const ACTIVATION_ALIASES: Record<string, string> = {
  relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', softmax: 'softmax', linear: 'linear', none: 'linear',
  elu: 'elu', selu: 'selu', softplus: 'softplus', relu6: 'relu6', logsoftmax: 'softmax', log_softmax: 'softmax',
};

/** Layer types that only apply an activation: folded into the previous layer by the engine (LayerReport.activation). */
const ACTIVATION_LAYER_TYPES = new Set(['activation', 'relu', 'tanh', 'sigmoid', 'softmax', 'logsoftmax', 'elu', 'selu', 'softplus', 'relu6']);
const SKIPPED_LAYER_TYPES = new Set(['inputlayer', 'input']);

export type ModelSpecResult = { spec: ModelSpec } | { error: string };

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function pair(v: unknown): number | [number, number] | undefined {
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0], v[1]];
  return undefined;
}

function firstNumber(config: Record<string, unknown>, keys: string[]): number | undefined {
  for (const k of keys) {
    const v = num(config[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Keras/TF.js name their padding; PyTorch gives numbers: 0 is 'valid', and (k−1)/2 on each side with stride 1
 * keeps the size, i.e. 'same'. Anything else has no TF.js equivalent.
 */
function convPadding(padding: unknown, kernelSize: number | [number, number], strides: number | [number, number]): 'valid' | 'same' | undefined {
  if (padding === undefined || padding === 'valid') return 'valid';
  if (padding === 'same') return 'same';
  const p = pair(padding);
  if (p === undefined) return undefined;
  const [ph, pw] = typeof p === 'number' ? [p, p] : p;
  const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  if (ph === 0 && pw === 0) return 'valid';
  if (sh === 1 && sw === 1 && kh % 2 === 1 && kw % 2 === 1 && ph === (kh - 1) / 2 && pw === (kw - 1) / 2) return 'same';
  return undefined;
}

function normaliseActivation(layer: LayerReport): string | { error: string } {
  if (!layer.activation) return 'linear';
  const key = layer.activation.replace(/^(nn\.|F\.|torch\.)/, '').toLowerCase();
  const known = ACTIVATION_ALIASES[key];
  return known ?? { error: `layer ${layer.name} (line ${layer.line}): activation '${layer.activation}' cannot be built in the training panel` };
}

function where(layer: LayerReport): string {
  return `layer ${layer.name} (${layer.type}, line ${layer.line})`;
}

/** What errors during training call the layer: its name, constructor and line in the user's file. */
function sourceOf(layer: LayerReport): string {
  return `${layer.name}: ${layer.type}, line ${layer.line}`;
}

/** One engine layer → one trainable layer, or the reason it cannot be built. null: nothing to build (input/activation layers). */
function convertLayer(layer: LayerReport): TrainableLayerSpec | null | { error: string } {
  const type = layer.type.replace(/^(tf\.layers\.|layers\.|nn\.)/, '').toLowerCase();
  const config = layer.config ?? {};
  if (SKIPPED_LAYER_TYPES.has(type) || ACTIVATION_LAYER_TYPES.has(type)) return null;
  const activation = normaliseActivation(layer);
  if (typeof activation !== 'string') return activation;
  const outLast = layer.outputShape?.[layer.outputShape.length - 1] ?? undefined;
  switch (type) {
    case 'flatten':
      return { type: 'flatten' };
    case 'dense':
    case 'linear': {
      const units = firstNumber(config, ['units', 'outFeatures', 'out_features']) ?? num(outLast);
      if (!units) return { error: `${where(layer)}: its number of units is unknown` };
      return { type: 'dense', units, activation };
    }
    case 'conv2d': {
      const filters = firstNumber(config, ['filters', 'outChannels', 'out_channels']);
      const kernelSize = pair(config.kernelSize ?? config.kernel_size);
      if (!filters || kernelSize === undefined) return { error: `${where(layer)}: filters or kernel size unknown` };
      const strides = pair(config.strides ?? config.stride) ?? 1;
      const padding = convPadding(config.padding, kernelSize, strides);
      if (!padding) return { error: `${where(layer)}: padding ${JSON.stringify(config.padding)} is neither none ('valid') nor the size-keeping (k−1)/2 ('same')` };
      return { type: 'conv2d', filters, kernelSize, strides, padding, activation };
    }
    case 'maxpooling2d':
    case 'maxpool2d':
    case 'averagepooling2d':
    case 'avgpool2d': {
      const poolSize = pair(config.poolSize ?? config.pool_size ?? config.kernelSize ?? config.kernel_size) ?? 2;
      const strides = pair(config.strides ?? config.stride) ?? poolSize;
      return { type: type.startsWith('max') ? 'maxPooling2d' : 'averagePooling2d', poolSize, strides, padding: config.padding === 'same' ? 'same' : 'valid' };
    }
    case 'dropout': {
      const rate = firstNumber(config, ['rate', 'p']) ?? 0.5;
      return { type: 'dropout', rate };
    }
    default:
      return { error: `${where(layer)}: the training panel cannot build ${layer.type} layers (supported: Dense/Linear, Conv2D, pooling, Flatten, Dropout)` };
  }
}

function product(shape: (number | null)[]): number | null {
  return shape.every((d) => d !== null) ? shape.reduce<number>((a, d) => a * (d as number), 1) : null;
}

/**
 * Turns a model the engine found into a spec the webview can train on MNIST (28×28×1 in, 10 classes out),
 * or names the layer that stops it.
 */
export function modelSpecFromReport(model: ModelReport): ModelSpecResult {
  if (model.kind === 'module' && model.framework === 'pytorch' && model.forward) return modelSpecFromForward(model);
  const layers: TrainableLayerSpec[] = [];
  const parametricReports = model.layers.filter((l) => /^(nn\.)?(linear|dense|conv2d)$/i.test(l.type));
  const outputReport = parametricReports[parametricReports.length - 1];
  let spatial = false;
  for (const layer of model.layers) {
    // A PyTorch nn.Module applies its activations in forward(), which the engine does not follow: rather than
    // silently train a linear network, say so (the panel's activation override still offers relu/tanh/sigmoid).
    if (model.kind === 'module' && layer !== outputReport && parametricReports.includes(layer) && !layer.activation) {
      return { error: `${where(layer)}: its activation is applied in ${model.name}.forward(), which is not analysed; write the model as nn.Sequential to train it here` };
    }
    const converted = convertLayer(layer);
    if (converted === null) continue;
    if ('error' in converted) return { error: converted.error };
    converted.source = sourceOf(layer);
    // PyTorch modules flatten in forward(): add the Flatten their layer list lacks.
    if (converted.type === 'dense' && spatial) layers.push({ type: 'flatten' });
    if (converted.type === 'conv2d' || converted.type === 'maxPooling2d' || converted.type === 'averagePooling2d') spatial = true;
    if (converted.type === 'flatten' || converted.type === 'dense') spatial = false;
    layers.push(converted);
  }
  return finishSpec(model, layers);
}

/** The checks every converted model passes: something to train, 10 logits out, MNIST's input. */
function finishSpec(model: ModelReport, layers: TrainableLayerSpec[]): ModelSpecResult {
  const parametric = layers.filter((l) => l.type === 'dense' || l.type === 'conv2d');
  if (parametric.length === 0) return { error: `model ${model.name}: no Dense/Linear or Conv2D layer to train` };
  const last = layers[layers.length - 1];
  if (last.type !== 'dense' || last.units !== 10) {
    return { error: `model ${model.name}: the last layer must be a Dense/Linear layer with 10 units for MNIST's 10 classes` };
  }
  if (last.activation !== 'softmax' && last.activation !== 'linear') {
    return { error: `model ${model.name}: the output layer's activation '${last.activation}' is not softmax or linear (logits)` };
  }
  const firstShape = model.layers.find((l) => l.inputShape)?.inputShape;
  if (firstShape) {
    const features = product(firstShape.slice(1));
    if (features !== null && features !== 784) {
      return { error: `model ${model.name}: input ${JSON.stringify(firstShape)} is not MNIST's 28×28 (784 values)` };
    }
  }
  if (layers[0].type === 'dense') layers.unshift({ type: 'flatten' });
  return { spec: { id: 'custom', label: model.name, layers } };
}

/** Activations that commute with max pooling: monotone non-decreasing, so act(max(z)) = max(act(z)). */
const MONOTONE_ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'softplus', 'relu6', 'linear']);

/** [H, W, C] after `layers` on a 28×28×1 image, or the flat length once flattened (undefined when unknown). */
function shapeAfter(layers: TrainableLayerSpec[]): number[] | undefined {
  let shape = [28, 28, 1];
  const size = (n: number, k: number, s: number, pad: 'valid' | 'same' | undefined) => (pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  const two = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);
  for (const l of layers) {
    if (l.type === 'flatten') shape = [shape.reduce((a, b) => a * b, 1)];
    else if (l.type === 'dense') shape = [l.units ?? 0];
    else if (l.type === 'conv2d' || l.type === 'maxPooling2d' || l.type === 'averagePooling2d') {
      if (shape.length !== 3) return undefined;
      const [kh, kw] = two(l.type === 'conv2d' ? l.kernelSize : l.poolSize, l.type === 'conv2d' ? 3 : 2);
      const [sh, sw] = two(l.strides ?? (l.type === 'conv2d' ? 1 : l.poolSize), l.type === 'conv2d' ? 1 : 2);
      shape = [size(shape[0], kh, sh, l.padding), size(shape[1], kw, sw, l.padding), l.type === 'conv2d' ? l.filters ?? 0 : shape[2]];
    }
  }
  return shape;
}

/**
 * A PyTorch module whose forward() the engine read as a chain (src/analysis/parse/pythonForward.ts): its layers
 * in the order forward() applies them, each functional activation folded into the layer it follows. PyTorch is
 * NCHW and flattens (C, H, W); the panel trains NHWC and flattens (H, W, C): the same network up to the order of
 * the first dense layer's inputs, which training from scratch does not see. Flatten sizes written in forward()
 * (view(-1, n)) are checked against the image that reaches them.
 */
function modelSpecFromForward(model: ModelReport): ModelSpecResult {
  const chain = model.forward!;
  if ('refused' in chain) {
    const { line, code, why } = chain.refused;
    return { error: `${model.name}.forward() cannot be followed at line ${line} (\`${code}\`): ${why}` };
  }
  const layers: TrainableLayerSpec[] = [];
  const used = new Set<LayerReport>();
  /** Index in `layers` of the last dense/conv layer, and what forward() applied after it. */
  let lastParam = -1;
  let since: string[] = [];
  const at = (op: ForwardOp) => `${model.name}.forward() line ${op.line}`;

  const activate = (fn: string, op: ForwardOp): string | undefined => {
    const name = ACTIVATION_ALIASES[fn.toLowerCase()];
    if (!name) return `${at(op)}: activation '${fn}' cannot be built in the training panel`;
    if (lastParam < 0) return `${at(op)}: ${fn} is applied before any layer with weights`;
    const target = layers[lastParam];
    if (target.activation && target.activation !== 'linear') return `${at(op)}: ${fn} follows ${target.source ?? 'a layer'} that already has activation '${target.activation}'`;
    const blocking = since.find((s) => s !== 'flatten' && !(s === 'maxPooling2d' && MONOTONE_ACTIVATIONS.has(name)) && !(s === 'dropout' && name === 'relu'));
    if (blocking) {
      return `${at(op)}: ${fn} after ${blocking} cannot be moved onto ${target.source ?? 'the layer before'}: the training panel applies activations inside the layer`;
    }
    target.activation = name;
    return undefined;
  };
  const push = (layer: TrainableLayerSpec, op: ForwardOp): string | undefined => {
    const spatial = shapeAfter(layers);
    if (layer.type === 'dense' && spatial && spatial.length === 3) {
      return `${at(op)}: ${layer.source} is applied to an image (${spatial[2]}×${spatial[0]}×${spatial[1]}) with no flatten before it`;
    }
    layers.push(layer);
    if (layer.type === 'dense' || layer.type === 'conv2d') {
      lastParam = layers.length - 1;
      since = [];
    } else since.push(layer.type);
    return undefined;
  };

  for (const op of chain.ops) {
    let problem: string | undefined;
    switch (op.op) {
      case 'module': {
        const reports = model.layers.filter((l) => l.name === op.name || l.name.startsWith(`${op.name}.`));
        if (reports.length === 0) return { error: `${at(op)}: self.${op.name} is not a layer defined in ${model.name}.__init__()` };
        for (const report of reports) {
          const type = report.type.replace(/^(nn\.)/, '').toLowerCase();
          if (ACTIVATION_LAYER_TYPES.has(type)) {
            problem = activate(type === 'activation' ? report.activation ?? 'linear' : type, op);
            if (problem) return { error: problem };
            continue;
          }
          if (used.has(report) && /^(linear|dense|conv2d)$/.test(type)) {
            return { error: `${at(op)}: ${where(report)} is applied a second time: shared weights cannot be trained in the panel` };
          }
          used.add(report);
          // What the layer was written to take must be what reaches it (PyTorch would fail at run time otherwise).
          const here = shapeAfter(layers);
          const expected = firstNumber(report.config, type === 'linear' ? ['inFeatures', 'in_features'] : ['inChannels', 'in_channels']);
          const arriving = here && (type === 'linear' ? (here.length === 1 ? here[0] : undefined) : here.length === 3 ? here[2] : undefined);
          if (expected !== undefined && arriving !== undefined && expected !== arriving) {
            return { error: `${at(op)}: ${where(report)} takes ${expected} ${type === 'linear' ? 'features' : 'channels'}, but ${arriving} reach it` };
          }
          // The engine folds activation modules into the layer defined before them; forward() decides here.
          const converted = convertLayer({ ...report, activation: null });
          if (converted === null) continue;
          if ('error' in converted) return { error: converted.error };
          converted.source = sourceOf(report);
          problem = push(converted, op);
          if (problem) return { error: problem };
        }
        break;
      }
      case 'activation':
        problem = activate(op.fn, op);
        break;
      case 'pool':
        problem = push({ type: op.kind === 'max' ? 'maxPooling2d' : 'averagePooling2d', poolSize: op.kernelSize, strides: op.stride ?? op.kernelSize, padding: 'valid', source: `F.${op.kind}_pool2d, line ${op.line}` }, op);
        break;
      case 'dropout':
        problem = push({ type: 'dropout', rate: op.p, source: `F.dropout, line ${op.line}` }, op);
        break;
      case 'flatten': {
        const shape = shapeAfter(layers);
        const features = shape?.reduce((a, b) => a * b, 1);
        if (op.features !== undefined && features !== undefined && features !== op.features) {
          return { error: `${at(op)}: flattens to ${op.features} values, but ${shape!.length === 3 ? `the ${shape![2]}×${shape![0]}×${shape![1]} image` : 'the tensor'} here has ${features}` };
        }
        if (shape && shape.length === 3) problem = push({ type: 'flatten', source: `flatten, line ${op.line}` }, op);
        break;
      }
    }
    if (problem) return { error: problem };
  }
  if (!layers.some((l) => l.type === 'dense' || l.type === 'conv2d')) return { error: `model ${model.name}: forward() applies no Linear or Conv2d layer` };
  return finishSpec(model, layers);
}

/** The initializers a comparison runs when none are named (the CLI's default; the panel preselects the same). */
export const DEFAULT_COMPARISON_INITIALIZERS = ['xavier_uniform', 'xavier_normal', 'he_normal', 'lecun_normal', 'normal_0.01', 'uniform_0.1', 'zeros'] as const;
