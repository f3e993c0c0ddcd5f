/**
 * The TF.js side of the TF.js/Keras oracle: which models a file exports, their layers in the order the code made
 * them, the fans and scales TF.js's own VarianceScaling uses, fresh draws of each weight, and the ledger of
 * what an oracle skipped. Nothing here reads the engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
/** TF.js's initializer type (tfjs-layers has the class; the tf.initializers namespace does not name it). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

export type TfLayer = tf.layers.Layer;
type TestContext = Parameters<NonNullable<Parameters<typeof test>[0]>>[0];

// ---------------------------------------------------------------------------------------------
// Skips: every oracle prints what it did not compare, and a skip must be on the allow-list.

export interface AllowedSkip {
  reason: string;
  /** The one place (file#model.layer.weight or file#export) the skip is allowed at. */
  where: string;
  why: string;
}

export class Skips {
  private readonly entries: { reason: string; where: string; detail: string }[] = [];

  constructor(private readonly allowed: readonly AllowedSkip[]) {}

  add(reason: string, where: string, detail: string): void {
    this.entries.push({ reason, where, detail });
  }

  /** Prints every skip and fails on one the allow-list does not name. */
  settle(t: TestContext): void {
    for (const s of this.entries) t.diagnostic(`skipped ${s.where} [${s.reason}]: ${s.detail}`);
    const unlisted = this.entries.filter((s) => !this.allowed.some((a) => a.reason === s.reason && a.where === s.where));
    assert.deepEqual(unlisted, [], 'skips that are not on the allow-list');
  }
}

// ---------------------------------------------------------------------------------------------
// Models a module exports

function isModel(value: unknown): value is tf.LayersModel {
  return value instanceof tf.LayersModel;
}

/**
 * The models a module exports: model values, and what each exported function of no parameters returns when it
 * is a model (`export function buildModel()`). Any other export is a skip.
 */
export async function exportedModels(url: string, file: string, skips: Skips): Promise<{ name: string; model: tf.LayersModel }[]> {
  const module = (await import(url)) as Record<string, unknown>;
  const models: { name: string; model: tf.LayersModel }[] = [];
  for (const [name, value] of Object.entries(module)) {
    if (name === 'default' && value !== null && typeof value === 'object' && !isModel(value)) continue; // CommonJS' module.exports itself
    if (isModel(value)) {
      models.push({ name, model: value });
    } else if (typeof value === 'function' && value.length === 0) {
      const built: unknown = (value as () => unknown)();
      if (isModel(built)) models.push({ name: `${name}()`, model: built });
      else skips.add('export-not-a-model', `${file}#${name}`, `${name}() returns no tf.LayersModel`);
    } else {
      const what = typeof value === 'function' ? `a function of ${(value as () => unknown).length} parameter(s)` : `a ${typeof value}`;
      skips.add('export-not-a-model', `${file}#${name}`, `${what}, not a model or a model builder`);
    }
  }
  return models;
}

/**
 * A model's layers in the order the code created them (TF.js numbers layers as they are made; model.layers is
 * topological, which is not the source order for branches). Sequential's implicit input (from `inputShape`) is
 * not in model.layers: it is no layer of the source.
 */
export function layersInOrder(model: tf.LayersModel): TfLayer[] {
  return [...model.layers].sort((a, b) => a.id - b.id);
}

/** TF.js's generated names (`dense_Dense3`, `input1`): names the source did not give. */
export function generatedName(layer: TfLayer): boolean {
  const className = layer.getClassName();
  return new RegExp(`_${className}\\d+$`).test(layer.name) || (className === 'InputLayer' && /^input\d+$/.test(layer.name));
}

/** Input shapes a layer was applied to: one shape, or a list for merges. */
export function inputShapesOf(layer: TfLayer): tf.Shape | tf.Shape[] {
  return layer.inboundNodes[0].inputShapes;
}

// ---------------------------------------------------------------------------------------------
// Exact fans and scales: TF.js's uniform VarianceScaling draws limit·U from a seeded generator, so a seeded draw
// divided by the plain seeded U(−1, 1) of the same seed is the bound itself (and the fan, 3·scale / bound²).

const SEED = 20260101;

/**
 * The fixed multiple `draw(seed)` is of `reference(seed)`: over as many seeds as it takes to see 64 entries
 * (a [1] bias has one per seed); entries near 0 are left out, as float32 rounding blurs their ratio.
 */
function seededRatio(what: string, draw: (seed: number) => ArrayLike<number>, reference: (seed: number) => ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  let seen = 0;
  for (let seed = SEED; seen < 64 && seed < SEED + 1000; seed++) {
    const values = draw(seed);
    const base = reference(seed);
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(base[i]) < 0.25) continue;
      const r = values[i] / base[i];
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
      seen++;
    }
  }
  assert.ok(seen > 0 && (hi - lo) / Math.abs(hi) < 1e-5, `${what}: TF.js's draw is no fixed multiple of its seeded generator (${lo}..${hi})`);
  return (lo + hi) / 2;
}

const referenceCache = new Map<string, Float32Array>();

/** TF.js's plain seeded U(−1, 1), the generator its uniform initializers scale. */
function seededReference(shape: number[], kind: 'uniform', seed: number): Float32Array {
  const key = `${kind}:${shape.join('x')}:${seed}`;
  let values = referenceCache.get(key);
  if (!values) {
    const tensor = tf.randomUniform(shape, -1, 1, 'float32', seed);
    values = tensor.dataSync() as Float32Array;
    tensor.dispose();
    referenceCache.set(key, values);
  }
  return values;
}

function valuesOf(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

const limitCache = new Map<string, number>();

/** The bound of TF.js's VarianceScaling(scale, mode, uniform) on `shape`, read off its seeded draws. */
function varianceScalingLimit(scale: number, mode: string, shape: number[]): number {
  const key = `${scale}:${mode}:${shape.join('x')}`;
  let limit = limitCache.get(key);
  if (limit === undefined) {
    const config = { scale, mode: mode as 'fanIn', distribution: 'uniform' as const };
    limit = seededRatio(`VarianceScaling(${scale}, ${mode}) on [${shape}]`,
      (seed) => valuesOf(tf.initializers.varianceScaling({ ...config, seed }).apply(shape)), (seed) => seededReference(shape, 'uniform', seed));
    limitCache.set(key, limit);
  }
  return limit;
}

/**
 * The bound (glorotUniform) or sampler σ (the normals) TF.js's named initializer uses for `shape`. TF.js's named
 * initializers are VarianceScaling with the scale and mode their getConfig() gives; its normal and uniform
 * draws share the σ² = scale / n, so σ is read as bound / √3 off the seeded uniform (the seeded normal is
 * three times as slow to draw, and this runs on weights of millions of entries).
 */
export function samplerScale(name: 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'leCunNormal', shape: number[]): number {
  const config = tf.initializers[name]({}).getConfig() as { scale: number; mode: string; distribution: string };
  const limit = varianceScalingLimit(config.scale, config.mode, shape);
  return config.distribution === 'uniform' ? limit : limit / Math.sqrt(3);
}

const fanCache = new Map<string, { fanIn: number; fanOut: number }>();

/** TF.js's fans for a weight shape, read off its VarianceScaling(scale 1, uniform): bound √(3/fan). */
export function tfjsFans(shape: number[]): { fanIn: number; fanOut: number } {
  const key = shape.join('x');
  const cached = fanCache.get(key);
  if (cached) return cached;
  const fan = (mode: 'fanIn' | 'fanOut') => 3 / varianceScalingLimit(1, mode, shape) ** 2;
  const fans = { fanIn: fan('fanIn'), fanOut: fan('fanOut') };
  fanCache.set(key, fans);
  return fans;
}

// ---------------------------------------------------------------------------------------------
// Draws

/** Draws per weight for the statistical comparisons. */
export const MIN_DRAWS = 20_000;

const shortName = (variable: { originalName: string }) => variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);

function sameValues(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The TF.js layer property holding the initializer of each weight (an RNN's are on its cell). */
export const INITIALIZER_OF_WEIGHT: Record<string, string> = {
  kernel: 'kernelInitializer', bias: 'biasInitializer', recurrent_kernel: 'recurrentInitializer', depthwise_kernel: 'depthwiseInitializer',
  pointwise_kernel: 'pointwiseInitializer', embeddings: 'embeddingsInitializer', gamma: 'gammaInitializer', beta: 'betaInitializer',
  moving_mean: 'movingMeanInitializer', moving_variance: 'movingVarianceInitializer',
};

/**
 * Values of the layer's weights named in `wanted` (short name → draws needed): the values the layer holds, then
 * fresh draws of the initializer object the layer itself drew them with, until each has its draws. A seeded
 * initializer draws the same values again: it stops at its first draw.
 */
export function drawLayerWeights(layer: TfLayer, wanted: Map<string, number>): Map<string, Float32Array[]> {
  const pooled = new Map<string, Float32Array[]>();
  const holder = ((layer as unknown as { cell?: object }).cell ?? layer) as Record<string, Initializer | undefined>;
  for (const variable of layer.weights) {
    const name = shortName(variable);
    const needed = wanted.get(name);
    if (needed === undefined) continue;
    const chunks = [Float32Array.from(variable.read().dataSync() as Float32Array)];
    let count = chunks[0].length;
    const init = holder[INITIALIZER_OF_WEIGHT[name]];
    while (count < needed) {
      assert.ok(init?.apply, `${layer.name}.${name}: TF.js's layer has no ${INITIALIZER_OF_WEIGHT[name]} to draw more values with`);
      const values = valuesOf(init.apply(variable.shape));
      if (sameValues(chunks[0], values)) break; // seeded: one draw is all there is
      chunks.push(Float32Array.from(values));
      count += values.length;
    }
    pooled.set(name, chunks);
  }
  return pooled;
}

/** `draws` values (at least one whole tensor) of `init` on `shape`. */
export function drawInitializer(init: Initializer, shape: number[], draws: number): Float32Array[] {
  const chunks: Float32Array[] = [];
  for (let n = 0; n < draws;) {
    const tensor = init.apply(shape);
    const values = Float32Array.from(tensor.dataSync() as Float32Array);
    tensor.dispose();
    chunks.push(values);
    n += values.length;
  }
  return chunks;
}

export function statistics(chunks: Float32Array[]): { n: number; mean: number; std: number; maxAbs: number } {
  let n = 0;
  let sum = 0;
  let maxAbs = 0;
  for (const chunk of chunks) {
    for (const v of chunk) {
      n++;
      sum += v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  const mean = sum / n;
  let squares = 0;
  for (const chunk of chunks) for (const v of chunk) squares += (v - mean) * (v - mean);
  return { n, mean, std: Math.sqrt(squares / n), maxAbs };
}

/** 6 standard errors of a sampled std (normal kurtosis bounds uniform and truncated ones) + 0.5 %. */
export function stdTolerance(draws: number): number {
  return 6 * Math.sqrt(2 / (4 * draws)) + 0.005;
}

// ---------------------------------------------------------------------------------------------
// Initializer names as TF.js has them

let namedConfigs: Map<string, string> | undefined;

/**
 * TF.js's name of a layer's initializer from its getConfig(): TF.js serializes glorotNormal & co. as
 * VarianceScaling, so those are named back by asking TF.js what config each named one has.
 */
export function tfjsInitializerName(serialized: unknown): string {
  const { className, config } = serialized as { className: string; config: Record<string, unknown> };
  if (!namedConfigs) {
    namedConfigs = new Map();
    for (const name of ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'leCunUniform', 'leCunNormal'] as const) {
      const c = tf.initializers[name]({}).getConfig();
      namedConfigs.set(JSON.stringify([c.scale, c.mode, c.distribution]), name);
    }
  }
  if (className === 'VarianceScaling') return namedConfigs.get(JSON.stringify([config.scale, config.mode, config.distribution])) ?? className;
  return className;
}
