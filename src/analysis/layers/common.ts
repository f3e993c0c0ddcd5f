/** Small helpers shared by the Keras-family and PyTorch layer definitions. */
import type { Value } from '../ir';
import type { SDim } from '../dims';
import { type ArgReader, boolOf, numberOf, stringOf, valueText } from '../values';
import type { LayerAnalysis, LayerKind } from './types';
import { boundedMemo } from '../memo';

/**
 * Lower case without underscores: the key layer types are looked up by (`Conv2D`, `conv2d`, `conv_2d` alike).
 * Asked several times per layer (definition, graph start, init targets): remembered per type name.
 */
export const typeKey = boundedMemo((type) => type.toLowerCase().split('_').join(''));

/**
 * The definition of `type` in a framework's table, by its type key. Own keys only: a layer called
 * `Constructor` or `ToString` must not find Object.prototype's members.
 */
export function definitionIn<T>(table: Record<string, T>, type: string): T | undefined {
  const key = typeKey(type);
  return Object.hasOwn(table, key) ? table[key] : undefined;
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
