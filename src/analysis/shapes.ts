/**
 * Output lengths of convolutions and pools along one spatial axis, by each framework's formula.
 * Keras/TF.js are channels-last (batch, spatial…, channels); PyTorch channels-first (batch, channels, spatial…).
 * An unknown input length gives a symbolic expression, never a guess.
 */
import { type SDim, type SShape, dimText, isKnown, productDims } from './dims';

export type KerasPadding = 'valid' | 'same' | 'causal' | 'full';

/** Applies `formula` when every operand is known; otherwise a symbolic `name(n)` (or n itself when the axis is unchanged). */
function lengthOrSymbol(n: SDim, operands: readonly SDim[], formula: (n: number, ...rest: number[]) => number, label: string, unchanged = false): SDim {
  if (isKnown(n) && operands.every(isKnown)) return formula(n, ...(operands as number[]));
  if (n === null) return null;
  if (unchanged) return n;
  return `${label}(${dimText(n)})`;
}

/** Dilated kernel extent: k + (k − 1)(d − 1). */
export function dilatedKernel(k: number, dilation: number): number {
  return k + (k - 1) * (dilation - 1);
}

/**
 * Keras `conv_output_length`: valid → n − k_d + 1, same/causal → n, full → n + k_d − 1, then ⌈·/s⌉
 * (for valid: ⌊(n − d·(k−1) − 1)/s⌋ + 1; for same: ⌈n/s⌉).
 */
export function kerasConvLength(n: SDim, k: SDim, padding: KerasPadding, stride: SDim, dilation: SDim): SDim {
  const unchanged = (padding === 'same' || padding === 'causal') && stride === 1;
  return lengthOrSymbol(n, [k, stride, dilation], (len, kk, s, d) => {
    const kd = dilatedKernel(kk, d);
    const out = padding === 'valid' ? len - kd + 1 : padding === 'full' ? len + kd - 1 : len;
    return Math.floor((out + s - 1) / s);
  }, 'conv', unchanged);
}

/**
 * Keras `deconv_output_length` (transposed conv). Without output_padding: valid → n·s + max(k_d − s, 0),
 * same → n·s, full → n·s − (s + k_d − 2). With it: (n − 1)·s + k_d − 2·pad + output_padding,
 * pad = ⌊k_d/2⌋ (same), 0 (valid), k_d − 1 (full).
 */
export function kerasDeconvLength(n: SDim, k: SDim, padding: KerasPadding, stride: SDim, dilation: SDim, outputPadding: SDim | undefined): SDim {
  const operands = outputPadding === undefined ? [k, stride, dilation] : [k, stride, dilation, outputPadding];
  return lengthOrSymbol(n, operands, (len, kk, s, d, op) => {
    const kd = dilatedKernel(kk, d);
    if (op === undefined) {
      if (padding === 'valid') return len * s + Math.max(kd - s, 0);
      if (padding === 'full') return len * s - (s + kd - 2);
      return len * s;
    }
    const pad = padding === 'same' ? Math.floor(kd / 2) : padding === 'valid' ? 0 : kd - 1;
    return (len - 1) * s + kd - 2 * pad + op;
  }, 'deconv');
}

/** Keras/TF.js pooling: valid → ⌊(n − p)/s⌋ + 1, same → ⌈n/s⌉. */
export function kerasPoolLength(n: SDim, pool: SDim, padding: KerasPadding, stride: SDim): SDim {
  return kerasConvLength(n, pool, padding, stride, 1);
}

/** PyTorch Conv/MaxPool: ⌊(n + 2p − d·(k − 1) − 1)/s⌋ + 1 (⌈·⌉ with ceil_mode, dropping a window that starts in the right padding). */
export function torchConvLength(n: SDim, k: SDim, stride: SDim, padding: SDim, dilation: SDim, ceilMode = false): SDim {
  return lengthOrSymbol(n, [k, stride, padding, dilation], (len, kk, s, p, d) => {
    const span = len + 2 * p - d * (kk - 1) - 1;
    let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    if (ceilMode && (out - 1) * s >= len + p) out -= 1;
    return out;
  }, 'conv');
}

/** PyTorch ConvTranspose: (n − 1)·s − 2p + d·(k − 1) + output_padding + 1. */
export function torchConvTransposeLength(n: SDim, k: SDim, stride: SDim, padding: SDim, dilation: SDim, outputPadding: SDim): SDim {
  return lengthOrSymbol(n, [k, stride, padding, dilation, outputPadding], (len, kk, s, p, d, op) => (len - 1) * s - 2 * p + d * (kk - 1) + op + 1, 'deconv');
}

/** Spatial dims of a channels-last shape (batch, spatial…, channels), padded with nulls to `rank`. */
export function spatialChannelsLast(shape: SShape, rank: number): SDim[] {
  if (!shape) return new Array<SDim>(rank).fill(null);
  const spatial = shape.slice(1, -1);
  return spatial.length === rank ? spatial : new Array<SDim>(rank).fill(null);
}

/** Spatial dims of a channels-first shape (batch, channels, spatial…). */
export function spatialChannelsFirst(shape: SShape, rank: number): SDim[] {
  if (!shape) return new Array<SDim>(rank).fill(null);
  const spatial = shape.slice(2);
  return spatial.length === rank ? spatial : new Array<SDim>(rank).fill(null);
}

/** Last dim (channels-last features), or null when the shape is unknown. */
export function lastDim(shape: SShape): SDim {
  return shape && shape.length > 1 ? shape[shape.length - 1] : null;
}

/** Flatten: (batch, ∏ of the other dims). */
export function flattenShape(shape: SShape): SShape {
  if (!shape) return [null, null];
  return [shape[0] ?? null, productDims(shape.slice(1))];
}

/** PyTorch Flatten(start_dim, end_dim): multiplies dims start..end (negative indices from the end). */
export function torchFlattenShape(shape: SShape, startDim: number, endDim: number): SShape {
  if (!shape) return null;
  const rank = shape.length;
  const start = startDim < 0 ? rank + startDim : startDim;
  const end = endDim < 0 ? rank + endDim : endDim;
  if (start < 0 || end >= rank || start > end) return null;
  return [...shape.slice(0, start), productDims(shape.slice(start, end + 1)), ...shape.slice(end + 1)];
}

/** Keras Reshape(target_shape): a −1 entry takes what is left of the input's size. */
export function reshapeShape(input: SShape, target: readonly SDim[]): SShape {
  const batch = input ? input[0] : null;
  const minusOne = target.indexOf(-1);
  if (minusOne < 0) return [batch, ...target];
  const total = input ? productDims(input.slice(1)) : null;
  const rest = productDims(target.filter((_, i) => i !== minusOne));
  const missing = isKnown(total) && isKnown(rest) && rest !== 0 ? total / rest : null;
  return [batch, ...target.map((d, i) => (i === minusOne ? missing : d))];
}

/** Concatenation along `axis` (negative from the end): the axis' sizes add up, the others are the first input's. */
export function concatenateShapes(inputs: readonly SShape[], axis: number): SShape {
  if (inputs.length === 0 || inputs.some((s) => !s)) return null;
  const shapes = inputs as SDim[][];
  const rank = shapes[0].length;
  const at = axis < 0 ? rank + axis : axis;
  if (at < 0 || at >= rank || shapes.some((s) => s.length !== rank)) return null;
  const out = [...shapes[0]];
  let sum: SDim = 0;
  for (const s of shapes) sum = isKnown(sum) && isKnown(s[at]) ? sum + s[at] : null;
  out[at] = sum;
  return out;
}
