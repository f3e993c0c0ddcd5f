/**
 * The numeric core: fans by each framework's convention, the Glorot/He/LeCun scales, what a given
 * initializer really draws, and every framework's default initializers.
 * One small function per idea, as in tfjs-layers' initializers.ts and Keras' random_initializers.py;
 * the facts are in docs/initializers.md and are checked against TF.js and PyTorch by test/oracle.
 */
import type { Framework } from './ir';
import type { InitializerInUse } from './types';
import { type SDim, isKnown, mulDim, productDims } from './dims';

// ---------------------------------------------------------------------------------------------
// Fans

export interface Fans {
  fanIn: SDim;
  fanOut: SDim;
  /** Set when the framework defines no fans for this shape (PyTorch refuses tensors of fewer than 2 dims). */
  undefinedReason?: string;
}

/**
 * Keras (2 and 3) `compute_fans`: rank 2 → (shape[0], shape[1]); rank > 2 (conv kernel (k…, in, out)) →
 * rf = ∏ shape[:-2], fan_in = shape[-2]·rf, fan_out = shape[-1]·rf; rank 1 → fan_in = fan_out = shape[0];
 * rank 0 → 1, 1.
 */
export function kerasFans(shape: readonly SDim[]): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptiveField = productDims(shape.slice(0, -2));
  return { fanIn: mulDim(shape[shape.length - 2], receptiveField), fanOut: mulDim(shape[shape.length - 1], receptiveField) };
}

/**
 * TF.js `computeFans` (channels-last): rank 2 → (shape[0], shape[1]); rank 3..5 → as Keras
 * (rf = ∏ shape[:-2]); any other rank → fan_in = fan_out = √(∏ shape).
 */
export function tfjsFans(shape: readonly SDim[]): Fans {
  if (shape.length >= 2 && shape.length <= 5) return kerasFans(shape);
  const size = productDims(shape);
  const root = isKnown(size) ? Math.sqrt(size) : size === null ? null : `sqrt(${size})`;
  return { fanIn: root, fanOut: root };
}

/**
 * PyTorch `_calculate_fan_in_and_fan_out`: weight (out, in, k…) → rf = ∏ shape[2:],
 * fan_in = shape[1]·rf, fan_out = shape[0]·rf; fewer than 2 dims is an error in PyTorch.
 */
export function torchFans(shape: readonly SDim[]): Fans {
  if (shape.length < 2) {
    return { fanIn: null, fanOut: null, undefinedReason: 'n/a (<2 dims)' };
  }
  const receptiveField = productDims(shape.slice(2));
  return { fanIn: mulDim(shape[1], receptiveField), fanOut: mulDim(shape[0], receptiveField) };
}

/** Fans of a weight stored with `shape`, by the convention of `framework`. */
export function computeFans(shape: readonly SDim[], framework: Framework): Fans {
  if (framework === 'pytorch') return torchFans(shape);
  if (framework === 'tfjs') return tfjsFans(shape);
  return kerasFans(shape);
}

// ---------------------------------------------------------------------------------------------
// Scales

/** Std of N(0, 1) truncated to [−2, 2]: the factor Keras divides by so that its truncated draws keep the nominal σ. */
export const TRUNCATED_NORMAL_STD_RATIO = 0.87962566103423978;

/** erf(x) by its Maclaurin series (|x| < 6; exact to ~1e-13 there), ±1 beyond. */
export function erf(x: number): number {
  if (x === 0) return 0;
  if (Math.abs(x) >= 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/**
 * Std of a normal N(0, 1) truncated to [a, b] (in units of σ):
 * Var = 1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)², Z = Φ(b) − Φ(a).
 */
export function truncatedStandardNormalStd(a: number, b: number): number {
  const pdf = (x: number) => (Number.isFinite(x) ? Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) : 0);
  const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  const z = cdf(b) - cdf(a);
  const aTerm = Number.isFinite(a) ? a * pdf(a) : 0;
  const bTerm = Number.isFinite(b) ? b * pdf(b) : 0;
  const shift = (pdf(a) - pdf(b)) / z;
  return Math.sqrt(1 + (aTerm - bTerm) / z - shift * shift);
}

/** Glorot/Xavier uniform bound: a = gain·√(6 / (fan_in + fan_out)). */
export function glorotUniformLimit(fanIn: number, fanOut: number, gain = 1): number {
  return gain * Math.sqrt(6 / (fanIn + fanOut));
}

/** Glorot/Xavier normal nominal σ = gain·√(2 / (fan_in + fan_out)). */
export function glorotNormalStd(fanIn: number, fanOut: number, gain = 1): number {
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/** He/Kaiming normal σ = √(2 / fan_in) (PyTorch: gain(relu)/√fan_in, the same number). */
export function heNormalStd(fanIn: number): number {
  return Math.sqrt(2 / fanIn);
}

/** LeCun normal σ = √(1 / fan_in). */
export function lecunNormalStd(fanIn: number): number {
  return Math.sqrt(1 / fanIn);
}

/**
 * The std the framework's own Glorot-normal draw yields: Keras corrects its truncated normal (nominal σ);
 * TF.js 4.22 truncates at 2σ without correcting (≈ 0.8796·σ); PyTorch's xavier_normal_ is untruncated (σ).
 */
export function glorotNormalActualStd(fanIn: number, fanOut: number, framework: Framework): number {
  const nominal = glorotNormalStd(fanIn, fanOut);
  return framework === 'tfjs' ? nominal * TRUNCATED_NORMAL_STD_RATIO : nominal;
}

/**
 * PyTorch `torch.nn.init.calculate_gain`: linear, conv…, sigmoid → 1, tanh → 5/3, relu → √2,
 * leaky_relu → √(2 / (1 + slope²)) (slope default 0.01), selu → 3/4; null for names PyTorch rejects.
 */
export function torchGain(nonlinearity: string, param?: number): number | null {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'conv_transpose1d': case 'conv_transpose2d':
    case 'conv_transpose3d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Initializer specifications

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';

/** What an initializer does, independent of how the source spelled it. */
export type InitializerSpec =
  /**
   * Variance scaling: n = max(1, fan by mode); uniform bound √(3·scale/n); normal σ √(scale/n).
   * `truncated_normal` cuts at 2σ; `corrected` says whether the sampler's σ is divided by 0.8796… (Keras) or not (TF.js).
   * PyTorch's xavier_*_ / kaiming_*_ are variance scaling with scale = gain² and no max(1, n).
   */
  | { kind: 'variance_scaling'; scale: number; mode: FanMode; distribution: 'uniform' | 'normal' | 'truncated_normal'; corrected: boolean }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'normal'; mean: number; std: number }
  /** Normal cut to the absolute bounds [low, high] (PyTorch's trunc_normal_; Keras/TF.js TruncatedNormal cut at mean ± 2σ). */
  | { kind: 'truncated_normal'; mean: number; std: number; low: number; high: number }
  | { kind: 'constant'; value: number }
  | { kind: 'orthogonal'; gain: number }
  | { kind: 'identity'; gain: number }
  /** PyTorch's default bias (and the old reset_parameters style): U(±1/√fan_in) with fan_in of the layer's weight. */
  | { kind: 'uniform_inverse_sqrt_fan_in' }
  /** PyTorch RNN default: U(±1/√hidden_size) for every parameter. */
  | { kind: 'uniform_inverse_sqrt'; of: SDim }
  /** LSTM with unit_forget_bias: `base` everywhere, then ones on the forget gate's quarter of the bias. */
  | { kind: 'unit_forget_bias'; base: InitializerSpec }
  | { kind: 'unknown' };

/** An initializer with its name as the framework spells it. */
export interface NamedInitializer {
  name: string;
  spec: InitializerSpec;
}

/** Keras' VarianceScaling-based named initializers: glorot = (1, fan_avg), he = (2, fan_in), lecun = (1, fan_in). */
export function kerasVarianceScaling(family: 'glorot' | 'he' | 'lecun', distribution: 'uniform' | 'normal', corrected: boolean): InitializerSpec {
  const scale = family === 'he' ? 2 : 1;
  const mode: FanMode = family === 'glorot' ? 'fan_avg' : 'fan_in';
  return { kind: 'variance_scaling', scale, mode, distribution: distribution === 'uniform' ? 'uniform' : 'truncated_normal', corrected };
}

/** The n of variance scaling: max(1, fan_in | fan_out | (fan_in + fan_out)/2). */
export function varianceScalingDenominator(fans: Fans, mode: FanMode, clampToOne = true): number | null {
  const { fanIn, fanOut } = fans;
  let n: number | null = null;
  if (mode === 'fan_in') n = isKnown(fanIn) ? fanIn : null;
  else if (mode === 'fan_out') n = isKnown(fanOut) ? fanOut : null;
  else n = isKnown(fanIn) && isKnown(fanOut) ? (fanIn + fanOut) / 2 : null;
  if (n === null) return null;
  return clampToOne ? Math.max(1, n) : n;
}

/** Std of an orthogonal matrix's entries: gain/√max(rows, cols) (unit rows or columns). */
export function orthogonalEntryStd(rows: number, cols: number, gain: number): number {
  return gain / Math.sqrt(Math.max(rows, cols));
}

/** What the initializer needs besides its own parameters. */
export interface DrawContext {
  framework: Framework;
  shape: readonly SDim[];
  /** The fans the initializer uses (for PyTorch biases: the fans of the layer's weight). */
  fans: Fans;
}

/** Rows × cols of the matrix an orthogonal initializer builds: Keras/TF.js flatten all but the last dim; PyTorch all but the first. */
function orthogonalMatrix(shape: readonly SDim[], framework: Framework): [SDim, SDim] {
  if (framework === 'pytorch') return [shape[0] ?? 1, productDims(shape.slice(1))];
  return [productDims(shape.slice(0, -1)), shape[shape.length - 1] ?? 1];
}

/** The numeric fields of an InitializerInUse. */
const DRAWN_NUMBERS = ['limit', 'std', 'actualStd', 'value', 'mean'] as const;

/** How the initializer draws for this weight: bound, σ passed to the sampler, and the std the weights really get. */
export function initializerInUse(spec: InitializerSpec, ctx: DrawContext): InitializerInUse {
  const drawn = drawnBy(spec, ctx);
  // Odd written values (minval = maxval = 1e400, a scale of -3) give NaN or Infinity: unknown, not a number to show.
  for (const key of DRAWN_NUMBERS) {
    const x = drawn[key];
    if (typeof x === 'number' && !Number.isFinite(x)) drawn[key] = null;
  }
  return drawn;
}

/** x when it is a finite number, else null (a module function, not a closure: drawnBy runs for every weight). */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function drawnBy(spec: InitializerSpec, ctx: DrawContext): InitializerInUse {
  switch (spec.kind) {
    case 'variance_scaling': {
      const denominator = varianceScalingDenominator(ctx.fans, spec.mode, ctx.framework !== 'pytorch');
      // A zero or negative fan (a layer written with 0 or -1 units) has no scale: PyTorch skips zero-element tensors.
      const n = denominator !== null && denominator > 0 && Number.isFinite(denominator) ? denominator : null;
      // A negative or overflowing scale written in the code gives no usable bound either (NaN, Infinity).
      if (spec.distribution === 'uniform') {
        const limit = n === null ? null : finiteOrNull(Math.sqrt((3 * spec.scale) / n));
        return { distribution: 'uniform', limit, actualStd: limit === null ? null : limit / Math.sqrt(3) };
      }
      const nominal = n === null ? null : finiteOrNull(Math.sqrt(spec.scale / n));
      if (spec.distribution === 'normal') return { distribution: 'normal', std: nominal, actualStd: nominal };
      if (nominal === null) return { distribution: 'truncated_normal', std: null, actualStd: null };
      return spec.corrected
        ? { distribution: 'truncated_normal', std: nominal / TRUNCATED_NORMAL_STD_RATIO, actualStd: nominal }
        : { distribution: 'truncated_normal', std: nominal, actualStd: nominal * TRUNCATED_NORMAL_STD_RATIO };
    }
    case 'uniform':
      return { distribution: 'uniform', limit: Math.max(Math.abs(spec.low), Math.abs(spec.high)), actualStd: (spec.high - spec.low) / Math.sqrt(12), mean: (spec.low + spec.high) / 2 };
    case 'normal':
      return { distribution: 'normal', std: spec.std, actualStd: spec.std, mean: spec.mean };
    case 'truncated_normal': {
      const ratio = truncatedStandardNormalStd((spec.low - spec.mean) / spec.std, (spec.high - spec.mean) / spec.std);
      // Cut symmetrically about its mean it keeps that mean; a lopsided cut moves it (not computed here: no number).
      const symmetric = Math.abs(spec.high - spec.mean - (spec.mean - spec.low)) < 1e-12 * Math.max(1, Math.abs(spec.high));
      return { distribution: 'truncated_normal', std: spec.std, actualStd: spec.std * ratio, ...(symmetric ? { mean: spec.mean } : {}) };
    }
    case 'constant':
      return { distribution: 'constant', value: spec.value, actualStd: 0 };
    case 'orthogonal': {
      const [rows, cols] = orthogonalMatrix(ctx.shape, ctx.framework);
      // A zero or negative size (written 0 or -1 units) is no matrix: no std rather than NaN.
      const std = isKnown(rows) && isKnown(cols) && rows > 0 && cols > 0 ? orthogonalEntryStd(rows, cols, spec.gain) : null;
      return { distribution: 'orthogonal', actualStd: std };
    }
    case 'identity':
      return { distribution: 'identity' };
    case 'uniform_inverse_sqrt_fan_in': {
      const fanIn = ctx.fans.fanIn;
      const limit = isKnown(fanIn) && fanIn > 0 ? 1 / Math.sqrt(fanIn) : null;
      return { distribution: 'uniform', limit, actualStd: limit === null ? null : limit / Math.sqrt(3) };
    }
    case 'uniform_inverse_sqrt': {
      const limit = isKnown(spec.of) && spec.of > 0 ? 1 / Math.sqrt(spec.of) : null;
      return { distribution: 'uniform', limit, actualStd: limit === null ? null : limit / Math.sqrt(3) };
    }
    case 'unit_forget_bias': {
      // A quarter of the entries are 1, the rest the constant c: std = |1 − c|·√(1/4 · 3/4).
      const base = spec.base;
      return { distribution: 'other', actualStd: base.kind === 'constant' ? (Math.abs(1 - base.value) * Math.sqrt(3)) / 4 : null };
    }
    case 'unknown':
      return { distribution: 'other' };
  }
}

/** Wraps a bias initializer as Keras/TF.js apply it with unit_forget_bias (forget gate set to ones). */
export function withUnitForgetBias(named: NamedInitializer): NamedInitializer {
  return { name: `${named.name} (forget gate: ones)`, spec: { kind: 'unit_forget_bias', base: named.spec } };
}

// ---------------------------------------------------------------------------------------------
// Defaults: what runs when the code names no initializer

/** The role a weight plays in its layer; defaults are chosen by role. */
export type WeightRole =
  | 'kernel' | 'recurrent_kernel' | 'bias' | 'depthwise_kernel' | 'pointwise_kernel' | 'embeddings'
  | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance' | 'alpha';

const ZEROS: InitializerSpec = { kind: 'constant', value: 0 };
const ONES: InitializerSpec = { kind: 'constant', value: 1 };

/** Keras 2/3 defaults: glorot_uniform kernels, orthogonal recurrent kernels, zeros biases, uniform ±0.05 embeddings. */
export function kerasDefaultInitializer(role: WeightRole): NamedInitializer {
  switch (role) {
    case 'kernel': case 'depthwise_kernel': case 'pointwise_kernel':
      return { name: 'glorot_uniform', spec: kerasVarianceScaling('glorot', 'uniform', true) };
    case 'recurrent_kernel':
      return { name: 'orthogonal', spec: { kind: 'orthogonal', gain: 1 } };
    case 'embeddings':
      return { name: 'uniform', spec: { kind: 'uniform', low: -0.05, high: 0.05 } };
    case 'bias': case 'beta': case 'moving_mean': case 'alpha':
      return { name: 'zeros', spec: ZEROS };
    case 'gamma': case 'moving_variance':
      return { name: 'ones', spec: ONES };
  }
}

/**
 * TF.js 4.22 defaults: glorotNormal (truncated, uncorrected) kernels, depthwise too, but glorotUniform for
 * SeparableConv's depthwise/pointwise kernels; orthogonal recurrent kernels; zeros biases; randomUniform ±0.05 embeddings.
 */
export function tfjsDefaultInitializer(role: WeightRole, layerKind: string): NamedInitializer {
  switch (role) {
    case 'kernel':
      return { name: 'glorotNormal', spec: kerasVarianceScaling('glorot', 'normal', false) };
    case 'depthwise_kernel': case 'pointwise_kernel':
      return layerKind === 'separable_conv'
        ? { name: 'glorotUniform', spec: kerasVarianceScaling('glorot', 'uniform', false) }
        : { name: 'glorotNormal', spec: kerasVarianceScaling('glorot', 'normal', false) };
    case 'recurrent_kernel':
      return { name: 'orthogonal', spec: { kind: 'orthogonal', gain: 1 } };
    case 'embeddings':
      return { name: 'randomUniform', spec: { kind: 'uniform', low: -0.05, high: 0.05 } };
    case 'bias': case 'beta': case 'moving_mean': case 'alpha':
      return { name: 'zeros', spec: ZEROS };
    case 'gamma': case 'moving_variance':
      return { name: 'ones', spec: ONES };
  }
}

/** Norm layers whose reset_parameters sets the affine weight to ones and the bias to zeros (none of them draws). */
const TORCH_AFFINE_NORMS = new Set(['batch_norm', 'layer_norm', 'group_norm', 'instance_norm']);

/**
 * PyTorch defaults (reset_parameters): Linear/Conv weight kaiming_uniform_(a=√5) = U(±1/√fan_in), bias
 * U(±1/√fan_in of the weight); Embedding N(0, 1); RNN/LSTM/GRU U(±1/√hidden) everywhere; norms (batch, layer, group, instance) ones/zeros; PReLU 0.25.
 */
export function torchDefaultInitializer(role: WeightRole, layerKind: string, hiddenSize: SDim = null): NamedInitializer {
  if (layerKind === 'rnn') return { name: 'uniform_(±1/sqrt(hidden_size))', spec: { kind: 'uniform_inverse_sqrt', of: hiddenSize } };
  if (layerKind === 'embedding') return { name: 'normal_(0, 1)', spec: { kind: 'normal', mean: 0, std: 1 } };
  if (layerKind === 'prelu') return { name: 'constant_(0.25)', spec: { kind: 'constant', value: 0.25 } };
  if (TORCH_AFFINE_NORMS.has(layerKind)) {
    return role === 'gamma' ? { name: 'ones_', spec: ONES } : { name: 'zeros_', spec: ZEROS };
  }
  if (role === 'bias') return { name: 'uniform_(±1/sqrt(fan_in))', spec: { kind: 'uniform_inverse_sqrt_fan_in' } };
  // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound √3·gain/√fan_in = 1/√fan_in.
  return { name: 'kaiming_uniform_(a=sqrt(5))', spec: { kind: 'variance_scaling', scale: 1 / 3, mode: 'fan_in', distribution: 'uniform', corrected: false } };
}

/** PyTorch's xavier_uniform_ / xavier_normal_ with gain 1, as modules' own reset_parameters call them (MultiheadAttention). */
export const TORCH_XAVIER_UNIFORM: NamedInitializer = {
  name: 'xavier_uniform_', spec: { kind: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform', corrected: false },
};
export const TORCH_XAVIER_NORMAL: NamedInitializer = {
  name: 'xavier_normal_', spec: { kind: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'normal', corrected: false },
};
export const TORCH_ZEROS: NamedInitializer = { name: 'zeros_', spec: ZEROS };

/** Default initializer of `framework` for a weight of this role in a layer of this kind. */
export function defaultInitializer(framework: Framework, role: WeightRole, layerKind: string, hiddenSize: SDim = null): NamedInitializer {
  if (framework === 'pytorch') return torchDefaultInitializer(role, layerKind, hiddenSize);
  if (framework === 'tfjs') return tfjsDefaultInitializer(role, layerKind);
  return kerasDefaultInitializer(role);
}
