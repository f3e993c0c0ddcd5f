// Every example in examples/ whose model the training panel can build trains one epoch on MNIST in headless
// Chromium (the panel's own training code through the headless runner) above 80% validation accuracy on WASM,
// the dense ones on WebGL too (SwiftShader here) and a CNN on a short WebGL run, with no tensor left behind; the
// CPU backend on reduced runs (see RUNS). The examples it
// cannot build are listed with the reason the panel gives. Needs `npm run build` and Chromium.
//   One backend or example:  node --import tsx --test --test-name-pattern='wasm: keras_cnn' test/webview/examples-train.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText, setGrammarDirectory } from '../../src/analysis/index';
import { openHeadlessSession, type HeadlessSession } from '../../src/cli/headless-runner';
import { modelSpecFromReport } from '../../src/training-spec';
import type { ModelSpec, TrainingConfig } from '../../src/protocol';
import type { ComparisonOptions } from '../../webview/training/index';

const root = resolve(import.meta.dirname, '../..');
const examplesDir = join(root, 'examples');
setGrammarDirectory(join(root, 'dist', 'tree-sitter'));

const files = readdirSync(examplesDir).filter((f) => /\.(py|ts)$/.test(f)).sort();

/** Every model of an example, with its spec or the reason the panel refuses it (analysed once per file). */
const analysed = new Map<string, Promise<{ model: string; result: ReturnType<typeof modelSpecFromReport> }[]>>();
function modelsOf(file: string) {
  if (!analysed.has(file)) {
    analysed.set(file, analyzeText(readFileSync(join(examplesDir, file), 'utf8'), file).then((report) =>
      report.models.map((model) => ({ model: model.name, result: modelSpecFromReport(model) }))));
  }
  return analysed.get(file)!;
}

async function specsOf(file: string): Promise<ModelSpec[]> {
  return (await modelsOf(file)).flatMap((m) => ('spec' in m.result ? [m.result.spec] : []));
}

let session: HeadlessSession;

before(async () => {
  session = await openHeadlessSession({ root });
});

after(async () => {
  await session?.close();
});

test('the convolutional examples of every framework are among those the panel trains; the rest say what stops them', async (t) => {
  for (const cnn of ['keras_cnn.py', 'tfjs_cnn.ts', 'pytorch_cnn.py']) assert.equal((await specsOf(cnn)).length, 1, `${cnn} is not trainable`);
  for (const file of files) {
    for (const m of await modelsOf(file)) {
      if (!('error' in m.result)) continue;
      t.diagnostic(`${file} (${m.model}): ${m.result.error}`);
      assert.match(m.result.error, /line \d+/, `${file}: the refusal names no line`);
    }
  }
});

function config(spec: ModelSpec, backend: TrainingConfig['backend'], batchSize: number): TrainingConfig {
  return {
    model: spec, initializers: ['xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001,
    batchSize, epochs: 1, seed: 1, backend,
  };
}

/**
 * Which models each backend trains here. WASM: every trainable example, a full epoch. WebGL runs on SwiftShader
 * (software) on a machine without a GPU: a CNN trains there at about 5 samples/s (an epoch would take ~30 minutes),
 * so CI trains the dense examples a full epoch on WebGL and one CNN a short run of 256 samples. The plain-JS CPU backend
 * runs convolutions in JS loops (about 7 samples/s for keras_cnn): one CNN and the seed MLP, on 1,024 samples.
 */
const CPU_FILES = ['keras_cnn.py', 'seed_keras_mlp.py'];
const isConvolutional = (spec: ModelSpec) => spec.layers.some((l) => l.type === 'conv2d');

interface Run {
  backend: TrainingConfig['backend'];
  batchSize: number;
  options: ComparisonOptions;
  what: string;
  takes: (file: string, spec: ModelSpec) => boolean;
  /** Validation accuracy the run must pass: 80% for a real epoch; above chance (10%) for the CNN's short WebGL run. */
  minAccuracy: number;
}

const RUNS: Run[] = [
  { backend: 'wasm', batchSize: 64, options: {}, what: '1 epoch', takes: () => true, minAccuracy: 0.8 },
  { backend: 'webgl', batchSize: 64, options: {}, what: '1 epoch', takes: (_file, spec) => !isConvolutional(spec), minAccuracy: 0.8 },
  // The convolution's WebGL kernels (forward and gradients) on a short run: it trains, learns and frees its tensors.
  { backend: 'webgl', batchSize: 32, options: { trainLimit: 256, probeSize: 100 }, what: '1 epoch of 256 samples', takes: (file, spec) => file === 'keras_cnn.py' && isConvolutional(spec), minAccuracy: 0.3 },
  { backend: 'cpu', batchSize: 16, options: { trainLimit: 1024, probeSize: 100 }, what: '1 epoch of 1,024 samples', takes: (file) => CPU_FILES.includes(file), minAccuracy: 0.8 },
];

for (const { backend, batchSize, options, what, takes, minAccuracy } of RUNS) {
  for (const file of files) {
    test(`${backend}: ${file}, if the panel can train it, trains ${what} above ${minAccuracy * 100}% validation accuracy, leaving no tensor`, async (t) => {
      const specs = await specsOf(file);
      if (specs.length === 0) {
        // Not a skip: the first test asserts that the panel refuses this file's models with a line and a reason.
        t.diagnostic(`${file}: the panel refuses its models (the first test checks the reason)`);
        return;
      }
      for (const spec of specs) {
        if (!takes(file, spec)) {
          t.diagnostic(`${file}: not trained on ${backend} in this run (see RUNS)`);
          continue;
        }
        const { result, tensorsBefore, tensorsAfter } = await session.run(config(spec, backend, batchSize), options);
        const [r] = result.results;
        t.diagnostic(`${file} on ${result.backend.backend}: val acc ${(r.finalValAccuracy * 100).toFixed(2)}%, ${r.samplesPerSec.toFixed(0)} samples/s, ${r.seconds.toFixed(1)} s`);
        assert.equal(result.backend.backend, backend, `ran on ${result.backend.backend}: ${result.backend.reason}`);
        assert.equal(result.stopped, false);
        assert.ok(r.finalValAccuracy > minAccuracy, `validation accuracy ${r.finalValAccuracy} (needs > ${minAccuracy})`);
        assert.equal(tensorsAfter, tensorsBefore, `${tensorsAfter - tensorsBefore} tensors left by the run`);
      }
    });
  }
}
