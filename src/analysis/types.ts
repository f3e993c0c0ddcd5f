/**
 * What the engine answers: one report per file, per model, per layer, per weight.
 * The CLI's `--json` output is exactly these objects (issue 3 fixes the field names).
 */
import type { ForwardChain, Framework, Range, Position } from './ir';

export type { ForwardChain, ForwardOp, Framework, Range, Position } from './ir';

/** A dimension: a number, or null when it is unknown (the batch dimension, or an unresolved symbol). */
export type Dim = number | null;
export type Shape = Dim[];

/** How the initializer in use draws its values. */
export interface InitializerInUse {
  distribution: 'uniform' | 'normal' | 'truncated_normal' | 'constant' | 'orthogonal' | 'identity' | 'other';
  /** Uniform: the bound a of U(-a, a). */
  limit?: number | null;
  /** Normal: the σ passed to the sampler (before any truncation). */
  std?: number | null;
  /** The standard deviation the weights actually have (truncation included), where it differs from `std` or for uniform (a/√3). */
  actualStd?: number | null;
  /** Constant: the value. */
  value?: number | null;
  /**
   * The mean of the drawn values where the initializer is not centred on 0 by construction (`normal_(m.weight, 1.0,
   * 0.02)`, `uniform_(w, 0, 1)`): the std alone cannot tell N(1, 0.02) from N(0, 0.02).
   */
  mean?: number | null;
}

export interface WeightReport {
  /** The framework's own name: `kernel`, `recurrent_kernel`, `bias` (Keras/TF.js); `weight`, `weight_ih_l0` (PyTorch). */
  name: string;
  /** In the framework's storage layout (Keras (in, out), PyTorch (out, in)); null entries where unknown. */
  shape: Shape;
  fanIn: number | null;
  fanOut: number | null;
  /** Present when a number is unknown: the symbolic expression in its place, e.g. `{ fanIn: "hidden" }`. */
  symbolic?: Partial<Record<'fanIn' | 'fanOut' | 'shape', string>>;
  /** The initializer in the framework's own spelling: `glorot_uniform`, `glorotNormal`, `kaiming_uniform_(a=sqrt(5))`, `zeros`. */
  initializer: string;
  initializerSource: 'explicit' | 'default';
  inUse: InitializerInUse;
  /** Where the explicit initializer value is written, for quick fixes (absent for defaults and PyTorch). */
  initializerRange?: Range;
  xavierUniformLimit: number | null;
  xavierNormalStd: number | null;
  /** The std that the framework's own Glorot-normal draw really yields (TF.js: ≈0.88 × nominal, uncorrected truncation). */
  xavierNormalActualStd: number | null;
  heNormalStd: number | null;
  lecunNormalStd: number | null;
}

export interface LayerReport {
  /** 1-based line where the layer's call begins (in a notebook: the line in its cell). */
  line: number;
  /** Notebooks only: the 0-based index of the cell the layer is written in (every position then carries it too). */
  cell?: number;
  /** Bound name, Keras `name=`, or a generated `dense_1` style name. */
  name: string;
  /** The constructor's name as written (`Dense`, `Linear`, `dense`). */
  type: string;
  inputShape: Shape | null;
  outputShape: Shape | null;
  params: number | null;
  /** Activation applied by the layer itself or by the activation layer right after it; null when none/unknown. */
  activation: string | null;
  weights: WeightReport[];
  /** Resolved constructor configuration in canonical form (units, filters, kernelSize, strides, padding, …), for building it in TF.js. */
  config: Record<string, unknown>;
  range: Range;
  argsRange: Range;
  /** Reasons a number could not be computed (e.g. "input size unknown: no input_shape"). */
  notes?: string[];
  /** Present when a shape or the count is not fully known: the symbolic text in place of the nulls, e.g. `(None, hidden)`. */
  symbolic?: Partial<Record<'inputShape' | 'outputShape' | 'params', string>>;
  /** What the layer is, independent of spelling: `dense` (Dense, Linear, dense), `conv`, `rnn`, `pool`, … */
  kind?: string;
}

export interface ModelReport {
  name: string;
  framework: Framework;
  kind: 'sequential' | 'functional' | 'module';
  /** 1-based line of the model definition (in a notebook: the line in its cell). */
  line: number;
  /** Notebooks only: the 0-based index of the cell the model is defined in. */
  cell?: number;
  range: Range;
  layers: LayerReport[];
  totalParams: number | null;
  initInsertion?: { position: Position; indent: string };
  /** PyTorch modules with a `forward` method: the chain it applies, or the line that stops reading it. */
  forward?: ForwardChain;
}

export interface FileReport {
  file: string;
  models: ModelReport[];
  /** Messages for the user (syntax errors, skipped file, unsupported layer); never thrown. */
  notices: string[];
}
