// The CNN benchmark compares like with like: the network our side trains (the engine's spec of
// examples/keras_cnn.py) has the layer sizes the PyTorch peer builds (bench/pytorch_mlp.py --model cnn, NCHW).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText, setGrammarDirectory } from '../../src/analysis/index';
import { modelSpecFromReport } from '../../src/training-spec';

const root = resolve(import.meta.dirname, '../..');
setGrammarDirectory(join(root, 'dist/tree-sitter'));

test('bench CNN: the spec of examples/keras_cnn.py and the PyTorch peer have the same layers and 225,034 parameters', async () => {
  const report = await analyzeText(readFileSync(join(root, 'examples/keras_cnn.py'), 'utf8'), 'keras_cnn.py');
  const converted = modelSpecFromReport(report.models[0]);
  assert.ok('spec' in converted, 'keras_cnn.py is trainable');
  const layers = converted.spec.layers.map((l) => [l.type, l.filters ?? l.units ?? l.poolSize, l.kernelSize, l.padding, l.activation].filter((v) => v !== undefined).join(' '));
  assert.deepEqual(layers, ['conv2d 32 3,3 valid relu', 'maxPooling2d 2,2 valid', 'conv2d 64 3,3 valid relu', 'maxPooling2d 2,2 valid', 'flatten', 'dense 128 relu', 'dense 10 softmax']);
  // 28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -pool2-> 5: 5 * 5 * 64 = 1600 inputs to the first dense layer.
  const params = (3 * 3 * 1 * 32 + 32) + (3 * 3 * 32 * 64 + 64) + (1600 * 128 + 128) + (128 * 10 + 10);
  assert.equal(params, 225_034);
  const peer = readFileSync(join(root, 'bench/pytorch_mlp.py'), 'utf8');
  for (const layer of ['nn.Conv2d(1, 32, kernel_size=3)', 'nn.Conv2d(32, 64, kernel_size=3)', 'nn.Linear(64 * 5 * 5, 128)', 'nn.Linear(128, 10)']) {
    assert.ok(peer.includes(layer), `bench/pytorch_mlp.py builds ${layer}`);
  }
  assert.equal((peer.match(/nn\.MaxPool2d\(2\)/g) ?? []).length, 2);
});
