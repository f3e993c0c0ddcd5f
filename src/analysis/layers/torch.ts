/**
 * PyTorch modules by their real signatures. Parameters in PyTorch's layout and names: Linear weight
 * (out, in), Conv weight (out, in/groups, k…), ConvTranspose weight (in, out/groups, k…), RNN weight_ih_l0
 * (gates·hidden, in). Shapes are channels-first; a module declares its own input size (in_features,
 * in_channels), so fans never depend on the layer before.
 */
import { type SDim, type SShape, divDim, isKnown, mulDim } from '../dims';
import { torchConvLength, torchConvTransposeLength, torchFlattenShape } from '../shapes';
import { TORCH_XAVIER_NORMAL, TORCH_XAVIER_UNIFORM, TORCH_ZEROS, type NamedInitializer } from '../initializers';
import { ArgReader, dimOf, dimsOf, numberOf, repeatedDims, stringOf, valueText } from '../values';
import { boolArg, numberArg, passThrough, sizeArg, definitionIn } from './common';
import type { LayerAnalysis, LayerDefinition, WeightDef } from './types';

const SIGNATURES = {
  linear: ['in_features', 'out_features', 'bias'],
  conv: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode'],
  conv_transpose: ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias', 'dilation'],
  embedding: ['num_embeddings', 'embedding_dim', 'padding_idx'],
  embedding_bag: ['num_embeddings', 'embedding_dim', 'max_norm', 'norm_type', 'scale_grad_by_freq', 'mode'],
  // nn.RNN takes nonlinearity as its 4th positional argument; LSTM and GRU do not have it.
  rnn: ['input_size', 'hidden_size', 'num_layers', 'nonlinearity', 'bias', 'batch_first', 'dropout', 'bidirectional'],
  gated_rnn: ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size'],
  cell: ['input_size', 'hidden_size', 'bias', 'nonlinearity'],
  batch_norm: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
  layer_norm: ['normalized_shape', 'eps', 'elementwise_affine'],
  group_norm: ['num_groups', 'num_channels', 'eps', 'affine'],
  instance_norm: ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats'],
  multihead_attention: ['embed_dim', 'num_heads', 'dropout', 'bias', 'add_bias_kv', 'add_zero_attn', 'kdim', 'vdim', 'batch_first'],
  bilinear: ['in1_features', 'in2_features', 'out_features', 'bias'],
  max_pool: ['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'],
  avg_pool: ['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad', 'divisor_override'],
  adaptive_pool: ['output_size'],
  flatten: ['start_dim', 'end_dim'],
  prelu: ['num_parameters', 'init'],
  leaky_relu: ['negative_slope', 'inplace'],
  zero_pad: ['padding'],
};

function withBias(weights: WeightDef[], useBias: boolean, size: SDim): WeightDef[] {
  return useBias ? [...weights, { name: 'bias', role: 'bias', shape: [size], fansOf: 'weight' }] : weights;
}

/** The input to a module: the shape flowing in when known, otherwise what the module declares (batch, C, ?…). */
function declaredInput(flowing: SShape, channels: SDim, rank: number): SShape {
  if (flowing && flowing.length === rank + 2) return [flowing[0], channels, ...flowing.slice(2)];
  return [null, channels, ...new Array<SDim>(rank).fill(null)];
}

/** Linear(in_features, out_features, bias=True): weight (out, in), bias (out). */
const linear: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.linear);
  const inFeatures = sizeArg(args, 'in_features');
  const outFeatures = sizeArg(args, 'out_features');
  const useBias = boolArg(args, 'bias', true);
  const flowing = inputs[0] ?? null;
  const inputShape = flowing && flowing.length >= 2 ? [...flowing.slice(0, -1), inFeatures] : [null, inFeatures];
  return {
    kind: 'dense',
    config: { inFeatures, outFeatures, useBias },
    inputShape,
    outputShape: [...inputShape.slice(0, -1), outFeatures],
    weights: withBias([{ name: 'weight', role: 'kernel', shape: [outFeatures, inFeatures] }], useBias, outFeatures),
    activation: null,
    notes: [],
  };
};

/** Kernel, stride, padding and dilation of a conv-like module, as `rank` dims; padding may be 'same'/'valid'. */
function convGeometry(args: ArgReader, rank: number) {
  const kernelSize = repeatedDims(args.value('kernel_size'), rank, 1);
  const stride = repeatedDims(args.value('stride'), rank, 1);
  const dilation = repeatedDims(args.value('dilation'), rank, 1);
  const paddingText = stringOf(args.value('padding'));
  const padding = paddingText === undefined ? repeatedDims(args.value('padding'), rank, 0) : new Array<SDim>(rank).fill(0);
  return { kernelSize, stride, dilation, padding, paddingMode: paddingText === 'same' ? 'same' : 'explicit' };
}

/** Conv{1,2,3}d: weight (out, in/groups, k…), bias (out). */
function conv(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.conv);
    const inChannels = sizeArg(args, 'in_channels');
    const outChannels = sizeArg(args, 'out_channels');
    const groups = numberArg(args, 'groups', 1);
    const useBias = boolArg(args, 'bias', true);
    const g = convGeometry(args, rank);
    const input = declaredInput(inputs[0] ?? null, inChannels, rank);
    const spatial = (input ?? []).slice(2).map((n, i) =>
      g.paddingMode === 'same' ? n : torchConvLength(n, g.kernelSize[i], g.stride[i], g.padding[i], g.dilation[i]));
    return {
      kind: 'conv',
      config: { rank, inChannels, outChannels, kernelSize: g.kernelSize, stride: g.stride, padding: g.paddingMode === 'same' ? 'same' : g.padding, dilation: g.dilation, groups, useBias },
      inputShape: input,
      outputShape: [input?.[0] ?? null, outChannels, ...spatial],
      weights: withBias([{ name: 'weight', role: 'kernel', shape: [outChannels, divDim(inChannels, groups), ...g.kernelSize] }], useBias, outChannels),
      activation: null,
      notes: [],
    };
  };
}

/** ConvTranspose{1,2,3}d: weight (in, out/groups, k…), bias (out). */
function convTranspose(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.conv_transpose);
    const inChannels = sizeArg(args, 'in_channels');
    const outChannels = sizeArg(args, 'out_channels');
    const groups = numberArg(args, 'groups', 1);
    const useBias = boolArg(args, 'bias', true);
    const g = convGeometry(args, rank);
    const outputPadding = repeatedDims(args.value('output_padding'), rank, 0);
    const input = declaredInput(inputs[0] ?? null, inChannels, rank);
    const spatial = (input ?? []).slice(2).map((n, i) => torchConvTransposeLength(n, g.kernelSize[i], g.stride[i], g.padding[i], g.dilation[i], outputPadding[i]));
    return {
      kind: 'conv_transpose',
      config: { rank, inChannels, outChannels, kernelSize: g.kernelSize, stride: g.stride, padding: g.padding, outputPadding, dilation: g.dilation, groups, useBias },
      inputShape: input,
      outputShape: [input?.[0] ?? null, outChannels, ...spatial],
      weights: withBias([{ name: 'weight', role: 'kernel', shape: [inChannels, divDim(outChannels, groups), ...g.kernelSize] }], useBias, outChannels),
      activation: null,
      notes: [],
    };
  };
}

/** Embedding(num_embeddings, embedding_dim): weight (num, dim); output appends dim. */
const embedding: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.embedding);
  const count = sizeArg(args, 'num_embeddings');
  const dim = sizeArg(args, 'embedding_dim');
  const input = inputs[0] ?? [null, null];
  return {
    kind: 'embedding', config: { numEmbeddings: count, embeddingDim: dim }, inputShape: input, outputShape: [...input, dim],
    weights: [{ name: 'weight', role: 'embeddings', shape: [count, dim] }], activation: null, notes: [],
  };
};

/** EmbeddingBag(num_embeddings, embedding_dim): weight (num, dim) like Embedding's; one pooled vector per bag. */
const embeddingBag: LayerDefinition = ({ args: raw }) => {
  const args = new ArgReader(raw, SIGNATURES.embedding_bag);
  const count = sizeArg(args, 'num_embeddings');
  const dim = sizeArg(args, 'embedding_dim');
  return {
    kind: 'embedding', config: { numEmbeddings: count, embeddingDim: dim, bag: true }, inputShape: [null, null], outputShape: [null, dim],
    weights: [{ name: 'weight', role: 'embeddings', shape: [count, dim] }], activation: null, notes: [],
  };
};

/**
 * RNN / LSTM / GRU (gates g = 1, 4, 3): per layer l and direction, weight_ih_l{l} (g·hidden, in_l),
 * weight_hh_l{l} (g·hidden, h), bias_ih_l{l}, bias_hh_l{l} (g·hidden), and for an LSTM with proj_size p > 0
 * weight_hr_l{l} (p, hidden); h = p when projected, else hidden; in_0 = input_size, in_l = h·directions; reverse
 * direction names end in `_reverse`.
 */
/** More stacked recurrent layers than any real model has: beyond it num_layers is treated as unknown. */
const MAX_STACKED_LAYERS = 1000;

function recurrent(gates: 1 | 3 | 4): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, gates === 1 ? SIGNATURES.rnn : SIGNATURES.gated_rnn);
    const inputSize = sizeArg(args, 'input_size');
    const hidden = sizeArg(args, 'hidden_size');
    const layersValue = args.value('num_layers');
    // A stack depth is a whole number; an absurd one (0, -1, 2.5, 1e308) is left unknown, not looped over.
    const written = layersValue?.kind === 'number' ? layersValue.value : undefined;
    const usable = written !== undefined && Number.isInteger(written) && written >= 1 && written <= MAX_STACKED_LAYERS;
    const numLayers = usable ? written : layersValue ? null : 1;
    const useBias = boolArg(args, 'bias', true);
    const batchFirst = boolArg(args, 'batch_first', false);
    const directions = boolArg(args, 'bidirectional', false) ? 2 : 1;
    const stacked = mulDim(hidden, gates);
    const notes: string[] = [];
    // Only LSTM projects its hidden state (PyTorch refuses proj_size for RNN and GRU).
    const projection = gates === 4 && args.has('proj_size') ? sizeArg(args, 'proj_size') : 0;
    const projected = projection !== 0;
    const state = projected ? projection : hidden;
    if (gates !== 4 && numberArg(args, 'proj_size', 0) !== 0) notes.push('proj_size is only supported by nn.LSTM: PyTorch refuses this module');
    const weights: WeightDef[] = [];
    if (numLayers === null && written !== undefined) notes.push(`num_layers = ${written} is not a usable layer count: only the first layer's parameters are listed`);
    else if (numLayers === null) notes.push('num_layers is symbolic: only the first layer\'s parameters are listed');
    for (let layer = 0; layer < (numLayers ?? 1); layer++) {
      const layerInput = layer === 0 ? inputSize : mulDim(state, directions);
      for (let direction = 0; direction < directions; direction++) {
        const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
        weights.push({ name: `weight_ih${suffix}`, role: 'kernel', shape: [stacked, layerInput] });
        weights.push({ name: `weight_hh${suffix}`, role: 'recurrent_kernel', shape: [stacked, state] });
        if (useBias) {
          weights.push({ name: `bias_ih${suffix}`, role: 'bias', shape: [stacked] });
          weights.push({ name: `bias_hh${suffix}`, role: 'bias', shape: [stacked] });
        }
        if (projected) weights.push({ name: `weight_hr${suffix}`, role: 'kernel', shape: [projection, hidden] });
      }
    }
    const flowing = inputs[0] ?? null;
    const sequence = flowing && flowing.length === 3 ? [...flowing.slice(0, 2), inputSize] : [null, null, inputSize];
    const nonlinearity = gates === 1 ? stringOf(args.value('nonlinearity')) ?? 'tanh' : 'tanh';
    return {
      kind: 'rnn',
      config: {
        cell: gates === 1 ? 'rnn' : gates === 4 ? 'lstm' : 'gru', inputSize, hiddenSize: hidden, numLayers, useBias, batchFirst,
        bidirectional: directions === 2, ...(projected ? { projSize: projection } : {}),
      },
      inputShape: sequence,
      outputShape: [sequence[0], sequence[1], mulDim(state, directions)],
      weights,
      activation: nonlinearity,
      notes,
      hiddenSize: hidden,
    };
  };
}

/** RNNCell / LSTMCell / GRUCell: weight_ih (g·hidden, in), weight_hh (g·hidden, hidden), bias_ih, bias_hh. */
function recurrentCell(gates: 1 | 3 | 4): LayerDefinition {
  return ({ args: raw }) => {
    const args = new ArgReader(raw, SIGNATURES.cell);
    const inputSize = sizeArg(args, 'input_size');
    const hidden = sizeArg(args, 'hidden_size');
    const stacked = mulDim(hidden, gates);
    const useBias = boolArg(args, 'bias', true);
    const weights: WeightDef[] = [
      { name: 'weight_ih', role: 'kernel', shape: [stacked, inputSize] },
      { name: 'weight_hh', role: 'recurrent_kernel', shape: [stacked, hidden] },
    ];
    if (useBias) weights.push({ name: 'bias_ih', role: 'bias', shape: [stacked] }, { name: 'bias_hh', role: 'bias', shape: [stacked] });
    return {
      kind: 'rnn', config: { cell: 'cell', inputSize, hiddenSize: hidden, useBias }, inputShape: [null, inputSize], outputShape: [null, hidden],
      weights, activation: gates === 1 ? stringOf(args.value('nonlinearity')) ?? 'tanh' : 'tanh', notes: [], hiddenSize: hidden,
    };
  };
}

/** BatchNorm{1,2,3}d(num_features, affine=True): parameters weight and bias (running stats are buffers, not parameters). */
const batchNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.batch_norm);
  const features = sizeArg(args, 'num_features');
  const affine = boolArg(args, 'affine', true);
  const weights: WeightDef[] = affine
    ? [{ name: 'weight', role: 'gamma', shape: [features] }, { name: 'bias', role: 'beta', shape: [features] }] : [];
  const input = inputs[0] ?? null;
  return { kind: 'batch_norm', config: { numFeatures: features, affine }, inputShape: input, outputShape: input, weights, activation: null, notes: [] };
};

/** LayerNorm(normalized_shape, elementwise_affine=True): weight and bias of normalized_shape. */
const layerNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.layer_norm);
  const shape = dimsOf(args.value('normalized_shape')) ?? [null];
  const affine = boolArg(args, 'elementwise_affine', true);
  const weights: WeightDef[] = affine ? [{ name: 'weight', role: 'gamma', shape }, { name: 'bias', role: 'beta', shape: [...shape] }] : [];
  const input = inputs[0] ?? null;
  return { kind: 'layer_norm', config: { normalizedShape: shape, affine }, inputShape: input, outputShape: input, weights, activation: null, notes: [] };
};

/** GroupNorm(num_groups, num_channels, affine=True): weight and bias (C). */
const groupNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.group_norm);
  const channels = sizeArg(args, 'num_channels');
  const affine = boolArg(args, 'affine', true);
  const weights: WeightDef[] = affine ? [{ name: 'weight', role: 'gamma', shape: [channels] }, { name: 'bias', role: 'beta', shape: [channels] }] : [];
  const input = inputs[0] ?? null;
  return { kind: 'group_norm', config: { numChannels: channels, affine }, inputShape: input, outputShape: input, weights, activation: null, notes: [] };
};

/** InstanceNorm{1,2,3}d(num_features, affine=False): weight and bias (C) only with affine=True; running stats are buffers. */
const instanceNorm: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.instance_norm);
  const features = sizeArg(args, 'num_features');
  const affine = boolArg(args, 'affine', false);
  const weights: WeightDef[] = affine ? [{ name: 'weight', role: 'gamma', shape: [features] }, { name: 'bias', role: 'beta', shape: [features] }] : [];
  const input = inputs[0] ?? null;
  return { kind: 'instance_norm', config: { numFeatures: features, affine }, inputShape: input, outputShape: input, weights, activation: null, notes: [] };
};

/** LocalResponseNorm(size): no parameters, shape unchanged. */
const localResponseNorm: LayerDefinition = ({ inputs }) => passThrough('local_response_norm', inputs[0] ?? null);

/**
 * MultiheadAttention(embed_dim, num_heads, bias=True, add_bias_kv=False, kdim=None, vdim=None), in the order
 * PyTorch registers the parameters: in_proj_weight (3E, E), or q/k/v_proj_weight (E, E|kdim|vdim) when kdim or vdim
 * differs from E, all xavier_uniform_; in_proj_bias (3E) zeros; bias_k, bias_v (1, 1, E) xavier_normal_; then the
 * out_proj Linear: weight (E, E) with Linear's default, bias (E) zeros (_reset_parameters overwrites it).
 */
const multiheadAttention: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.multihead_attention);
  const embed = sizeArg(args, 'embed_dim');
  const useBias = boolArg(args, 'bias', true);
  const biasKv = boolArg(args, 'add_bias_kv', false);
  const sideDim = (name: string): SDim => (args.value(name) === undefined || args.value(name)?.kind === 'none' ? embed : sizeArg(args, name));
  const kdim = sideDim('kdim');
  const vdim = sideDim('vdim');
  const notes: string[] = [];
  const known = (d: SDim) => isKnown(d) || typeof d === 'string';
  if (!known(embed) || !known(kdim) || !known(vdim)) notes.push('embed_dim, kdim or vdim is unknown: whether q, k, v share one in_proj_weight is assumed from the written text');
  const weights: WeightDef[] = kdim === embed && vdim === embed
    ? [{ name: 'in_proj_weight', role: 'kernel', shape: [mulDim(embed, 3), embed], init: TORCH_XAVIER_UNIFORM }]
    : [
      { name: 'q_proj_weight', role: 'kernel', shape: [embed, embed], init: TORCH_XAVIER_UNIFORM },
      { name: 'k_proj_weight', role: 'kernel', shape: [embed, kdim], init: TORCH_XAVIER_UNIFORM },
      { name: 'v_proj_weight', role: 'kernel', shape: [embed, vdim], init: TORCH_XAVIER_UNIFORM },
    ];
  if (useBias) weights.push({ name: 'in_proj_bias', role: 'bias', shape: [mulDim(embed, 3)], init: TORCH_ZEROS });
  if (biasKv) {
    weights.push({ name: 'bias_k', role: 'bias', shape: [1, 1, embed], init: TORCH_XAVIER_NORMAL }, { name: 'bias_v', role: 'bias', shape: [1, 1, embed], init: TORCH_XAVIER_NORMAL });
  }
  weights.push({ name: 'out_proj.weight', role: 'kernel', shape: [embed, embed] });
  if (useBias) weights.push({ name: 'out_proj.bias', role: 'bias', shape: [embed], init: TORCH_ZEROS });
  const flowing = inputs[0] ?? null;
  const input = flowing && flowing.length === 3 ? [flowing[0], flowing[1], embed] : [null, null, embed];
  return {
    kind: 'attention', config: { embedDim: embed, numHeads: sizeArg(args, 'num_heads'), useBias, addBiasKv: biasKv, kdim, vdim },
    inputShape: input, outputShape: input, weights, activation: null, notes,
  };
};

/** Bilinear(in1_features, in2_features, out_features): weight (out, in1, in2), bias (out), both U(±1/√in1) (reset_parameters). */
const bilinear: LayerDefinition = ({ args: raw }) => {
  const args = new ArgReader(raw, SIGNATURES.bilinear);
  const in1 = sizeArg(args, 'in1_features');
  const in2 = sizeArg(args, 'in2_features');
  const out = sizeArg(args, 'out_features');
  const useBias = boolArg(args, 'bias', true);
  // The bound uses weight.size(1) = in1 only, not the fan_in in1·in2 that kaiming_uniform_ would use.
  const init: NamedInitializer = { name: 'uniform_(±1/sqrt(in1_features))', spec: { kind: 'uniform_inverse_sqrt', of: in1 } };
  const weights: WeightDef[] = [{ name: 'weight', role: 'kernel', shape: [out, in1, in2], init }];
  if (useBias) weights.push({ name: 'bias', role: 'bias', shape: [out], init });
  return {
    kind: 'bilinear', config: { in1Features: in1, in2Features: in2, outFeatures: out, useBias },
    inputShape: [null, in1], outputShape: [null, out], weights, activation: null, notes: [],
  };
};

/** MaxPool / AvgPool: stride defaults to kernel_size; ceil_mode rounds up. */
function pool(rank: number, kind: 'max' | 'avg'): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, kind === 'max' ? SIGNATURES.max_pool : SIGNATURES.avg_pool);
    const kernelSize = repeatedDims(args.value('kernel_size'), rank, 1);
    const stride = args.has('stride') ? repeatedDims(args.value('stride'), rank, 1) : kernelSize;
    const padding = repeatedDims(args.value('padding'), rank, 0);
    const dilation = kind === 'max' ? repeatedDims(args.value('dilation'), rank, 1) : new Array<SDim>(rank).fill(1);
    const ceilMode = boolArg(args, 'ceil_mode', false);
    const input = inputs[0] ?? null;
    const outputShape = input && input.length === rank + 2
      ? [input[0], input[1], ...input.slice(2).map((n, i) => torchConvLength(n, kernelSize[i], stride[i], padding[i], dilation[i], ceilMode))]
      : null;
    return { kind: 'pool', config: { rank, pool: kind, kernelSize, stride, padding, dilation, ceilMode }, inputShape: input, outputShape, weights: [], activation: null, notes: [] };
  };
}

/** AdaptiveAvgPool / AdaptiveMaxPool(output_size): spatial dims become output_size (None keeps the input's). */
function adaptivePool(rank: number, kind: 'max' | 'avg'): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.adaptive_pool);
    const value = args.value('output_size');
    const sizes: SDim[] = value?.kind === 'list' ? value.items.map((v) => (v.kind === 'none' ? -1 : dimOf(v))) : new Array<SDim>(rank).fill(dimOf(value));
    const input = inputs[0] ?? null;
    const batchAndChannels = input && input.length === rank + 2 ? input.slice(0, 2) : [null, null];
    const spatial = sizes.map((s, i) => (s === -1 ? (input && input.length === rank + 2 ? input[2 + i] : null) : s));
    return { kind: 'adaptive_pool', config: { rank, pool: kind, outputSize: sizes }, inputShape: input, outputShape: [...batchAndChannels, ...spatial], weights: [], activation: null, notes: [] };
  };
}

const flatten: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.flatten);
  const start = numberArg(args, 'start_dim', 1);
  const end = numberArg(args, 'end_dim', -1);
  const input = inputs[0] ?? null;
  return { kind: 'flatten', config: { startDim: start, endDim: end }, inputShape: input, outputShape: torchFlattenShape(input, start, end), weights: [], activation: null, notes: [] };
};

/** ZeroPad{1,2,3}d(padding): int, or (left, right[, top, bottom[, front, back]]) from the last dim backwards. */
function zeroPad(rank: number): LayerDefinition {
  return ({ args: raw, inputs }) => {
    const args = new ArgReader(raw, SIGNATURES.zero_pad);
    const pads = dimsOf(args.value('padding')) ?? [0];
    const all = pads.length === 1 ? new Array<SDim>(2 * rank).fill(pads[0]) : pads;
    const input = inputs[0] ?? null;
    let outputShape: SShape = null;
    if (input && input.length === rank + 2) {
      outputShape = [...input];
      for (let i = 0; i < rank; i++) {
        const axis = input.length - 1 - i;
        const before = all[2 * i];
        const after = all[2 * i + 1];
        const n = input[axis];
        outputShape[axis] = isKnown(n) && isKnown(before) && isKnown(after) ? n + before + after : null;
      }
    }
    return { kind: 'zero_padding', config: { rank, padding: all }, inputShape: input, outputShape, weights: [], activation: null, notes: [] };
  };
}

/** Activation modules: no parameters (except PReLU's weight), shape unchanged. */
function activation(name: string): LayerDefinition {
  return ({ inputs }) => passThrough('activation', inputs[0] ?? null, { activation: name }, name);
}

/** PReLU(num_parameters=1, init=0.25): one parameter `weight` (num_parameters), filled with `init`. */
const prelu: LayerDefinition = ({ args: raw, inputs }) => {
  const args = new ArgReader(raw, SIGNATURES.prelu);
  const count = sizeArg(args, 'num_parameters') ?? 1;
  const written = args.value('init');
  const value = written === undefined ? 0.25 : numberOf(written);
  // An init the reader cannot evaluate is shown as written, with no value: never the 0.25 default in its place.
  const init: NamedInitializer = value === undefined
    ? { name: `constant_(${written ? valueText(written) : 'init'})`, spec: { kind: 'unknown' } }
    : { name: `constant_(${value})`, spec: { kind: 'constant', value } };
  const input = inputs[0] ?? null;
  return {
    kind: 'prelu', config: { numParameters: count, init: value ?? null }, inputShape: input, outputShape: input,
    weights: [{ name: 'weight', role: 'alpha', shape: [count], init }], activation: 'prelu', notes: [],
  };
};

const dropout: LayerDefinition = ({ inputs }) => passThrough('dropout', inputs[0] ?? null);

const ACTIVATIONS: Record<string, string> = {
  relu: 'relu', relu6: 'relu6', leakyrelu: 'leaky_relu', tanh: 'tanh', sigmoid: 'sigmoid', gelu: 'gelu', elu: 'elu', selu: 'selu',
  celu: 'celu', silu: 'silu', mish: 'mish', softmax: 'softmax', logsoftmax: 'log_softmax', softplus: 'softplus', softsign: 'softsign',
  hardtanh: 'hardtanh', hardswish: 'hardswish', hardsigmoid: 'hardsigmoid', tanhshrink: 'tanhshrink',
};

const DEFINITIONS: Record<string, LayerDefinition> = {
  linear: linear,
  conv1d: conv(1), conv2d: conv(2), conv3d: conv(3),
  convtranspose1d: convTranspose(1), convtranspose2d: convTranspose(2), convtranspose3d: convTranspose(3),
  embedding: embedding, embeddingbag: embeddingBag,
  rnn: recurrent(1), lstm: recurrent(4), gru: recurrent(3),
  rnncell: recurrentCell(1), lstmcell: recurrentCell(4), grucell: recurrentCell(3),
  batchnorm1d: batchNorm, batchnorm2d: batchNorm, batchnorm3d: batchNorm,
  layernorm: layerNorm, groupnorm: groupNorm,
  instancenorm1d: instanceNorm, instancenorm2d: instanceNorm, instancenorm3d: instanceNorm,
  localresponsenorm: localResponseNorm,
  multiheadattention: multiheadAttention,
  bilinear: bilinear,
  maxpool1d: pool(1, 'max'), maxpool2d: pool(2, 'max'), maxpool3d: pool(3, 'max'),
  avgpool1d: pool(1, 'avg'), avgpool2d: pool(2, 'avg'), avgpool3d: pool(3, 'avg'),
  adaptiveavgpool1d: adaptivePool(1, 'avg'), adaptiveavgpool2d: adaptivePool(2, 'avg'), adaptiveavgpool3d: adaptivePool(3, 'avg'),
  adaptivemaxpool1d: adaptivePool(1, 'max'), adaptivemaxpool2d: adaptivePool(2, 'max'), adaptivemaxpool3d: adaptivePool(3, 'max'),
  flatten: flatten,
  dropout: dropout, dropout1d: dropout, dropout2d: dropout, dropout3d: dropout, alphadropout: dropout, identity: dropout,
  zeropad1d: zeroPad(1), zeropad2d: zeroPad(2), zeropad3d: zeroPad(3),
  prelu: prelu,
  ...Object.fromEntries(Object.entries(ACTIVATIONS).map(([key, name]) => [key, activation(name)])),
};

/** The PyTorch definition of a module type, or undefined for modules the engine does not know. */
export function torchLayerDefinition(type: string): LayerDefinition | undefined {
  return definitionIn(DEFINITIONS, type);
}

export function unknownTorchLayer(type: string): LayerAnalysis {
  return { kind: 'unknown', config: {}, inputShape: null, outputShape: null, weights: [], activation: null, notes: [`module type ${type} is not analysed`] };
}

