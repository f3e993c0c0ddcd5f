// modelSpecFromReport over the engine's own reports of the example models: what can be trained in the panel,
// and for what cannot, a message that names the layer that stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText, setGrammarDirectory } from '../../src/analysis/index';
import { modelSpecFromReport, SEED_MODEL } from '../../src/training-spec';

const root = resolve(import.meta.dirname, '../..');
setGrammarDirectory(join(root, 'dist/tree-sitter'));

async function convert(example: string) {
  const file = join(root, 'examples', example);
  const report = await analyzeText(readFileSync(file, 'utf8'), file);
  assert.equal(report.models.length, 1, `${example}: ${report.notices.join('; ')}`);
  return modelSpecFromReport(report.models[0]);
}

test('the seed Keras MLP and its TF.js twin convert to the seed preset layers', async () => {
  for (const example of ['seed_keras_mlp.py', 'tfjs_mlp.ts']) {
    const result = await convert(example);
    assert.ok('spec' in result, JSON.stringify(result));
    // `source` names each layer in the file (for error messages); the rest is the preset's.
    assert.ok(result.spec.layers.filter((l) => l.type === 'dense').every((l) => /^\w+: \w+, line \d+$/.test(l.source ?? '')));
    assert.deepEqual(result.spec.layers.map(({ source: _source, ...l }) => l), SEED_MODEL.layers);
    assert.equal(result.spec.id, 'custom');
  }
});

test('a PyTorch nn.Sequential: ReLU modules fold into the Linear before them, the logits layer stays linear', async () => {
  const result = await convert('pytorch_mlp_sequential.py');
  assert.ok('spec' in result, JSON.stringify(result));
  assert.deepEqual(result.spec.layers.map((l) => [l.type, l.units, l.activation]), [
    ['flatten', undefined, undefined], ['dense', 128, 'relu'], ['dense', 64, 'relu'], ['dense', 10, 'linear'],
  ]);
});

test('the Keras convnet converts with its convolutions and pooling', async () => {
  const result = await convert('keras_cnn.py');
  assert.ok('spec' in result, JSON.stringify(result));
  assert.deepEqual(result.spec.layers.map((l) => l.type), ['conv2d', 'maxPooling2d', 'conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
  assert.deepEqual(result.spec.layers[0], { type: 'conv2d', filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', source: 'conv2d: Conv2D, line 19' });
});

test('models that cannot be trained name the layer that stops them', async () => {
  const lstm = await convert('keras_lstm_text.py');
  assert.ok('error' in lstm);
  assert.match(lstm.error, /layer embedding \(Embedding, line \d+\): the training panel cannot build Embedding layers/);
  // forward() is read now (test/unit/pytorch-forward.test.ts); one it cannot follow is refused with its line.
  const residual = await convert('pytorch_init_weights.py');
  assert.ok('error' in residual);
  assert.match(residual.error, /^TextClassifier\.forward\(\) cannot be followed at line 38 \(`hidden = hidden \+ self\.dropout\(self\.ffn\(hidden\)\)`\): arithmetic on tensors/);
});
