/**
 * Keras and TF.js layers (one family: TF.js mirrors Keras' layers, camelCase config keys and lowerCamel
 * factory names). Weights in Keras' storage layout and names: kernel (…, in, out), recurrent_kernel, bias.
 * Inputs are channels-last unless data_format says otherwise; each layer takes its input size from the layer before.
 */
import type { Value } from '../ir';
import { type SDim, type SShape, divDim, isKnown, mulDim } from '../dims';
import {
  type KerasPadding, concatenateShapes, flattenShape, kerasConvLength, kerasDeconvLength, kerasPoolLength, lastDim, reshapeShape,
} from '../shapes';
import { ArgReader, dimsOf, repeatedDims, stringOf } from '../values';
import { activationName, boolArg, numberArg, passThrough, sizeArg, stringArg, typeKey, definitionIn } from './common';
import type { LayerAnalysis, LayerDefinition, LayerInput, WeightDef } from './types';

/** Positional parameter names of each Keras constructor (TF.js passes one config object, so all are named). */
const SIGNATURES: Record<string, string[]> = {
  dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'],
  conv: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'],
  conv_transpose: ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer'],
  depthwise_conv: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'depthwise_initializer', 'bias_initializer'],
  separable_conv: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias', 'depthwise_initializer', 'pointwise_initializer', 'bias_initializer'],
  embedding: ['input_dim', 'output_dim', 'embeddings_initializer'],
  simple_rnn: ['units', 'activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'],
  gated_rnn: ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer'],
  pool: ['pool_size', 'strides', 'padding', 'data_format'],
  global_pool: ['data_format', 'keepdims'],
  batch_norm: ['axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer'],
  layer_norm: ['axis', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer'],
  flatten: ['data_format'],
  reshape: ['target_shape'],
  dropout: ['rate'],
  activation: ['activation'],
  zero_padding: ['padding', 'data_format'],
  concatenate: ['axis'],
  merge: [],
  input: ['shape', 'batch_size', 'name', 'dtype'],
  input_layer: ['input_shape', 'batch_size', 'dtype'],
};

function paddingOf(args: ArgReader): KerasPadding {
  const p = stringArg(args, 'padding', 'valid').toLowerCase();
  return p === 'same' || p === 'causal' || p === 'full' ? p : 'valid';
}

function channelsFirst(args: ArgReader): boolean {
  const f = stringOf(args.value('data_format'));
  return f === 'channels_first' || f === 'channelsFirst';
}

/** Input shape of a convolution-like layer of spatial `rank`, with its spatial dims and channels. */
function convInput(shape: SShape, rank: number, first: boolean): { spatial: SDim[]; channels: SDim } {
  if (!shape || shape.length !== rank + 2) return { spatial: new Array<SDim>(rank).fill(null), channels: null };
  return first ? { spatial: shape.slice(2), channels: shape[1] } : { spatial: shape.slice(1, -1), channels: shape[rank + 1] };
}

function convOutput(batch: SDim, spatial: SDim[], channels: SDim, first: boolean): SDim[] {
  return first ? [batch, channels, ...spatial] : [batch, ...spatial, channels];
}

function inputNote(input: SShape, what: string): string[] {
  return input ? [] : [`${what} unknown: the model gives no input shape before this layer`];
}

function withBias(weights: WeightDef[], useBias: boolean, size: SDim): WeightDef[] {
  return useBias ? [...weights, { name: 'bias', role: 'bias', shape: [size], initializerArg: 'bias_initializer' }] : weights;
}

const dense: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.dense);
  const input = inputs[0] ?? null;
  const units = sizeArg(args, 'units');
  const inDim = lastDim(input) ?? sizeArg(args, 'input_dim');
  const useBias = boolArg(args, 'use_bias', true);
  const outputShape = input ? [...input.slice(0, -1), units] : [null, units];
  return {
    kind: 'dense',
    config: { units, useBias },
    inputShape: input ?? (inDim === null ? null : [null, inDim]),
    outputShape,
    weights: withBias([{ name: 'kernel', role: 'kernel', shape: [inDim, units], initializerArg: 'kernel_initializer' }], useBias, units),
    activation: activationName(args.value('activation')),
    notes: inDim === null ? inputNote(input, 'input size') : [],
  };
};

/** Strides, dilation and kernel of a conv-like layer, each as `rank` dims. */
function convGeometry(args: ArgReader, rank: number) {
  return {
    kernelSize: repeatedDims(args.value('kernel_size'), rank, 1),
    strides: repeatedDims(args.value('strides', 'subsample'), rank, 1),
    dilation: repeatedDims(args.value('dilation_rate'), rank, 1),
    padding: paddingOf(args),
  };
}

function conv(rank: number): LayerDefinition {
  return ({ framework, args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.conv);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const geometry = convGeometry(args, rank);
    const { kernelSize, strides, dilation } = geometry;
    // TF.js 4.22 shapes a 'causal' conv as 'valid' (and cannot run it): its next layers' weights follow that shape.
    const tfjsCausal = framework === 'tfjs' && geometry.padding === 'causal';
    const padding: KerasPadding = tfjsCausal ? 'valid' : geometry.padding;
    const filters = sizeArg(args, 'filters');
    const groups = numberArg(args, 'groups', 1);
    const useBias = boolArg(args, 'use_bias', true);
    const { spatial, channels } = convInput(input, rank, first);
    const outSpatial = spatial.map((n, i) => kerasConvLength(n, kernelSize[i], padding, strides[i], dilation[i]));
    return {
      kind: 'conv',
      config: { rank, filters, kernelSize, strides, padding: geometry.padding, dilationRate: dilation, groups, useBias, dataFormat: first ? 'channels_first' : 'channels_last' },
      inputShape: input,
      outputShape: convOutput(input?.[0] ?? null, outSpatial, filters, first),
      weights: withBias([{ name: 'kernel', role: 'kernel', shape: [...kernelSize, divDim(channels, groups), filters], initializerArg: 'kernel_initializer' }], useBias, filters),
      activation: activationName(args.value('activation')),
      notes: [
        ...(channels === null ? inputNote(input, 'input channels') : []),
        ...(tfjsCausal ? ["TF.js 4.22 gives 'causal' padding the output length of 'valid' and cannot run it"] : []),
      ],
    };
  };
}

/** Transposed convolution: Keras stores the kernel as (k…, filters, in), so its fans "swap". */
function convTranspose(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.conv_transpose);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const { kernelSize, strides, dilation, padding } = convGeometry(args, rank);
    const outputPadding = args.has('output_padding') ? repeatedDims(args.value('output_padding'), rank, 0) : undefined;
    const filters = sizeArg(args, 'filters');
    const useBias = boolArg(args, 'use_bias', true);
    const { spatial, channels } = convInput(input, rank, first);
    const outSpatial = spatial.map((n, i) => kerasDeconvLength(n, kernelSize[i], padding, strides[i], dilation[i], outputPadding?.[i]));
    return {
      kind: 'conv_transpose',
      config: { rank, filters, kernelSize, strides, padding, dilationRate: dilation, outputPadding: outputPadding ?? null, useBias },
      inputShape: input,
      outputShape: convOutput(input?.[0] ?? null, outSpatial, filters, first),
      weights: withBias([{ name: 'kernel', role: 'kernel', shape: [...kernelSize, filters, channels], initializerArg: 'kernel_initializer' }], useBias, filters),
      activation: activationName(args.value('activation')),
      notes: channels === null ? inputNote(input, 'input channels') : [],
    };
  };
}

/** DepthwiseConv: kernel (k…, in, depth_multiplier); out channels = in·depth_multiplier. */
function depthwiseConv(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.depthwise_conv);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const { kernelSize, strides, dilation, padding } = convGeometry(args, rank);
    const multiplier = sizeArg(args, 'depth_multiplier') ?? 1;
    const useBias = boolArg(args, 'use_bias', true);
    const { spatial, channels } = convInput(input, rank, first);
    const outChannels = mulDim(channels, multiplier);
    const outSpatial = spatial.map((n, i) => kerasConvLength(n, kernelSize[i], padding, strides[i], dilation[i]));
    return {
      kind: 'depthwise_conv',
      config: { rank, kernelSize, strides, padding, depthMultiplier: multiplier, dilationRate: dilation, useBias },
      inputShape: input,
      outputShape: convOutput(input?.[0] ?? null, outSpatial, outChannels, first),
      weights: withBias([{ name: 'depthwise_kernel', role: 'depthwise_kernel', shape: [...kernelSize, channels, multiplier], initializerArg: 'depthwise_initializer' }], useBias, outChannels),
      activation: activationName(args.value('activation')),
      notes: channels === null ? inputNote(input, 'input channels') : [],
    };
  };
}

/** SeparableConv: depthwise kernel (k…, in, dm) then pointwise kernel (1…, in·dm, filters). */
function separableConv(rank: number): LayerDefinition {
  return ({ framework, args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.separable_conv);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const { kernelSize, strides, dilation, padding } = convGeometry(args, rank);
    const filters = sizeArg(args, 'filters');
    const multiplier = sizeArg(args, 'depth_multiplier') ?? 1;
    const useBias = boolArg(args, 'use_bias', true);
    const { spatial, channels } = convInput(input, rank, first);
    const outSpatial = spatial.map((n, i) => kerasConvLength(n, kernelSize[i], padding, strides[i], dilation[i]));
    // TF.js 4.22's SeparableConv reads the pointwise initializer from `depthwiseInitializer` (its own quirk).
    const pointwiseArg = framework === 'tfjs' ? 'depthwise_initializer' : 'pointwise_initializer';
    const weights: WeightDef[] = [
      { name: 'depthwise_kernel', role: 'depthwise_kernel', shape: [...kernelSize, channels, multiplier], initializerArg: 'depthwise_initializer' },
      { name: 'pointwise_kernel', role: 'pointwise_kernel', shape: [...new Array<SDim>(rank).fill(1), mulDim(channels, multiplier), filters], initializerArg: pointwiseArg },
    ];
    return {
      kind: 'separable_conv',
      config: { rank, filters, kernelSize, strides, padding, depthMultiplier: multiplier, dilationRate: dilation, useBias },
      inputShape: input,
      outputShape: convOutput(input?.[0] ?? null, outSpatial, filters, first),
      weights: withBias(weights, useBias, filters),
      activation: activationName(args.value('activation')),
      notes: channels === null ? inputNote(input, 'input channels') : [],
    };
  };
}

/** Embedding: matrix (input_dim, output_dim); output appends output_dim to the (batch, sequence) input. */
const embedding: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.embedding);
  const inputDim = sizeArg(args, 'input_dim');
  const outputDim = sizeArg(args, 'output_dim');
  // input_length (Keras 2, TF.js) fixes the sequence length when the input does not.
  const inputLength = args.has('input_length') ? sizeArg(args, 'input_length') : null;
  const flowing = inputs[0] ?? null;
  const input = flowing && flowing.length === 2 ? [flowing[0], flowing[1] ?? inputLength] : flowing ?? (inputLength === null ? null : [null, inputLength]);
  return {
    kind: 'embedding',
    config: { inputDim, outputDim },
    inputShape: input,
    outputShape: input ? [...input, outputDim] : [null, null, outputDim],
    weights: [{ name: 'embeddings', role: 'embeddings', shape: [inputDim, outputDim], initializerArg: 'embeddings_initializer' }],
    activation: null,
    notes: [],
  };
};

/**
 * SimpleRNN / LSTM / GRU: gates stacked along the last axis: kernel (features, g·units), recurrent_kernel
 * (units, g·units), bias (g·units), g = 1, 4, 3. Keras' GRU with reset_after (its default) keeps two biases: (2, 3·units).
 * TF.js 4.22 has no reset_after (it refuses true).
 */
function recurrent(gates: 1 | 3 | 4, cell: 'simple_rnn' | 'lstm' | 'gru'): LayerDefinition {
  return ({ framework, args: raw, inputs }) => {
    const args = new ArgReader(raw, gates === 1 ? SIGNATURES.simple_rnn : SIGNATURES.gated_rnn);
    const input = inputs[0] ?? null;
    const units = sizeArg(args, 'units');
    const features = lastDim(input);
    const stacked = mulDim(units, gates);
    const useBias = boolArg(args, 'use_bias', true);
    const resetAfter = cell === 'gru' && framework !== 'tfjs' && boolArg(args, 'reset_after', true);
    const returnSequences = boolArg(args, 'return_sequences', false);
    const unitForgetBias = cell === 'lstm' && boolArg(args, 'unit_forget_bias', framework !== 'tfjs');
    const weights: WeightDef[] = [
      { name: 'kernel', role: 'kernel', shape: [features, stacked], initializerArg: 'kernel_initializer' },
      { name: 'recurrent_kernel', role: 'recurrent_kernel', shape: [units, stacked], initializerArg: 'recurrent_initializer' },
    ];
    if (useBias) weights.push({ name: 'bias', role: 'bias', shape: resetAfter ? [2, stacked] : [stacked], initializerArg: 'bias_initializer' });
    const batch = input?.[0] ?? null;
    return {
      kind: 'rnn',
      config: { cell, units, useBias, returnSequences, resetAfter, unitForgetBias },
      inputShape: input,
      outputShape: returnSequences ? [batch, input && input.length === 3 ? input[1] : null, units] : [batch, units],
      weights,
      activation: activationName(args.value('activation') ?? { kind: 'string', value: 'tanh' }),
      notes: features === null ? inputNote(input, 'input features') : [],
    };
  };
}

function pool(rank: number, kind: 'max' | 'avg'): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.pool);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const poolSize = repeatedDims(args.value('pool_size'), rank, 2);
    const strides = args.has('strides') ? repeatedDims(args.value('strides'), rank, 1) : poolSize;
    const padding = paddingOf(args);
    const { spatial, channels } = convInput(input, rank, first);
    const outSpatial = spatial.map((n, i) => kerasPoolLength(n, poolSize[i], padding, strides[i]));
    return {
      kind: 'pool',
      config: { rank, pool: kind, poolSize, strides, padding },
      inputShape: input,
      outputShape: input ? convOutput(input[0] ?? null, outSpatial, channels, first) : null,
      weights: [],
      activation: null,
      notes: [],
    };
  };
}

function globalPool(rank: number, kind: 'max' | 'avg'): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.global_pool);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const keepDims = boolArg(args, 'keepdims', false);
    const { channels } = convInput(input, rank, first);
    const kept = new Array<SDim>(rank).fill(1);
    const outputShape = keepDims ? convOutput(input?.[0] ?? null, kept, channels, first) : [input?.[0] ?? null, channels];
    return { kind: 'global_pool', config: { rank, pool: kind, keepDims }, inputShape: input, outputShape, weights: [], activation: null, notes: [] };
  };
}

/** Normalized axis (−1 default) of a shape. */
function axisSize(shape: SShape, axis: number): SDim {
  if (!shape) return null;
  const at = axis < 0 ? shape.length + axis : axis;
  return shape[at] ?? null;
}

/** BatchNormalization: gamma, beta, moving_mean, moving_variance (the last two counted, not trained), each (C,). */
const batchNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.batch_norm);
  const input = inputs[0] ?? null;
  const axis = numberArg(args, 'axis', -1);
  const size = axisSize(input, axis);
  const weights: WeightDef[] = [];
  if (boolArg(args, 'scale', true)) weights.push({ name: 'gamma', role: 'gamma', shape: [size], initializerArg: 'gamma_initializer' });
  if (boolArg(args, 'center', true)) weights.push({ name: 'beta', role: 'beta', shape: [size], initializerArg: 'beta_initializer' });
  weights.push({ name: 'moving_mean', role: 'moving_mean', shape: [size], initializerArg: 'moving_mean_initializer', trainable: false });
  weights.push({ name: 'moving_variance', role: 'moving_variance', shape: [size], initializerArg: 'moving_variance_initializer', trainable: false });
  return { kind: 'batch_norm', config: { axis }, inputShape: input, outputShape: input, weights, activation: null, notes: size === null ? inputNote(input, 'feature size') : [] };
};

/** LayerNormalization: gamma and beta over the normalized axis (−1 by default). */
const layerNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.layer_norm);
  const input = inputs[0] ?? null;
  const axisValue = dimsOf(args.value('axis'));
  const axes = (axisValue ?? [-1]).map((a) => (isKnown(a) ? a : -1));
  const shape = axes.map((a) => axisSize(input, a));
  const weights: WeightDef[] = [];
  if (boolArg(args, 'scale', true)) weights.push({ name: 'gamma', role: 'gamma', shape, initializerArg: 'gamma_initializer' });
  if (boolArg(args, 'center', true)) weights.push({ name: 'beta', role: 'beta', shape: [...shape], initializerArg: 'beta_initializer' });
  return { kind: 'layer_norm', config: { axis: axes }, inputShape: input, outputShape: input, weights, activation: null, notes: [] };
};

const flatten: LayerDefinition = ({ inputs }) => {
  const input = inputs[0] ?? null;
  return { kind: 'flatten', config: {}, inputShape: input, outputShape: flattenShape(input), weights: [], activation: null, notes: [] };
};

const reshape: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.reshape);
  const input = inputs[0] ?? null;
  const target = dimsOf(args.value('target_shape')) ?? [];
  return { kind: 'reshape', config: { targetShape: target }, inputShape: input, outputShape: reshapeShape(input, target), weights: [], activation: null, notes: [] };
};

/** A padding entry as (before, after): a pair as written, or p on both sides. */
function paddingPair(item: Value | undefined, fallback: number): [SDim, SDim] {
  if (item === undefined || item.kind === 'none') return [fallback, fallback];
  const dims = dimsOf(item) ?? [];
  return item.kind === 'list' ? [dims[0] ?? null, dims[1] ?? null] : [dims[0] ?? null, dims[0] ?? null];
}

/** ZeroPadding: padding int, per-axis ints, or per-axis (before, after) pairs (1-D: one pair). */
function zeroPadding(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.zero_padding);
    const input = inputs[0] ?? null;
    const first = channelsFirst(args);
    const value = args.value('padding');
    const pairs: [SDim, SDim][] = [];
    for (let i = 0; i < rank; i++) pairs.push(paddingPair(value?.kind === 'list' && rank > 1 ? value.items[i] : value, 1));
    const { spatial, channels } = convInput(input, rank, first);
    const outSpatial = spatial.map((n, i) => {
      const [before, after] = pairs[i];
      return isKnown(n) && isKnown(before) && isKnown(after) ? n + before + after : null;
    });
    return {
      kind: 'zero_padding', config: { rank, padding: pairs }, inputShape: input,
      outputShape: input ? convOutput(input[0] ?? null, outSpatial, channels, first) : null, weights: [], activation: null, notes: [],
    };
  };
}

/** Concatenate (along axis) and the elementwise merges (Add, Multiply, …), which keep the first input's shape. */
function merge(concatenate: boolean): LayerDefinition {
  return ({ type, args: raw, inputs }) => {
    const args = new ArgReader(raw, concatenate ? SIGNATURES.concatenate : SIGNATURES.merge);
    const axis = numberArg(args, 'axis', -1);
    const outputShape = concatenate ? concatenateShapes(inputs, axis) : inputs[0] ?? null;
    return { kind: 'merge', config: concatenate ? { op: 'concatenate', axis } : { op: typeKey(type) }, inputShape: inputs[0] ?? null, outputShape, weights: [], activation: null, notes: [] };
  };
}

/** `Input(shape=…)` / `InputLayer(input_shape=…)` / TF.js `tf.input({shape})`: its declared shape, batch first. */
const inputLayer: LayerDefinition = ({ type, args: raw }) => {
  const isFunction = typeKey(type) === 'input';
  const args = new ArgReader(raw, isFunction ? SIGNATURES.input : SIGNATURES.input_layer);
  const shape = declaredInputShape(args);
  return { kind: 'input', config: {}, inputShape: shape, outputShape: shape, weights: [], activation: null, notes: shape ? [] : ['input shape not given'] };
};

/**
 * The input shape a Keras/TF.js layer declares for itself, batch dim first: `batch_input_shape` / `batch_shape`
 * include the batch; `input_shape` / `shape` do not; Dense's legacy `input_dim` gives (batch, input_dim).
 */
export function declaredInputShape(args: ArgReader): SShape {
  const withBatch = dimsOf(args.value('batch_input_shape', 'batch_shape'));
  if (withBatch) return withBatch;
  const without = dimsOf(args.value('input_shape', 'shape'));
  if (without) return [null, ...without];
  const inputDim = args.value('input_dim');
  if (inputDim && inputDim.kind !== 'none' && args.has('units')) return [null, sizeArg(args, 'input_dim')];
  return null;
}

/** Activation layers (Activation('relu'), ReLU(), LeakyReLU(), Softmax(), ELU()): shape unchanged. */
function activationLayer(fixed?: string): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.activation);
    const name = fixed ?? activationName(args.value('activation'));
    return passThrough('activation', inputs[0] ?? null, { activation: name }, name);
  };
}

const dropout: LayerDefinition = ({ inputs }) => passThrough('dropout', inputs[0] ?? null);

/** Layer definitions by type key (lower case, no underscores), for Keras class names and TF.js factory names. */
const DEFINITIONS: Record<string, LayerDefinition> = {
  dense: dense,
  conv1d: conv(1), conv2d: conv(2), conv3d: conv(3), convolution1d: conv(1), convolution2d: conv(2), convolution3d: conv(3),
  conv1dtranspose: convTranspose(1), conv2dtranspose: convTranspose(2), conv3dtranspose: convTranspose(3),
  convolution2dtranspose: convTranspose(2), deconvolution2d: convTranspose(2), deconv2d: convTranspose(2),
  depthwiseconv1d: depthwiseConv(1), depthwiseconv2d: depthwiseConv(2),
  separableconv1d: separableConv(1), separableconv2d: separableConv(2),
  embedding: embedding,
  simplernn: recurrent(1, 'simple_rnn'), lstm: recurrent(4, 'lstm'), gru: recurrent(3, 'gru'),
  maxpooling1d: pool(1, 'max'), maxpooling2d: pool(2, 'max'), maxpooling3d: pool(3, 'max'),
  maxpool1d: pool(1, 'max'), maxpool2d: pool(2, 'max'), maxpool3d: pool(3, 'max'),
  averagepooling1d: pool(1, 'avg'), averagepooling2d: pool(2, 'avg'), averagepooling3d: pool(3, 'avg'),
  avgpool1d: pool(1, 'avg'), avgpool2d: pool(2, 'avg'), avgpool3d: pool(3, 'avg'),
  avgpooling1d: pool(1, 'avg'), avgpooling2d: pool(2, 'avg'), avgpooling3d: pool(3, 'avg'),
  globalaveragepooling1d: globalPool(1, 'avg'), globalaveragepooling2d: globalPool(2, 'avg'), globalaveragepooling3d: globalPool(3, 'avg'),
  globalavgpool1d: globalPool(1, 'avg'), globalavgpool2d: globalPool(2, 'avg'), globalavgpool3d: globalPool(3, 'avg'),
  globalmaxpooling1d: globalPool(1, 'max'), globalmaxpooling2d: globalPool(2, 'max'), globalmaxpooling3d: globalPool(3, 'max'),
  globalmaxpool1d: globalPool(1, 'max'), globalmaxpool2d: globalPool(2, 'max'), globalmaxpool3d: globalPool(3, 'max'),
  batchnormalization: batchNorm, layernormalization: layerNorm,
  flatten: flatten, reshape: reshape,
  dropout: dropout, spatialdropout1d: dropout, spatialdropout2d: dropout, spatialdropout3d: dropout,
  gaussiandropout: dropout, gaussiannoise: dropout, alphadropout: dropout,
  activation: activationLayer(), relu: activationLayer('relu'), leakyrelu: activationLayer('leaky_relu'),
  softmax: activationLayer('softmax'), elu: activationLayer('elu'),
  zeropadding1d: zeroPadding(1), zeropadding2d: zeroPadding(2), zeropadding3d: zeroPadding(3),
  concatenate: merge(true), add: merge(false), subtract: merge(false), multiply: merge(false), average: merge(false),
  maximum: merge(false), minimum: merge(false),
  input: inputLayer, inputlayer: inputLayer,
};

/** The Keras/TF.js definition of `type`, or undefined for layers the engine does not know. */
export function kerasLayerDefinition(type: string): LayerDefinition | undefined {
  return definitionIn(DEFINITIONS, type);
}

/** Whether a type is an input declaration (it starts a graph and takes no inbound shape). */
export function isKerasInput(type: string): boolean {
  const key = typeKey(type);
  return key === 'input' || key === 'inputlayer';
}

/** Unknown Keras layers keep nothing: their output shape is unknown, so later fans stay symbolic. */
export function unknownKerasLayer(input: LayerInput): LayerAnalysis {
  return { kind: 'unknown', config: {}, inputShape: input.inputs[0] ?? null, outputShape: null, weights: [], activation: null, notes: [`layer type ${input.type} is not analysed`] };
}

