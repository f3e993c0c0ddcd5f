/**
 * Builds, in TF.js, the models the engine read (from Keras/TF.js source or JSON), so that TF.js itself says
 * what the shapes, weights, fans and initial values are. Layers are made from the engine's canonical config
 * (what the source says); everything compared comes from TF.js's own layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Framework, LayerCall, ParsedModel, Value } from '../../src/analysis/ir';
import type { LayerReport, ModelReport } from '../../src/analysis/types';
import { ArgReader } from '../../src/analysis/values';

export type TfLayer = ReturnType<typeof tf.layers.dense>;
type Config = Record<string, unknown>;

/** An IR value as the plain JS value TF.js would have been given. */
export function plainValue(v: Value): unknown {
  switch (v.kind) {
    case 'number': case 'string': case 'bool': return v.value;
    case 'none': return null;
    case 'list': return v.items.map(plainValue);
    case 'object': return Object.fromEntries(Object.entries(v.entries).map(([k, e]) => [k, plainValue(e)]));
    default: return undefined;
  }
}

const lastSegment = (callee: string) => callee.slice(callee.lastIndexOf('.') + 1);

/** TF.js initializer factory for a TF.js-written initializer (`'heNormal'`, `tf.initializers.randomNormal({...})`). */
function tfjsInitializer(value: Value): unknown {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'call') {
    const factory = (tf.initializers as unknown as Record<string, (c: unknown) => unknown>)[lastSegment(value.callee)];
    // Readers give the config object either whole (one positional object) or flattened into named arguments.
    const named = value.args.filter((a) => a.name !== undefined);
    const config = named.length
      ? Object.fromEntries(named.map((a) => [a.name, plainValue(a.value)]))
      : value.args[0] ? plainValue(value.args[0].value) : {};
    return factory ? factory(config ?? {}) : undefined;
  }
  if (value.kind === 'object') return plainValue(value); // {class_name, config} from a JSON topology
  return undefined;
}

/** Keras initializers whose draws TF.js reproduces exactly (no truncation correction involved), by normalized name. */
const KERAS_TO_TFJS: Record<string, string> = {
  glorotuniform: 'glorotUniform', heuniform: 'heUniform', lecununiform: 'leCunUniform', uniform: 'randomUniform',
  randomuniform: 'randomUniform', normal: 'randomNormal', randomnormal: 'randomNormal', zeros: 'zeros', ones: 'ones',
  constant: 'constant', orthogonal: 'orthogonal',
};
const KERAS_ARGS: Record<string, string[]> = { randomUniform: ['minval', 'maxval'], randomNormal: ['mean', 'stddev'], constant: ['value'], orthogonal: ['gain'] };

function normalized(name: string): string {
  return lastSegment(name).toLowerCase().split('_').join('');
}

/** A Keras initializer (string, class call, or the engine's default name) as TF.js's equivalent, or undefined when none draws the same. */
function kerasInitializer(value: Value | undefined, defaultName: string): unknown {
  if (!value || value.kind === 'none') {
    const name = KERAS_TO_TFJS[normalized(defaultName.split(' ')[0])];
    return name;
  }
  if (value.kind === 'string') return KERAS_TO_TFJS[normalized(value.value)];
  if (value.kind === 'object') {
    // A JSON topology's {class_name, config}: the same as a class call with keyword arguments.
    const className = value.entries.class_name;
    const config = value.entries.config;
    if (className?.kind !== 'string') return undefined;
    const zero = { line: 0, column: 0 };
    const range = { start: zero, end: zero };
    const args = config?.kind === 'object' ? Object.entries(config.entries).map(([name, v]) => ({ name, value: v, range, valueRange: range })) : [];
    return kerasInitializer({ kind: 'call', callee: className.value, args }, defaultName);
  }
  if (value.kind === 'call') {
    const name = KERAS_TO_TFJS[normalized(value.callee)];
    if (!name) return undefined;
    const args = new ArgReader(value.args, KERAS_ARGS[name] ?? []);
    const config: Config = {};
    for (const key of KERAS_ARGS[name] ?? []) {
      const v = args.value(key);
      if (v) config[key] = plainValue(v);
    }
    return (tf.initializers as unknown as Record<string, (c: unknown) => unknown>)[name](config);
  }
  return undefined;
}

const INITIALIZER_KEYS: Record<string, string> = {
  kernel: 'kernel_initializer', bias: 'bias_initializer', recurrent_kernel: 'recurrent_initializer',
  depthwise_kernel: 'depthwise_initializer', pointwise_kernel: 'pointwise_initializer', embeddings: 'embeddings_initializer',
  gamma: 'gamma_initializer', beta: 'beta_initializer', moving_mean: 'moving_mean_initializer', moving_variance: 'moving_variance_initializer',
};

function camel(snake: string): string {
  return snake.replace(/_(.)/g, (_, c: string) => c.toUpperCase());
}

/**
 * The initializer options for TF.js and which weights TF.js then draws exactly as the source's framework
 * would: TF.js source as written; Keras source only where TF.js has the same initializer (not Keras'
 * corrected truncated normals).
 */
function initializerOptions(framework: Framework, call: LayerCall, report: LayerReport): { options: Config; sampled: Set<string> } {
  const args = new ArgReader(call.args.filter((a) => a.name !== undefined), []);
  const options: Config = {};
  const sampled = new Set<string>();
  for (const weight of report.weights) {
    const key = INITIALIZER_KEYS[weight.name];
    if (!key) continue;
    // TF.js's orthogonal runs a QR in plain JS on the CPU backend, minutes for a few thousand entries: big
    // orthogonal matrices are drawn as zeros (their shape and fans are still compared), small ones sampled.
    const size = weight.shape.reduce<number>((a, d) => a * (d ?? 0), 1);
    if (weight.inUse.distribution === 'orthogonal' && size > 4096) {
      options[camel(key)] = 'zeros';
      continue;
    }
    const value = args.value(key);
    if (framework === 'tfjs') {
      if (value) {
        const init = tfjsInitializer(value);
        if (init === undefined) continue;
        options[camel(key)] = init;
      }
      sampled.add(weight.name);
    } else {
      const init = kerasInitializer(value, weight.initializer);
      if (init === undefined) continue;
      options[camel(key)] = init;
      // TF.js's SeparableConv draws the pointwise kernel with the depthwise initializer: only comparable when they agree.
      const tfjsPointwiseQuirk = weight.name === 'pointwise_kernel' && args.value('depthwise_initializer') !== undefined;
      if (!tfjsPointwiseQuirk) sampled.add(weight.name);
    }
  }
  return { options, sampled };
}

const first = <T>(v: unknown): T => (Array.isArray(v) ? v[0] : v) as T;

/** A factory of the TF.js layer for one engine layer report; undefined for kinds TF.js lacks. */
function layerFactory(report: LayerReport, options: Config): (() => TfLayer) | undefined {
  const c = report.config as Config;
  const L = tf.layers as unknown as Record<string, (config: Config) => TfLayer>;
  const rank = c.rank as number;
  const spatial = (key: string) => (rank === 1 ? first<number>(c[key]) : c[key]);
  const dataFormat = c.dataFormat === 'channels_first' ? 'channelsFirst' : 'channelsLast';
  switch (report.kind) {
    case 'dense':
      return () => L.dense({ units: c.units, useBias: c.useBias, ...options });
    case 'conv':
      if (c.groups !== 1) return undefined;
      return () => L[`conv${rank}d`]({ filters: c.filters, kernelSize: spatial('kernelSize'), strides: spatial('strides'), padding: c.padding,
        dilationRate: spatial('dilationRate'), useBias: c.useBias, dataFormat, ...options });
    case 'conv_transpose':
      if (rank === 1 || c.outputPadding) return undefined;
      return () => L[`conv${rank}dTranspose`]({ filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, useBias: c.useBias, ...options });
    case 'depthwise_conv':
      return () => L.depthwiseConv2d({ kernelSize: c.kernelSize, strides: c.strides, padding: c.padding, depthMultiplier: c.depthMultiplier,
        dilationRate: c.dilationRate, useBias: c.useBias, ...options });
    case 'separable_conv':
      return () => L.separableConv2d({ filters: c.filters, kernelSize: c.kernelSize, strides: c.strides, padding: c.padding,
        depthMultiplier: c.depthMultiplier, dilationRate: c.dilationRate, useBias: c.useBias, ...options });
    case 'embedding':
      return () => L.embedding({ inputDim: c.inputDim, outputDim: c.outputDim, ...options });
    case 'rnn': {
      const factory = c.cell === 'simple_rnn' ? 'simpleRNN' : (c.cell as string);
      return () => L[factory]({ units: c.units, returnSequences: c.returnSequences, useBias: c.useBias,
        ...(c.cell === 'lstm' ? { unitForgetBias: c.unitForgetBias } : {}), ...options });
    }
    case 'batch_norm':
      return () => L.batchNormalization({ axis: c.axis, ...options });
    case 'layer_norm':
      return () => L.layerNormalization({ axis: c.axis, ...options });
    case 'flatten':
      return () => L.flatten({});
    case 'reshape':
      return () => L.reshape({ targetShape: c.targetShape });
    case 'pool':
      return () => L[`${c.pool === 'max' ? 'maxPooling' : 'averagePooling'}${rank}d`]({ poolSize: spatial('poolSize'), strides: spatial('strides'), padding: c.padding });
    case 'global_pool':
      return () => L[`${c.pool === 'max' ? 'globalMaxPooling' : 'globalAveragePooling'}${rank}d`]({});
    case 'dropout':
      return () => L.dropout({ rate: 0.5 });
    case 'activation':
      return c.activation === 'leaky_relu' ? () => L.leakyReLU({}) : () => L.activation({ activation: c.activation });
    case 'zero_padding':
      return rank === 2 ? () => L.zeroPadding2d({ padding: c.padding }) : undefined;
    case 'merge':
      return c.op === 'concatenate' ? () => L.concatenate({ axis: c.axis }) : () => (tf.layers as unknown as Record<string, () => TfLayer>)[c.op as string]();
    default:
      return undefined;
  }
}

export interface BuiltLayer {
  report: LayerReport;
  layer: TfLayer;
  /** Makes a fresh copy of the layer (for more draws of its initializers). */
  make: () => TfLayer;
  /** Input shapes the layer was applied to. */
  inputShapes: (number | null)[][];
  /** Weights whose TF.js draws follow the same initializer as the source's framework. */
  sampled: Set<string>;
}

export interface BuiltModel {
  layers: BuiltLayer[];
  /** The model, for toJSON(). */
  model: tf.LayersModel;
}

/** Builds the engine-read model in TF.js: Input layers become tf.input, every other layer is applied to its inbound outputs. */
export function buildInTfjs(parsed: ParsedModel, report: ModelReport): BuiltModel {
  const tensors: tf.SymbolicTensor[] = [];
  const inputs: tf.SymbolicTensor[] = [];
  const used = new Set<number>();
  const built: BuiltLayer[] = [];
  let root: tf.SymbolicTensor | undefined;
  for (const [i, layerReport] of report.layers.entries()) {
    const call = parsed.layers[i];
    if (layerReport.kind === 'input') {
      const input = tf.input({ batchShape: layerReport.outputShape as number[], name: layerReport.name });
      tensors[i] = input;
      inputs.push(input);
      continue;
    }
    const inbound = call.inbound ?? (i === 0 ? [-1] : [i - 1]);
    const ins = inbound.map((j) => {
      if (j >= 0) {
        used.add(j);
        return tensors[j];
      }
      if (!root) {
        root = tf.input({ batchShape: layerReport.inputShape as number[] });
        inputs.push(root);
      }
      return root;
    });
    const { options, sampled } = initializerOptions(parsed.framework, call, layerReport);
    const make = layerFactory(layerReport, { ...options, name: undefined });
    if (!make) throw new Error(`TF.js has no layer for ${layerReport.type} (${layerReport.kind}) as configured`);
    const layer = make();
    tensors[i] = layer.apply(ins.length === 1 ? ins[0] : ins) as tf.SymbolicTensor;
    built.push({ report: layerReport, layer, make, inputShapes: ins.map((t) => t.shape), sampled });
  }
  const outputs = tensors.filter((t, i) => t && !used.has(i) && report.layers[i].kind !== 'input');
  return { layers: built, model: tf.model({ inputs, outputs }) };
}

/**
 * Values of the weights named in `wanted` (short name → draws needed), pooled over fresh copies of the layer
 * until each has its draws (at most 60 copies).
 */
export function drawWeights(built: BuiltLayer, wanted: Map<string, number>): Map<string, Float32Array[]> {
  const pooled = new Map<string, Float32Array[]>();
  const counts = new Map<string, number>();
  const missing = () => [...wanted].some(([name, n]) => (counts.get(name) ?? 0) < n);
  for (let copy = 0; copy < 60 && missing(); copy++) {
    const layer = copy === 0 ? built.layer : built.make();
    if (copy > 0) {
      const ins = built.inputShapes.map((shape) => tf.input({ batchShape: shape }));
      layer.apply(ins.length === 1 ? ins[0] : ins);
    }
    for (const variable of layer.weights) {
      const name = variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
      if ((counts.get(name) ?? 0) >= (wanted.get(name) ?? 0)) continue;
      const values = variable.read().dataSync() as Float32Array;
      pooled.set(name, [...(pooled.get(name) ?? []), Float32Array.from(values)]);
      counts.set(name, (counts.get(name) ?? 0) + values.length);
    }
    if (copy > 0) layer.dispose();
  }
  return pooled;
}

/**
 * TF.js's own fan of a weight shape, read back from its VarianceScaling: with scale 1 and a uniform
 * distribution the bound is √(3 / max(1, fan)), so fan = 3 / max|w|² over enough draws (the max of N
 * uniform draws falls short of the bound by ~1/N).
 */
const fanCache = new Map<string, number>();

export function tfjsFan(shape: number[], mode: 'fanIn' | 'fanOut', draws: number): number {
  const key = `${shape.join('x')}:${mode}:${draws}`;
  const cached = fanCache.get(key);
  if (cached !== undefined) return cached;
  const fan = measureFan(shape, mode, draws);
  fanCache.set(key, fan);
  return fan;
}

function measureFan(shape: number[], mode: 'fanIn' | 'fanOut', draws: number): number {
  const init = tf.initializers.varianceScaling({ scale: 1, mode, distribution: 'uniform' });
  let largest = 0;
  for (let n = 0; n < draws;) {
    const sample = init.apply(shape);
    const max = tf.tidy(() => tf.max(tf.abs(sample)).dataSync()[0]);
    sample.dispose();
    largest = Math.max(largest, max);
    n += sample.size;
  }
  return 3 / (largest * largest);
}

export function statistics(chunks: Float32Array[]): { n: number; mean: number; std: number; maxAbs: number } {
  let n = 0;
  let sum = 0;
  let maxAbs = 0;
  for (const chunk of chunks) for (const v of chunk) {
    n++;
    sum += v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / n;
  let squares = 0;
  for (const chunk of chunks) for (const v of chunk) squares += (v - mean) * (v - mean);
  return { n, mean, std: Math.sqrt(squares / n), maxAbs };
}
