/**
 * A network built straight from a ModelSpec as TF.js variables plus a forward function, instead of a
 * tf.LayersModel: the hand-written training step needs the forward pass as one function of the weights
 * (fused matMul + bias + relu kernels, logits for a stable softmax cross-entropy), and the per-layer
 * statistics need the pre-activations, which a LayersModel hides.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationChoice, InitializerId, ModelSpec, TrainableLayerSpec } from '../../src/protocol';
import { makeInitializer } from './initializers';
import { LayerTrace, releaseAbandonedTape } from './failures';
import { deriveSeed } from './random';

export const INPUT_SHAPE: [number, number, number] = [28, 28, 1];
export const NUM_CLASSES = 10;

/** One layer that has weights (dense or conv2d), plus the shape-only layers that precede it. */
export interface ParamLayer {
  name: string;
  kind: 'dense' | 'conv2d';
  activation: string;
  /** Output units (dense) or channels (conv2d). */
  units: number;
  kernel: tf.Variable;
  bias: tf.Variable;
  strides?: [number, number];
  padding?: 'valid' | 'same';
}

type Step = { label: string } & (
  | { op: 'flatten' }
  | { op: 'param'; index: number }
  | { op: 'pool'; kind: 'max' | 'avg'; poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }
  | { op: 'dropout'; rate: number }
);

export interface Network {
  layers: ParamLayer[];
  steps: Step[];
  /** Input layout the forward pass expects: flat [batch, 784] for MLPs, NHWC for CNNs. */
  inputRank: 2 | 4;
  variables: tf.Variable[];
  dispose(): void;
}

/** Weights of a network as plain tensors (variables, or stand-ins that tf.grads differentiates with respect to). */
export interface Weights {
  kernels: tf.Tensor[];
  biases: tf.Tensor[];
}

/** A trainable zeros variable; the zeros tensor it starts from is released (a variable keeps its own reference). */
function zerosVariable(shape: number[], name: string): tf.Variable {
  const zeros = tf.zeros(shape);
  const v = tf.variable(zeros, true, name);
  zeros.dispose();
  return v;
}

function asPair(v: number | [number, number] | undefined, fallback: number): [number, number] {
  if (v === undefined) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : v;
}

/** The activation a parametric layer gets: the model's own, or the override for hidden layers (never the output). */
function chosenActivation(layer: TrainableLayerSpec, isOutput: boolean, override: ActivationChoice): string {
  if (isOutput) return 'linear'; // the output is treated as logits; softmax lives in the loss
  if (override !== 'model') return override;
  return layer.activation ?? 'linear';
}

function outputSize(inSize: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(inSize / s) : Math.floor((inSize - k) / s) + 1;
}

/** Builds the variables of `spec` with `initializer` for every kernel and zeros for every bias. */
export function buildNetwork(spec: ModelSpec, initializer: InitializerId, activation: ActivationChoice, seed: number, tag: string): Network {
  const lastParam = spec.layers.map((l) => l.type === 'dense' || l.type === 'conv2d').lastIndexOf(true);
  if (lastParam < 0) throw new Error(`model ${spec.label}: no dense or conv2d layer to train`);
  let shape: number[] = [...INPUT_SHAPE];
  const steps: Step[] = [];
  const layers: ParamLayer[] = [];
  const inputRank: 2 | 4 = spec.layers.some((l) => l.type === 'conv2d' || l.type === 'maxPooling2d' || l.type === 'averagePooling2d') ? 4 : 2;
  if (inputRank === 2) shape = [INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2]];
  try {
    spec.layers.forEach((layer, i) => {
      const name = `${layer.type}_${i}`;
      const label = `layer ${name}${layer.source ? ` (${layer.source})` : ''}`;
      switch (layer.type) {
        case 'flatten':
          shape = [shape.reduce((a, b) => a * b, 1)];
          steps.push({ op: 'flatten', label });
          return;
        case 'dropout':
          steps.push({ op: 'dropout', rate: layer.rate ?? 0.5, label });
          return;
        case 'maxPooling2d':
        case 'averagePooling2d': {
          if (shape.length !== 3) throw new Error(`${label}: pooling needs an image input, got shape [${shape}]`);
          const poolSize = asPair(layer.poolSize, 2);
          const strides = asPair(layer.strides ?? layer.poolSize, 2);
          const padding = layer.padding ?? 'valid';
          shape = [outputSize(shape[0], poolSize[0], strides[0], padding), outputSize(shape[1], poolSize[1], strides[1], padding), shape[2]];
          steps.push({ op: 'pool', kind: layer.type === 'maxPooling2d' ? 'max' : 'avg', poolSize, strides, padding, label });
          return;
        }
        case 'dense':
        case 'conv2d': {
          const index = layers.length;
          const layerSeed = deriveSeed(seed, 1000 + index);
          const init = makeInitializer(initializer, layerSeed);
          const act = chosenActivation(layer, i === lastParam, activation);
          if (layer.type === 'dense') {
            if (shape.length !== 1) throw new Error(`${label}: a dense layer needs a flat input; add a Flatten before it (input shape [${shape}])`);
            const units = layer.units ?? 0;
            if (!(units > 0)) throw new Error(`${label}: units must be a positive number`);
            const kernel = tf.tidy(() => init.apply([shape[0], units], 'float32'));
            layers.push({
              name, kind: 'dense', activation: act, units,
              kernel: tf.variable(kernel, true, `${tag}/${name}/kernel`),
              bias: zerosVariable([units], `${tag}/${name}/bias`),
            });
            kernel.dispose();
            shape = [units];
          } else {
            if (shape.length !== 3) throw new Error(`${label}: conv2d needs an image input, got shape [${shape}]`);
            const filters = layer.filters ?? 0;
            if (!(filters > 0)) throw new Error(`${label}: filters must be a positive number`);
            const [kh, kw] = asPair(layer.kernelSize, 3);
            const strides = asPair(layer.strides, 1);
            const padding = layer.padding ?? 'valid';
            const kernel = tf.tidy(() => init.apply([kh, kw, shape[2], filters], 'float32'));
            layers.push({
              name, kind: 'conv2d', activation: act, units: filters, strides, padding,
              kernel: tf.variable(kernel, true, `${tag}/${name}/kernel`),
              bias: zerosVariable([filters], `${tag}/${name}/bias`),
            });
            kernel.dispose();
            shape = [outputSize(shape[0], kh, strides[0], padding), outputSize(shape[1], kw, strides[1], padding), filters];
            if (shape[0] <= 0 || shape[1] <= 0) throw new Error(`${label}: the image shrinks to nothing (output [${shape}])`);
          }
          steps.push({ op: 'param', index, label });
          return;
        }
      }
    });
    const out = layers[layers.length - 1];
    if (out.kind !== 'dense' || out.units !== NUM_CLASSES || shape.length !== 1) {
      throw new Error(`model ${spec.label}: the last layer must be dense with ${NUM_CLASSES} units`);
    }
  } catch (err) {
    for (const l of layers) {
      l.kernel.dispose();
      l.bias.dispose();
    }
    throw err;
  }
  const variables = layers.flatMap((l) => [l.kernel, l.bias]);
  return {
    layers, steps, inputRank, variables,
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

export function weightsOf(net: Network): Weights {
  return { kernels: net.layers.map((l) => l.kernel), biases: net.layers.map((l) => l.bias) };
}

/** Activations whose derivative the hand-written dense gradient below expresses through the layer's output y. */
const DENSE_FAST_ACTIVATIONS = new Set(['linear', 'relu', 'tanh', 'sigmoid']);

/** dL/dz from dL/dy and the output y = act(z): relu y>0, tanh 1 − y², sigmoid y(1 − y). */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'relu': return tf.mul(dy, tf.step(y));
    case 'tanh': return tf.mul(dy, tf.sub(1, tf.square(y)));
    case 'sigmoid': return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    default: return dy;
  }
}

/**
 * y = act(x·W + b) with a hand-written gradient. Why: on the WASM backend a matMul with a transposed operand
 * (what TF.js's own matMul gradient uses for dW = xᵀ·dz and dx = dz·Wᵀ) measured ≈4× slower than an explicit
 * tf.transpose followed by a plain matMul. `inputNeedsGrad` false (the first layer, fed with data) skips dx.
 */
function denseFast(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: string, inputNeedsGrad: boolean): tf.Tensor2D {
  const act = activation as 'relu' | 'linear';
  const fusedAct = activation === 'relu' || activation === 'linear';
  const value = (a: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D => {
    const z = tf.fused.matMul({ a, b: w, bias: b, activation: fusedAct ? act : 'linear' });
    return (fusedAct ? z : activate(z, activation)) as tf.Tensor2D;
  };
  const grads = (dy: tf.Tensor2D, a: tf.Tensor2D, w: tf.Tensor2D, y: tf.Tensor2D): { dx?: tf.Tensor2D; dW: tf.Tensor2D; db: tf.Tensor1D } => {
    const dz = activationGrad(dy, y, activation) as tf.Tensor2D;
    return {
      dx: inputNeedsGrad ? (tf.matMul(dz, tf.transpose(w)) as tf.Tensor2D) : undefined,
      dW: tf.matMul(tf.transpose(a), dz),
      db: tf.sum(dz, 0) as tf.Tensor1D,
    };
  };
  // The first layer's input is data, not an argument of the op: its gradient is then neither asked for nor made.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [a, w, b] = (inputNeedsGrad ? args : [x, ...args]) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const y = value(a, w, b);
    save([a, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = grads(dy as tf.Tensor2D, saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D, saved[2] as tf.Tensor2D);
        return inputNeedsGrad ? [g.dx!, g.dW, g.db] : [g.dW, g.db];
      },
    };
  });
  return (inputNeedsGrad ? op(x, kernel, bias) : op(kernel, bias)) as tf.Tensor2D;
}

function activate(z: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'relu': return tf.relu(z);
    case 'tanh': return tf.tanh(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'elu': return tf.elu(z);
    case 'selu': return tf.selu(z);
    case 'relu6': return tf.relu6(z);
    case 'softplus': return tf.softplus(z);
    case 'softmax': return tf.softmax(z);
    case 'linear': return z;
    default: throw new Error(`activation '${activation}' is not supported`);
  }
}

export interface ForwardOptions {
  training: boolean;
  /** Seed for dropout masks (varies per step). */
  dropoutSeed?: number;
  /** Added to each parametric layer's pre-activation: zeros whose gradient is dL/dz of that layer (probe only). */
  perturb?: tf.Tensor[];
  /** Filled with each parametric layer's activation output (probe only). */
  record?: tf.Tensor[];
  /** Told which layer runs, and marks each layer's output so that the backward pass says so too (errors name the layer). */
  trace?: LayerTrace;
}

/** Logits for a batch `x` ([b, 784] or [b, 28, 28, 1]). Fused kernels on the fast path (no perturb/record). */
export function forward(net: Network, w: Weights, x: tf.Tensor, opts: ForwardOptions): tf.Tensor2D {
  let h: tf.Tensor = net.inputRank === 4 && x.rank === 2 ? tf.reshape(x, [-1, ...INPUT_SHAPE]) : x;
  let dropoutIndex = 0;
  for (const step of net.steps) {
    opts.trace?.enter(step.label, 'forward pass');
    switch (step.op) {
      case 'flatten':
        h = tf.reshape(h, [h.shape[0], -1]);
        break;
      case 'dropout':
        if (opts.training && step.rate > 0) h = tf.dropout(h, step.rate, undefined, (opts.dropoutSeed ?? 0) + dropoutIndex++);
        break;
      case 'pool':
        h = step.kind === 'max'
          ? tf.maxPool(h as tf.Tensor4D, step.poolSize, step.strides, step.padding)
          : tf.avgPool(h as tf.Tensor4D, step.poolSize, step.strides, step.padding);
        break;
      case 'param': {
        const layer = net.layers[step.index];
        const kernel = w.kernels[step.index];
        const bias = w.biases[step.index];
        const fusable = !opts.perturb && !opts.record && (layer.activation === 'relu' || layer.activation === 'linear');
        if (layer.kind === 'dense') {
          if (opts.training && !opts.perturb && !opts.record && DENSE_FAST_ACTIVATIONS.has(layer.activation)) {
            h = denseFast(h as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D, layer.activation, h !== x);
            break;
          }
          if (fusable) {
            h = tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel as tf.Tensor2D, bias, activation: layer.activation as 'relu' | 'linear' });
            break;
          }
          let z: tf.Tensor = tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel as tf.Tensor2D, bias });
          if (opts.perturb) z = tf.add(z, opts.perturb[step.index]);
          h = activate(z, layer.activation);
        } else {
          if (fusable) {
            h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides: layer.strides!, pad: layer.padding!, bias, activation: layer.activation as 'relu' | 'linear' });
            break;
          }
          let z: tf.Tensor = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: kernel as tf.Tensor4D, strides: layer.strides!, pad: layer.padding!, bias });
          if (opts.perturb) z = tf.add(z, opts.perturb[step.index]);
          h = activate(z, layer.activation);
        }
        opts.record?.push(h);
        break;
      }
    }
    if (opts.trace) h = opts.trace.mark(h, step.label);
  }
  return h as tf.Tensor2D;
}

/** Output shapes of each parametric layer for a batch of `n` (for the probe's perturbation tensors). */
export function layerOutputShapes(net: Network, n: number): number[][] {
  return tf.tidy(() => {
    const x = tf.zeros(net.inputRank === 4 ? [1, ...INPUT_SHAPE] : [1, 784]);
    const record: tf.Tensor[] = [];
    forward(net, weightsOf(net), x, { training: false, record });
    return record.map((t) => [n, ...t.shape.slice(1)]);
  });
}

/**
 * One training step: forward, softmax cross-entropy on the logits, gradients and the optimizer update, in one
 * tidy. Returns the loss as a tensor (read back by the caller). On failure (any phase, any backend) every tensor
 * the step made is freed, the tape TF.js abandons included, and the error names the layer, the phase and the
 * backend.
 */
export function trainingStep(net: Network, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor2D, dropoutSeed: number): tf.Scalar {
  const trace = new LayerTrace();
  const weights = weightsOf(net);
  try {
    return tf.tidy(() => {
      const { value, grads } = optimizer.computeGradients(() => {
        const logits = forward(net, weights, x, { training: true, dropoutSeed, trace });
        trace.enter('the loss', 'forward pass');
        return trace.mark(tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar, 'the loss');
      }, net.variables);
      trace.enter('the optimizer', 'optimizer update');
      optimizer.applyGradients(net.variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      return value;
    });
  } catch (err) {
    releaseAbandonedTape();
    throw trace.explain(err, tf.getBackend());
  }
}
