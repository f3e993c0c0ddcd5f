/**
 * TF.js oracle (@tensorflow/tfjs 4.22 in Node, CPU backend): TF.js builds the same models as the Keras and
 * TF.js examples and fixtures (and loads their JSON topologies with tf.models.modelFromJSON); for every layer
 * the engine's output shape, parameter count, weight names and shapes must equal TF.js's, every fan must equal
 * the one TF.js's own VarianceScaling uses, and the weights TF.js draws must agree with the engine's bound / σ
 * for the initializer in use (statistically, over large draws). Expected numbers come from TF.js at test time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ParsedModel } from '../../src/analysis/ir';
import type { LayerReport, ModelReport, WeightReport } from '../../src/analysis/types';
import { parseSource } from '../../src/analysis/parse/index';
import { parseJsonModel } from '../../src/analysis/parse/json';
import { reportModel } from '../../src/analysis/report';
import { TRUNCATED_NORMAL_STD_RATIO } from '../../src/analysis/initializers';
import { type KerasPadding, kerasConvLength, kerasDeconvLength, kerasPoolLength } from '../../src/analysis/shapes';
import { type BuiltLayer, type TfLayer, buildInTfjs, drawWeights, statistics, tfjsFan } from './tfjsModels';

const ROOT = join(__dirname, '..', '..');
const LANGUAGES = { '.py': 'python', '.ts': 'typescript', '.js': 'javascript' } as const;
const SOURCES = ['examples', 'test/fixtures/models'].flatMap((dir) =>
  readdirSync(join(ROOT, dir)).filter((f) => extname(f) in LANGUAGES || extname(f) === '.json').map((f) => join(dir, f)));

/** Draws per weight for the statistical comparisons. */
const MIN_DRAWS = 20000;
let sampledWeights = 0;
let probedFans = 0;

async function engineModels(file: string): Promise<{ parsed: ParsedModel; report: ModelReport }[]> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const language = LANGUAGES[extname(file) as keyof typeof LANGUAGES];
  const { models } = language ? await parseSource(text, language) : parseJsonModel(text);
  return models.filter((m) => m.framework !== 'pytorch').map((parsed) => ({ parsed, report: reportModel(parsed) }));
}

/** Keras' GRU keeps two biases (reset_after=True, its default); TF.js 4.22 refuses reset_after, so only that bias differs. */
function knownDifference(layer: LayerReport, weightName?: string): boolean {
  return layer.config.resetAfter === true && (weightName === undefined || weightName === 'bias');
}

function assertFansMatch(where: string, weight: WeightReport): void {
  for (const [mode, fan] of [['fanIn', weight.fanIn], ['fanOut', weight.fanOut]] as const) {
    assert.ok(fan !== null, `${where}: engine ${mode} unknown`);
    const draws = Math.max(20_000, 50 * fan);
    const measured = tfjsFan(weight.shape as number[], mode, draws);
    probedFans++;
    // The probe reads the fan off the largest of `draws` uniform draws, which falls short of the limit by a
    // relative x with probability ≈ e^(−draws·x); the fan, 3/max², is then off by ≈ 2x. 30/draws keeps a false
    // alarm below e^(−15) per probe (1e-3 alone, e^(−10) at 20,000 draws, failed once for √128 in a full run).
    const tolerance = Math.max(1e-3, 30 / draws);
    assert.ok(Math.abs(measured - fan) / fan < tolerance, `${where}: engine ${mode} ${fan}, TF.js's VarianceScaling uses ${measured}`);
    if (Number.isInteger(fan)) assert.equal(Math.round(measured), fan, `${where}: ${mode}`);
  }
}

/** 6 standard errors of a sampled std (normal kurtosis bounds uniform and truncated ones) + 0.5 %. */
function stdTolerance(draws: number): number {
  return 6 * Math.sqrt(2 / (4 * draws)) + 0.005;
}

function assertDrawsMatch(where: string, weight: WeightReport, chunks: Float32Array[]): void {
  const drawn = statistics(chunks);
  const use = weight.inUse;
  sampledWeights++;
  if (use.distribution === 'constant') {
    assert.ok(drawn.std < 1e-7, `${where}: ${weight.initializer} is constant, TF.js drew std ${drawn.std}`);
    assert.ok(Math.abs(drawn.mean - (use.value ?? NaN)) < 1e-6, `${where}: constant ${use.value}, TF.js ${drawn.mean}`);
    return;
  }
  assert.ok(use.actualStd != null, `${where}: engine gives no std for ${weight.initializer}`);
  const relative = Math.abs(drawn.std - use.actualStd) / use.actualStd;
  assert.ok(relative < stdTolerance(drawn.n), `${where}: ${weight.initializer}: engine std ${use.actualStd}, TF.js drew ${drawn.std} over ${drawn.n}`);
  if (use.distribution === 'uniform' && use.limit != null) {
    assert.ok(drawn.maxAbs <= use.limit * (1 + 1e-6), `${where}: TF.js drew |w| ${drawn.maxAbs} beyond the engine's bound ${use.limit}`);
    assert.ok(drawn.maxAbs >= use.limit * (1 - 10 / drawn.n), `${where}: TF.js's largest |w| ${drawn.maxAbs} is well inside ${use.limit}`);
  }
  if (use.distribution === 'truncated_normal' && use.std != null) {
    assert.ok(drawn.maxAbs <= 2 * use.std * (1 + 1e-6), `${where}: truncated at 2σ = ${2 * use.std}, TF.js drew ${drawn.maxAbs}`);
  }
}

/** Shapes, counts, weight names/shapes and fans of one layer against TF.js's layer. */
function assertLayerMatches(where: string, engine: LayerReport, layer: TfLayer, framework: ModelReport['framework']): void {
  assert.deepEqual(engine.outputShape, layer.outputShape, `${where}: output shape`);
  const tfWeights = layer.weights.map((w) => ({ name: w.originalName.slice(w.originalName.lastIndexOf('/') + 1), shape: w.shape }));
  assert.deepEqual(engine.weights.map((w) => w.name), tfWeights.map((w) => w.name), `${where}: weight names`);
  for (const [i, weight] of engine.weights.entries()) {
    if (knownDifference(engine, weight.name)) continue;
    assert.deepEqual(weight.shape, tfWeights[i].shape, `${where}.${weight.name}: shape`);
    // Keras and TF.js share computeFans for ranks 2..5; for other ranks (biases) Keras takes shape[0], TF.js √size.
    const sameConvention = weight.shape.length >= 2 && weight.shape.length <= 5;
    if (framework === 'tfjs' || sameConvention) assertFansMatch(`${where}.${weight.name}`, weight);
  }
  if (!knownDifference(engine)) assert.equal(engine.params, layer.countParams(), `${where}: params`);
}

function assertSampled(where: string, built: BuiltLayer): void {
  const checked = built.report.weights.filter((w) => built.sampled.has(w.name) && !knownDifference(built.report, w.name));
  // Constants and orthogonal matrices (whose mean square is exactly gain²/max(rows, cols)) need one draw only.
  const wanted = new Map(checked.map((w) => [w.name, ['constant', 'orthogonal'].includes(w.inUse.distribution) ? 1 : MIN_DRAWS]));
  const pooled = drawWeights(built, wanted);
  for (const weight of checked) assertDrawsMatch(`${where}.${weight.name}`, weight, pooled.get(weight.name) ?? []);
}

/** The TF.js-built model's topology as JSON text: bare (as Keras' to_json) or inside a TF.js model.json. */
function topologyText(model: tf.LayersModel, asTfjsModelJson: boolean): { text: string; topology: object } {
  const topology = model.toJSON(undefined, false) as object;
  const document = asTfjsModelJson ? { format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, modelTopology: topology } : topology;
  return { text: JSON.stringify(document, null, 2), topology };
}

test('TF.js oracle: every Keras and TF.js model of the examples and fixtures', async (t) => {
  await tf.setBackend('cpu');
  const sources = new Map<string, { parsed: ParsedModel; report: ModelReport }[]>();
  for (const file of SOURCES) {
    const models = await engineModels(file);
    if (models.length) sources.set(file, models);
  }
  assert.ok([...sources.values()].flat().length >= 8, `expected Keras and TF.js models, found ${[...sources.keys()]}`);
  for (const [file, models] of sources) {
    for (const { parsed, report } of models) {
      await t.test(`${file}: ${report.name} (${report.framework})`, async () => {
        const built = buildInTfjs(parsed, report);
        for (const layer of built.layers) {
          const where = `${report.name}.${layer.report.name}`;
          assertLayerMatches(where, layer.report, layer.layer, report.framework);
          assertSampled(where, layer);
        }

        // The same model as a JSON topology: the engine reads the JSON, TF.js loads it.
        // TF.js shapes 'causal' convs as 'valid', Keras does not: read as a bare (Keras) topology, such a model is
        // rightly analysed with Keras' shapes, which TF.js cannot confirm; its model.json form is still compared.
        const tfjsCausal = report.framework === 'tfjs' && report.layers.some((l) => l.config.padding === 'causal');
        for (const asTfjsModelJson of tfjsCausal ? [true] : [false, true]) {
          const { text, topology } = topologyText(built.model, asTfjsModelJson);
          const { models: fromJson } = parseJsonModel(text);
          assert.equal(fromJson.length, 1, 'one model read from the JSON');
          const jsonReport = reportModel(fromJson[0]);
          assert.equal(jsonReport.framework, asTfjsModelJson ? 'tfjs' : 'keras');
          const loaded = await tf.models.modelFromJSON(topology as never);
          for (const engineLayer of jsonReport.layers) {
            const tfLayer = loaded.getLayer(engineLayer.name) as TfLayer;
            assertLayerMatches(`${report.name} (JSON).${engineLayer.name}`, engineLayer, tfLayer, jsonReport.framework);
          }
          assert.equal(jsonReport.totalParams, loaded.countParams(), 'JSON: total params');
        }
      });
    }
  }
  assert.ok(sampledWeights >= 40, `only ${sampledWeights} weights were sampled`);
  assert.ok(probedFans >= 100, `only ${probedFans} fans were probed`);
});

test('TF.js oracle: a truncated normal at 2σ keeps 0.8796… of σ (the Keras correction constant)', async () => {
  await tf.setBackend('cpu');
  const sample = tf.truncatedNormal([2_000_000], 0, 1);
  const std = tf.tidy(() => tf.moments(sample).variance.sqrt().dataSync()[0]);
  sample.dispose();
  assert.ok(Math.abs(std - TRUNCATED_NORMAL_STD_RATIO) < 0.002, `TF.js truncated normal std ${std}`);
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
