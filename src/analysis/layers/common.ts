/** Small helpers shared by the Keras-family and PyTorch layer definitions. */
import type { Value } from '../ir';
import type { SDim } from '../dims';
import { type ArgReader, boolOf, numberOf, stringOf, valueText } from '../values';
import type { LayerAnalysis, LayerKind } from './types';

const typeKeys = new Map<string, string>();
/** Bound on the memo below: layer type names come from the file, so their number is the file's to choose. */
const MAX_TYPE_KEYS = 1000;

/** Lower case without underscores: the key layer types are looked up by (`Conv2D`, `conv2d`, `conv_2d` alike). */
export function typeKey(type: string): string {
  // Asked several times per layer (definition, graph start, init targets): remembered per type name.
  let key = typeKeys.get(type);
  if (key === undefined) {
    key = type.toLowerCase().split('_').join('');
    if (typeKeys.size < MAX_TYPE_KEYS) typeKeys.set(type, key);
  }
  return key;
}

/** An activation as written (`'relu'`, `tf.nn.relu`, `activations.relu`) by its short name; null for none/linear. */
export function activationName(v: Value | undefined): string | null {
  if (!v || v.kind === 'none') return null;
  const text = v.kind === 'string' ? v.value : v.kind === 'call' ? v.callee : valueText(v);
  const short = text.slice(text.lastIndexOf('.') + 1);
  return short === 'linear' || short === '' ? null : short;
}

export function boolArg(args: ArgReader, name: string, fallback: boolean): boolean {
  return boolOf(args.value(name)) ?? fallback;
}

export function numberArg(args: ArgReader, name: string, fallback: number): number {
  return numberOf(args.value(name)) ?? fallback;
}

export function stringArg(args: ArgReader, name: string, fallback: string): string {
  return stringOf(args.value(name)) ?? fallback;
}

/** A required size argument as a dim: its number or symbol, or a symbol naming the missing argument. */
export function sizeArg(args: ArgReader, name: string, ...aliases: string[]): SDim {
  const v = args.value(name, ...aliases);
  if (!v) return null;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'none') return null;
  return valueText(v);
}

/** An analysis with nothing but a pass-through shape (Dropout, unknown layers, …). */
export function passThrough(kind: LayerKind, input: LayerAnalysis['inputShape'], config: Record<string, unknown> = {}, activation: string | null = null): LayerAnalysis {
  return { kind, config, inputShape: input, outputShape: input, weights: [], activation, notes: [] };
}
