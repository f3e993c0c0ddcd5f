/**
 * TF.js oracle (@tensorflow/tfjs 4.22 in Node, CPU backend). The frameworks decide what exists; the engine
 * must match it:
 * - TS/JS examples and fixtures: each module is imported and the models it exports (model values, and the
 *   models its exported no-argument functions return) are what is compared: their layers in creation order
 *   against the engine's, with classes, given names, output shapes, parameter counts, weight names and shapes,
 *   TF.js's own fans and scales (read off its seeded VarianceScaling), the initializer in each layer's
 *   getConfig(), and the statistics of the values TF.js actually drew against the engine's bound / σ.
 * - Keras (.py): no Python Keras here, so each model is written again with TF.js layers in kerasTwins.ts, by
 *   hand from the .py, with Keras' defaults from kerasDefaults.ts (Keras' source, cited there) and Keras'
 *   corrected truncated normals (σ / 0.8796…) drawn by TF.js; the engine's Keras numbers must match those.
 * - model.json round trips: each of those models' toJSON(), read by the engine and loaded by TF.js's
 *   modelFromJSON (the file is the config, so rebuilding from it is the point); JSON fixtures likewise.
 * Every oracle prints what it skipped and why (t.diagnostic) and fails on a skip not in ALLOWED_SKIPS.
 *
 * Manual mutation check (issue #13), done when this oracle was written: make the engine read `Dense(128)` as
 * 96 units, e.g. in src/analysis/layers/keras.ts `dense`: `const units = ((u) => (u === 128 ? 96 : u))(sizeArg(args, 'units'));`,
 * then run `node --import tsx --test test/oracle/tfjs.test.ts`: the TF.js oracle fails on examples/tfjs_mlp.ts
 * (output shape [null, 96] vs TF.js's [null, 128]) and the Keras oracle on examples/seed_keras_mlp.py. Revert it.
 * The test 'an engine reading Dense(128) as 96 units fails the comparison' automates the same with a mutated text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { analyzeText } from '../../src/analysis/index';
import type { LayerReport, ModelReport, WeightReport } from '../../src/analysis/types';
import { type KerasPadding, kerasConvLength, kerasDeconvLength, kerasPoolLength } from '../../src/analysis/shapes';
import {
  KERAS_DEFAULT_INITIALIZERS, KERAS_TRUNCATION_CORRECTION, type KerasInitializer, kerasInitializer, kerasLowRankFans, kerasName, squashed,
} from './kerasDefaults';
import { KERAS_FACTS, KERAS_TWINS, type KerasLayerFacts, type KerasWeightInitializer } from './kerasTwins';
import {
  INITIALIZER_OF_WEIGHT, type AllowedSkip, type Initializer, MIN_DRAWS, Skips, type TfLayer, drawInitializer, drawLayerWeights, exportedModels, generatedName, layersInOrder,
  samplerScale, statistics, stdTolerance, tfjsFans, tfjsInitializerName,
} from './tfjsOracle';

const ROOT = join(__dirname, '..', '..');
const DIRS = ['examples', 'test/fixtures/models'];

function sourceFiles(extensions: string[]): string[] {
  return DIRS.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => extensions.includes(extname(f))).map((f) => `${dir}/${f}`)).sort();
}

/** The only skips an oracle may make, each at one place, each with the reason it cannot be compared. */
const ALLOWED_SKIPS: AllowedSkip[] = [
  { reason: 'export-not-a-model', where: 'examples/tfjs_mlp.ts#train', why: 'train(model, images, labels) trains the model it is given; it builds none' },
  {
    reason: 'tfjs-causal-as-keras-json', where: 'test/fixtures/models/tfjs_layers.ts#sequenceModel',
    why: "TF.js 4.22 shapes a 'causal' conv as 'valid', Keras does not: read as a bare Keras topology the model rightly gets Keras' shapes, which TF.js cannot confirm (its model.json form is compared)",
  },
];

interface Tally {
  layers: number;
  weights: number;
  sampled: number;
  scaleDraws: number;
}

/** What the framework side knows about a model. */
interface FrameworkModel {
  framework: 'tfjs' | 'keras';
  model: tf.LayersModel;
  /** Keras: what Keras does for a TF.js layer (initializers, reset_after). */
  keras?: (layer: TfLayer) => KerasLayerFacts | undefined;
  /** Keras JSON loaded by TF.js: the layers hold TF.js's initializers, so Keras' are drawn on their own. */
  drawKerasDirectly?: boolean;
}

const first = (initializer: string) => squashed(initializer.split(/[ (]/)[0]);
const close = (a: number, b: number, relative: number) => Math.abs(a - b) <= relative * Math.abs(b);

/**
 * Keras' GRU with reset_after=True keeps a (2, 3·units) bias (keras/src/layers/rnn/gru.py, GRUCell.build:
 * bias_shape = (2, 3 * units)); TF.js 4.22 has only the (3·units,) one: one more row of the same zeros.
 */
function expectedShape(tfShape: number[], weight: string, facts: KerasLayerFacts | undefined): number[] {
  return facts?.resetAfter && weight === 'bias' ? [2, ...tfShape] : tfShape;
}

function expectedFans(shape: number[], framework: 'tfjs' | 'keras'): { fanIn: number; fanOut: number } {
  // Keras' compute_fans and TF.js's computeFans agree for ranks 2..5 (both sources); below that Keras' own rule.
  return framework === 'keras' && shape.length < 2 ? kerasLowRankFans(shape) : tfjsFans(shape);
}

function assertFans(where: string, weight: WeightReport, shape: number[], framework: 'tfjs' | 'keras'): void {
  const expected = expectedFans(shape, framework);
  for (const mode of ['fanIn', 'fanOut'] as const) {
    const fan = weight[mode];
    assert.ok(fan !== null, `${where}: engine ${mode} unknown`);
    assert.ok(close(fan, expected[mode], 1e-5), `${where}: engine ${mode} ${fan}, ${framework === 'tfjs' ? "TF.js's VarianceScaling uses" : 'Keras uses'} ${expected[mode]}`);
  }
}

/** The static comparison of one layer: class, given name, output shape, weight names/shapes/fans, parameters. */
function assertLayer(where: string, engine: LayerReport, layer: TfLayer, framework: 'tfjs' | 'keras', facts?: KerasLayerFacts): void {
  const className = layer.getClassName();
  if (className === 'InputLayer') assert.equal(engine.kind, 'input', `${where}: TF.js has an InputLayer, the engine a ${engine.type}`);
  else assert.equal(squashed(engine.type), squashed(className), `${where}: layer class`);
  if (!generatedName(layer)) assert.equal(engine.name, layer.name, `${where}: the name the code gives`);
  assert.deepEqual(engine.outputShape, layer.outputShape, `${where}: output shape`);
  const tfWeights = layer.weights.map((w) => ({ name: w.originalName.slice(w.originalName.lastIndexOf('/') + 1), shape: w.shape as number[] }));
  assert.deepEqual(engine.weights.map((w) => w.name), tfWeights.map((w) => w.name), `${where}: weight names`);
  let params = 0;
  for (const [i, weight] of engine.weights.entries()) {
    const shape = expectedShape(tfWeights[i].shape, weight.name, facts);
    assert.deepEqual(weight.shape, shape, `${where}.${weight.name}: shape`);
    assertFans(`${where}.${weight.name}`, weight, shape, framework);
    params += shape.reduce((a, b) => a * b, 1);
  }
  if (!facts?.resetAfter) assert.equal(params, layer.countParams(), `${where}: TF.js's countParams`);
  assert.equal(engine.params, params, `${where}: params`);
}

function assertDrawsMatch(where: string, weight: WeightReport, chunks: Float32Array[]): void {
  const drawn = statistics(chunks);
  const use = weight.inUse;
  if (use.distribution === 'constant') {
    assert.ok(drawn.std < 1e-7, `${where}: ${weight.initializer} is constant, TF.js drew std ${drawn.std}`);
    assert.ok(Math.abs(drawn.mean - (use.value ?? NaN)) < 1e-6, `${where}: constant ${use.value}, TF.js ${drawn.mean}`);
    return;
  }
  assert.ok(use.actualStd != null, `${where}: engine gives no std for ${weight.initializer}`);
  assert.ok(Math.abs(drawn.std - use.actualStd) / use.actualStd < stdTolerance(drawn.n),
    `${where}: ${weight.initializer}: engine std ${use.actualStd}, TF.js drew ${drawn.std} over ${drawn.n}`);
  if (use.distribution === 'uniform' && use.limit != null) {
    assert.ok(drawn.maxAbs <= use.limit * (1 + 1e-6), `${where}: TF.js drew |w| ${drawn.maxAbs} beyond the engine's bound ${use.limit}`);
    assert.ok(drawn.maxAbs >= use.limit * (1 - 10 / drawn.n), `${where}: TF.js's largest |w| ${drawn.maxAbs} is well inside ${use.limit}`);
  }
  if (use.distribution === 'truncated_normal' && use.std != null) {
    assert.ok(drawn.maxAbs <= 2 * use.std * (1 + 1e-6), `${where}: truncated at 2σ = ${2 * use.std}, TF.js drew ${drawn.maxAbs}`);
    // N(0, 1) cut at ±2 puts ≈ 0.226·x of its mass within 2x of the cut: the largest of n draws falls short by
    // more than a relative x = 70/n with probability ≈ e^(−15).
    assert.ok(drawn.maxAbs >= 2 * use.std * (1 - Math.min(0.5, 70 / drawn.n)), `${where}: TF.js's largest |w| ${drawn.maxAbs} is well inside 2σ = ${2 * use.std}`);
  }
}

const measuredCache = new Map<string, number>();

/** Std of `draws` fresh values of `init` on `shape` (cached per shape: fans are all that differ). */
function measuredStd(key: string, init: () => Initializer, shape: number[], tally: Tally): number {
  const cacheKey = `${key}:${shape.join('x')}`;
  let std = measuredCache.get(cacheKey);
  if (std === undefined) {
    const chunks = drawInitializer(init(), shape, MIN_DRAWS);
    std = statistics(chunks).std;
    tally.scaleDraws += chunks.reduce((n, c) => n + c.length, 0);
    measuredCache.set(cacheKey, std);
  }
  return std;
}

/**
 * The engine's Glorot/He/LeCun columns against TF.js: the bound and sampler σ exactly (seeded draws), and the
 * std of what the framework's Glorot normal really draws (TF.js: uncorrected; Keras: σ / 0.8796… through TF.js's
 * truncatedNormal, as Keras' VarianceScaling does), and Keras' he_normal / lecun_normal likewise.
 */
function assertScales(where: string, weight: WeightReport, shape: number[], framework: 'tfjs' | 'keras', tally: Tally): void {
  // Keras' rank-0/1 fans are (n, n): a TF.js weight of shape [n, n] has exactly those fans.
  const probe = framework === 'keras' && shape.length < 2 ? (({ fanIn, fanOut }) => [fanIn, fanOut])(kerasLowRankFans(shape)) : shape;
  const exact: [keyof WeightReport, Parameters<typeof samplerScale>[0]][] = [
    ['xavierUniformLimit', 'glorotUniform'], ['xavierNormalStd', 'glorotNormal'], ['heNormalStd', 'heNormal'], ['lecunNormalStd', 'leCunNormal'],
  ];
  for (const [field, name] of exact) {
    const engine = weight[field] as number | null;
    assert.ok(engine != null, `${where}: engine ${field} unknown`);
    const tfjs = samplerScale(name, probe);
    assert.ok(close(engine, tfjs, 1e-5), `${where}: engine ${field} ${engine}, TF.js's ${name} uses ${tfjs}`);
  }
  const measured: [keyof WeightReport, KerasInitializer | 'tfjs:glorotNormal'][] = framework === 'tfjs'
    ? [['xavierNormalActualStd', 'tfjs:glorotNormal']]
    : [['xavierNormalActualStd', 'glorot_normal'], ['heNormalStd', 'he_normal'], ['lecunNormalStd', 'lecun_normal']];
  for (const [field, init] of measured) {
    const engine = weight[field] as number | null;
    assert.ok(engine != null, `${where}: engine ${field} unknown`);
    const make = init === 'tfjs:glorotNormal' ? () => tf.initializers.glorotNormal({}) : () => kerasInitializer(init);
    const std = measuredStd(String(init), make, probe, tally);
    assert.ok(Math.abs(std - engine) / engine < stdTolerance(MIN_DRAWS),
      `${where}: engine ${field} ${engine}, ${init === 'tfjs:glorotNormal' ? "TF.js's glorotNormal" : `Keras' ${init} (σ / ${KERAS_TRUNCATION_CORRECTION} in TF.js)`} drew std ${std}`);
  }
}

/** The initializer the framework uses for one weight: its name (and, for Keras, whether the code wrote it). */
function assertInitializerName(where: string, weight: WeightReport, layer: TfLayer, facts: KerasLayerFacts | undefined, framework: 'tfjs' | 'keras'): KerasWeightInitializer | undefined {
  const slot = INITIALIZER_OF_WEIGHT[weight.name];
  assert.ok(slot, `${where}: no initializer slot known for a weight named ${weight.name}`);
  if (framework === 'tfjs') {
    const tfjs = tfjsInitializerName((layer.getConfig() as Record<string, unknown>)[slot]);
    assert.equal(first(weight.initializer), squashed(tfjs), `${where}: engine says ${weight.initializer}, the TF.js layer's config ${tfjs}`);
    return undefined;
  }
  const keras = facts?.initializers.get(slot);
  assert.ok(keras, `${where}: no Keras initializer for ${slot} (add the layer class to KERAS_DEFAULT_INITIALIZERS)`);
  const cited = keras.source === 'default' ? ` (${KERAS_DEFAULT_INITIALIZERS[facts?.className ?? '']?.source})` : '';
  assert.equal(first(weight.initializer), squashed(keras.keras), `${where}: engine says ${weight.initializer}, Keras uses ${keras.keras}${cited}`);
  assert.equal(weight.initializerSource, keras.source, `${where}: ${keras.keras} is Keras' ${keras.source === 'default' ? 'default' : 'written initializer'}`);
  return keras;
}

/** Every layer and weight of one model, engine against framework. */
function compareModel(where: string, engine: ModelReport, side: FrameworkModel, tally: Tally): void {
  assert.equal(engine.framework, side.framework, `${where}: framework`);
  const layers = layersInOrder(side.model);
  const kinds = (ls: { kind?: string; type?: string }[]) => ls.map((l) => l.kind ?? l.type);
  assert.equal(engine.layers.length, layers.length,
    `${where}: the engine has ${engine.layers.length} layers (${kinds(engine.layers)}), the framework ${layers.length} (${layers.map((l) => l.getClassName())})`);
  let total = 0;
  for (const [i, layer] of layers.entries()) {
    const report = engine.layers[i];
    const at = `${where}.${report.name}`;
    const facts = side.keras?.(layer);
    assertLayer(at, report, layer, side.framework, facts);
    total += report.params ?? NaN;
    tally.layers++;
    // Constants, orthogonal matrices (mean square exactly gain²/max(rows, cols)) and LSTM forget-gate biases
    // are the same every draw: one is enough (and TF.js's orthogonal is a slow QR in plain JS).
    const wanted = new Map(report.weights.map((w) => [w.name, ['constant', 'orthogonal', 'other'].includes(w.inUse.distribution) ? 1 : MIN_DRAWS]));
    const pooled = drawLayerWeights(layer, wanted);
    for (const [j, weight] of report.weights.entries()) {
      const w = `${at}.${weight.name}`;
      const keras = assertInitializerName(w, weight, layer, facts, side.framework);
      const shape = layer.weights[j].shape as number[];
      // TF.js's SeparableConv draws its pointwise kernel with the depthwise initializer (tfjs-layers
      // convolutional.ts); Keras does not. Keras' initializers of a loaded Keras JSON are not in the TF.js layers.
      const direct = keras && (side.drawKerasDirectly || (weight.name === 'pointwise_kernel' && layer.getClassName() === 'SeparableConv2D'));
      const chunks = direct ? drawInitializer(keras.init, shape, wanted.get(weight.name) ?? MIN_DRAWS) : pooled.get(weight.name) ?? [];
      assertDrawsMatch(w, weight, chunks);
      assertScales(w, weight, weight.shape as number[], side.framework, tally);
      tally.weights++;
      tally.sampled += chunks.reduce((n, c) => n + c.length, 0);
    }
  }
  assert.equal(engine.totalParams, total, `${where}: total params`);
  if (!layers.some((l) => side.keras?.(l)?.resetAfter)) assert.equal(engine.totalParams, side.model.countParams(), `${where}: TF.js's countParams`);
}

/** The TF.js model's topology as JSON text: bare (as Keras' to_json) or inside a TF.js model.json. */
function topologyText(model: tf.LayersModel, asTfjsModelJson: boolean): { text: string; topology: object } {
  const topology = model.toJSON(undefined, false) as object;
  const document = asTfjsModelJson ? { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, modelTopology: topology } : topology;
  return { text: JSON.stringify(document, null, 2), topology };
}

/**
 * The topology with every initializer Zeros: the round trip compares shapes, fans and counts, no values, and
 * TF.js's orthogonal initializer is a QR in plain JS that takes seconds for an LSTM's recurrent kernel.
 */
function zeroInitializers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(zeroInitializers);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith('_initializer') && v ? { class_name: 'Zeros', config: {} } : zeroInitializers(v)]));
}

/** A GRU that Keras would build with reset_after=True from this topology entry (gru.py: reset_after=True). */
function kerasResetAfter(layer: TfLayer, config: Record<string, unknown> | undefined): boolean {
  return layer.getClassName() === 'GRU' && config?.reset_after !== false && config?.resetAfter !== false;
}

/** The engine reads the model's toJSON(), TF.js loads it: every layer the same (shapes, weights, fans, counts). */
async function roundTrip(where: string, model: tf.LayersModel, skips: Skips): Promise<void> {
  const causal = model.layers.some((l) => (l.getConfig() as { padding?: unknown }).padding === 'causal');
  for (const asTfjsModelJson of [false, true]) {
    if (!asTfjsModelJson && causal) {
      skips.add('tfjs-causal-as-keras-json', where, 'bare Keras topology of a model with a causal conv not compared');
      continue;
    }
    const { text, topology } = topologyText(model, asTfjsModelJson);
    const { models, notices } = await analyzeText(text, 'model.json');
    assert.equal(models.length, 1, `${where} (JSON): one model read from the JSON (${notices})`);
    const report = models[0];
    const framework = asTfjsModelJson ? 'tfjs' : 'keras';
    assert.equal(report.framework, framework);
    const loaded = await tf.models.modelFromJSON(zeroInitializers(topology) as never);
    const entries = (topology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers;
    const configs = new Map(entries.map((l) => [l.config.name as string, l.config]));
    assert.deepEqual(report.layers.map((l) => l.name).sort(), layersInOrder(loaded).map((l) => l.name).sort(), `${where} (JSON): layers`);
    let extra = 0;
    for (const engineLayer of report.layers) {
      const layer = loaded.getLayer(engineLayer.name);
      const resetAfter = framework === 'keras' && kerasResetAfter(layer, configs.get(layer.name));
      const facts = resetAfter ? { className: 'GRU', initializers: new Map(), resetAfter } : undefined;
      assertLayer(`${where} (JSON).${engineLayer.name}`, engineLayer, layer, framework, facts);
      if (resetAfter) extra += (engineLayer.params ?? 0) - layer.countParams();
    }
    assert.equal(report.totalParams, loaded.countParams() + extra, `${where} (JSON): total params`);
  }
}

/** Pairs exported models with engine models: the same layer classes in the same order, best match first. */
function pairModels(file: string, exported: { name: string; model: tf.LayersModel }[], engine: ModelReport[]): [string, tf.LayersModel, ModelReport][] {
  const classes = (model: tf.LayersModel) => layersInOrder(model).map((l) => (l.getClassName() === 'InputLayer' ? 'input' : squashed(l.getClassName())));
  const engineClasses = (report: ModelReport) => report.layers.map((l) => (l.kind === 'input' ? 'input' : squashed(l.type)));
  assert.equal(engine.length, exported.length,
    `${file}: the file exports ${exported.length} model(s) (${exported.map((e) => e.name)}), the engine found ${engine.length} (${engine.map((m) => m.name)})`);
  const free = [...engine];
  return exported.map(({ name, model }) => {
    const want = classes(model);
    const score = (report: ModelReport) => {
      const have = engineClasses(report);
      return have.filter((c, i) => c === want[i]).length - Math.abs(have.length - want.length);
    };
    free.sort((a, b) => score(b) - score(a));
    const report = free.shift() as ModelReport;
    return [name, model, report];
  });
}

test('TF.js oracle: the models each TS/JS example and fixture exports', async (t) => {
  await tf.setBackend('cpu');
  const skips = new Skips(ALLOWED_SKIPS);
  const tally: Tally = { layers: 0, weights: 0, sampled: 0, scaleDraws: 0 };
  for (const file of sourceFiles(['.ts', '.js'])) {
    await t.test(file, async (st) => {
      const exported = await exportedModels(pathToFileURL(join(ROOT, file)).href, file, skips);
      const report = await analyzeText(readFileSync(join(ROOT, file), 'utf8'), file);
      for (const notice of report.notices) st.diagnostic(`engine notice: ${notice}`);
      for (const [name, model, engine] of pairModels(file, exported, report.models)) {
        st.diagnostic(`${file}#${name} ↔ engine's ${engine.name} (line ${engine.line})`);
        compareModel(`${file}#${name}`, engine, { framework: 'tfjs', model }, tally);
        await roundTrip(`${file}#${name}`, model, skips);
      }
    });
  }
  t.diagnostic(`compared ${tally.layers} layers, ${tally.weights} weights; ${tally.sampled} values drawn from the layers, ${tally.scaleDraws} for the scales`);
  skips.settle(t);
});

const IMPORTS_KERAS = /^\s*(?:from|import)\s+(?:tensorflow|keras|tf_keras)\b/m;

test('Keras oracle: every Keras model of the .py examples and fixtures, against its TF.js twin', async (t) => {
  await tf.setBackend('cpu');
  const skips = new Skips(ALLOWED_SKIPS);
  const tally: Tally = { layers: 0, weights: 0, sampled: 0, scaleDraws: 0 };
  const files = sourceFiles(['.py']).filter((f) => IMPORTS_KERAS.test(readFileSync(join(ROOT, f), 'utf8')));
  assert.deepEqual(Object.keys(KERAS_TWINS).sort(), files, 'a TF.js twin for every .py that imports Keras, and none for another');
  for (const file of files) {
    await t.test(file, async (st) => {
      const report = await analyzeText(readFileSync(join(ROOT, file), 'utf8'), file);
      for (const notice of report.notices) st.diagnostic(`engine notice: ${notice}`);
      const keras = report.models.filter((m) => m.framework !== 'pytorch');
      const others = report.models.length - keras.length;
      if (others) st.diagnostic(`${others} PyTorch model(s) left to the PyTorch oracle`);
      const twins = KERAS_TWINS[file];
      assert.deepEqual(keras.map((m) => m.name).sort(), Object.keys(twins).sort(), `${file}: the Keras models`);
      for (const engine of keras) {
        const model = twins[engine.name]();
        compareModel(`${file}#${engine.name}`, engine, { framework: 'keras', model, keras: (l) => KERAS_FACTS.get(l) }, tally);
        await roundTrip(`${file}#${engine.name}`, model, skips);
      }
    });
  }
  t.diagnostic(`compared ${tally.layers} layers, ${tally.weights} weights; ${tally.sampled} values drawn from the layers, ${tally.scaleDraws} for the scales`);
  skips.settle(t);
});

type Json = Record<string, unknown>;

/** keras_history entries of a Keras 3 node argument (a tensor, or a list of them). */
function histories(arg: unknown): unknown[][] {
  if (Array.isArray(arg)) return arg.flatMap(histories);
  const config = (arg as Json).config as Json | undefined;
  return config?.keras_history ? [config.keras_history as unknown[]] : [];
}

/**
 * A Keras 3 `to_json()` document in the Keras 2 layout TF.js loads: inbound nodes as [layer, node, tensor, {}]
 * lists, `batch_shape` as `batch_input_shape`, dtype policies as their names, no module / registered_name.
 * Only the document's spelling changes; every layer and argument is the file's.
 */
function keras3AsKeras2(document: Json): Json {
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Json;
    if (object.class_name === 'DTypePolicy') return ((object.config as Json).name as string) ?? 'float32';
    return Object.fromEntries(Object.entries(object).filter(([k]) => k !== 'module' && k !== 'registered_name').map(([k, v]) => [k === 'batch_shape' ? 'batch_input_shape' : k, clean(v)]));
  };
  const config = document.config as Json;
  const layers = (config.layers as Json[]).map((layer) => ({
    class_name: layer.class_name,
    name: layer.name,
    config: clean(layer.config),
    inbound_nodes: (layer.inbound_nodes as Json[]).map((node) => histories(node.args).map((h) => [...h, {}])),
  }));
  return { class_name: 'Model', config: { name: config.name, layers, input_layers: config.input_layers, output_layers: config.output_layers } };
}

test('Keras oracle: JSON fixtures, loaded by TF.js from the file itself', async (t) => {
  await tf.setBackend('cpu');
  const tally: Tally = { layers: 0, weights: 0, sampled: 0, scaleDraws: 0 };
  for (const file of sourceFiles(['.json'])) {
    await t.test(file, async () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const document = JSON.parse(text) as Json;
      assert.equal(document.module, 'keras', `${file}: only Keras 3 documents are fixtures so far; teach this oracle the new kind`);
      const topology = keras3AsKeras2(document);
      const model = await tf.models.modelFromJSON(topology as never);
      // Keras' initializers, per layer, as the file writes them or as Keras' defaults.
      const facts = new Map<string, KerasLayerFacts>();
      for (const layer of (document.config as { layers: Json[] }).layers) {
        const className = layer.class_name as string;
        const config = layer.config as Json;
        const initializers = new Map<string, KerasWeightInitializer>();
        for (const [slot, fallback] of Object.entries(KERAS_DEFAULT_INITIALIZERS[className]?.defaults ?? {})) {
          const written = config[slot.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] as Json | undefined;
          const chosen: KerasInitializer = written ? [written.class_name as string, (written.config ?? {}) as Record<string, number>] : fallback;
          initializers.set(slot, { keras: kerasName(chosen), source: written ? 'explicit' : 'default', init: kerasInitializer(chosen) });
        }
        facts.set(layer.name as string, { className, initializers, resetAfter: className === 'GRU' && config.reset_after !== false });
      }
      const { models } = await analyzeText(text, file);
      assert.equal(models.length, 1, `${file}: one model`);
      compareModel(file, models[0], { framework: 'keras', model, keras: (l) => facts.get(l.name), drawKerasDirectly: true }, tally);
    });
  }
  t.diagnostic(`compared ${tally.layers} layers, ${tally.weights} weights; ${tally.sampled} values drawn, ${tally.scaleDraws} for the scales`);
});

/**
 * The oracle's power, automated: the engine is shown the file with Dense(128) written as 96 units (what a
 * misreading engine would report: totals 82,218 instead of 109,386), the frameworks build the real file, and the
 * comparison must fail. The engine itself is mutated by hand (see the header) for the full check.
 */
test('TF.js and Keras oracles: an engine reading Dense(128) as 96 units fails the comparison', async () => {
  await tf.setBackend('cpu');
  const tally: Tally = { layers: 0, weights: 0, sampled: 0, scaleDraws: 0 };
  const cases = [
    { file: 'examples/tfjs_mlp.ts', written: 'units: 128,', misread: 'units: 96,', framework: 'tfjs' as const },
    { file: 'examples/seed_keras_mlp.py', written: 'Dense(128,', misread: 'Dense(96,', framework: 'keras' as const },
  ];
  for (const { file, written, misread, framework } of cases) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    assert.equal(text.split(written).length, 2, `${file} writes ${written} once`);
    const { models } = await analyzeText(text.replace(written, misread), file);
    assert.equal(models.length, 1);
    assert.equal(models[0].totalParams, 82_218, `${file}: the misread model's total`);
    const model = framework === 'tfjs'
      ? (await exportedModels(pathToFileURL(join(ROOT, file)).href, file, new Skips(ALLOWED_SKIPS))).find((e) => e.name === 'buildModel()')?.model
      : KERAS_TWINS[file].model();
    assert.ok(model, `${file}: the framework's model`);
    assert.equal(model.countParams(), 109_386, `${file}: the framework's total`);
    const side: FrameworkModel = framework === 'tfjs' ? { framework, model } : { framework, model, keras: (l) => KERAS_FACTS.get(l) };
    assert.throws(() => compareModel(file, models[0], side, tally), /dense: output shape/, `${file}: a 96-unit reading of Dense(128) must fail the oracle`);
  }
});

test("TF.js oracle: a truncated normal at 2σ keeps 0.8796… of σ, and σ / 0.8796… (Keras' correction) keeps σ", async () => {
  await tf.setBackend('cpu');
  for (const [sigma, expected] of [[1, KERAS_TRUNCATION_CORRECTION], [0.05 / KERAS_TRUNCATION_CORRECTION, 0.05]]) {
    const sample = tf.truncatedNormal([1_000_000], 0, sigma);
    const std = tf.tidy(() => tf.moments(sample).variance.sqrt().dataSync()[0]);
    sample.dispose();
    // The std of 10⁶ draws has a relative standard error of ≈ 0.0006: 0.003 is 5 of them.
    assert.ok(Math.abs(std - expected) / expected < 0.003, `TF.js truncatedNormal(σ = ${sigma}) drew std ${std}, expected ${expected}`);
  }
});

test('TF.js oracle: conv / transposed-conv / pool output lengths over a grid (channels-last conventions)', async () => {
  await tf.setBackend('cpu');
  let compared = 0;
  for (const n of [1, 2, 5, 7, 8, 13, 28]) {
    for (const k of [1, 2, 3, 5]) {
      for (const s of [1, 2, 3]) {
        for (const d of [1, 2]) {
          if (s > 1 && d > 1) continue; // Keras and TF.js refuse strides and dilation both above 1
          // 'causal' is left out: TF.js 4.22 shapes it as 'valid' (the engine follows that for TF.js models only).
          for (const padding of ['valid', 'same'] as KerasPadding[]) {
            const conv = tf.layers.conv1d({ filters: 1, kernelSize: k, strides: s, dilationRate: d, padding: padding as 'valid' }).computeOutputShape([null, n, 1]) as number[];
            assert.equal(kerasConvLength(n, k, padding, s, d), conv[1], `conv1d n=${n} k=${k} s=${s} d=${d} ${padding}`);
            compared++;
            if (d > 1) continue;
            const pool = tf.layers.maxPooling1d({ poolSize: k, strides: s, padding: padding as 'valid' }).computeOutputShape([null, n, 1]) as number[];
            assert.equal(kerasPoolLength(n, k, padding, s), pool[1], `maxPooling1d n=${n} p=${k} s=${s} ${padding}`);
            const deconv = tf.layers.conv2dTranspose({ filters: 1, kernelSize: k, strides: s, padding: padding as 'valid' }).computeOutputShape([null, n, n, 1]) as number[];
            assert.equal(kerasDeconvLength(n, k, padding, s, 1, undefined), deconv[1], `conv2dTranspose n=${n} k=${k} s=${s} ${padding}`);
            compared += 2;
          }
        }
      }
    }
  }
  assert.ok(compared > 400, `compared ${compared}`);
});
