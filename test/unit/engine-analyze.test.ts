/**
 * analyzeText end to end on source text: the report's fixed JSON shape, 1-based lines, symbolic unknowns (never
 * guessed), defaults named as defaults, activation layers, and bad input turned into notices.
 * (Fans, shapes and counts are checked against TF.js and PyTorch in test/oracle/.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, languageOf } from '../../src/analysis/index';

const ROOT = join(__dirname, '..', '..');

test('the seed example gives the issue\'s JSON shape with 1-based lines and explicit/default initializers', async () => {
  const file = 'examples/seed_keras_mlp.py';
  const text = readFileSync(join(ROOT, file), 'utf8');
  const report = JSON.parse(JSON.stringify(await analyzeText(text, file)));
  assert.deepEqual(Object.keys(report).slice(0, 2), ['file', 'models']);
  const [model] = report.models;
  for (const key of ['name', 'framework', 'layers']) assert.ok(key in model, key);
  assert.equal(model.framework, 'keras');
  const dense = model.layers.find((l: { type: string }) => l.type === 'Dense');
  for (const key of ['line', 'name', 'type', 'inputShape', 'outputShape', 'params', 'activation', 'weights']) assert.ok(key in dense, key);
  const denseLine = text.slice(0, text.indexOf('Dense(')).split('\n').length;
  assert.equal(dense.line, denseLine, 'line where the Dense call begins (1-based)');
  const [kernel, bias] = dense.weights;
  for (const key of ['name', 'shape', 'fanIn', 'fanOut', 'initializer', 'initializerSource', 'xavierUniformLimit', 'xavierNormalStd', 'heNormalStd', 'lecunNormalStd']) {
    assert.ok(key in kernel, key);
  }
  assert.equal(kernel.name, 'kernel');
  assert.equal(kernel.initializerSource, 'explicit');
  assert.equal(bias.initializerSource, 'default');
  assert.equal(bias.initializer, 'zeros');
  // Sanity check with the worked numbers of docs/initializers.md (the oracle tests are what prove them).
  assert.ok(Math.abs(kernel.xavierUniformLimit - 0.081111) < 1e-6);
  assert.ok(Math.abs(kernel.xavierNormalStd - 0.046829) < 1e-6);
});

test('unknown sizes stay null with their symbolic text; nothing is guessed', async () => {
  const source = [
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
    'def build(hidden):',
    '    return keras.Sequential([keras.Input(shape=(784,)), layers.Dense(hidden), layers.Dense(10)])',
    'unshaped = keras.Sequential([layers.Dense(64), layers.Dense(10)])',
  ].join('\n');
  const report = await analyzeText(source, 'symbolic.py');
  const [built, unshaped] = report.models;
  const [first, second] = built.layers.filter((l) => l.type === 'Dense');
  assert.deepEqual(first.weights[0].shape, [784, null]);
  assert.equal(first.weights[0].fanOut, null);
  assert.equal(first.weights[0].symbolic?.fanOut, 'hidden');
  assert.equal(first.weights[0].xavierUniformLimit, null);
  assert.equal(second.weights[0].fanIn, null);
  assert.equal(second.weights[0].symbolic?.fanIn, 'hidden');
  assert.equal(second.weights[0].fanOut, 10);
  assert.equal(second.params, null);
  assert.equal(built.totalParams, null);
  const noInput = unshaped.layers[0].weights[0];
  assert.equal(noInput.fanIn, null);
  assert.ok(noInput.symbolic?.fanIn, 'an unknown input size says why');
  assert.equal(noInput.fanOut, 64);
});

test('PyTorch: activation modules name the activation of the layer before; unresolved sizes stay symbolic', async () => {
  const source = [
    'import torch.nn as nn',
    'def make(in_dim):',
    '    return nn.Sequential(nn.Linear(in_dim, 32), nn.Dropout(0.1), nn.Tanh(), nn.Linear(32, 2))',
  ].join('\n');
  const [model] = (await analyzeText(source, 'm.py')).models;
  const [first] = model.layers;
  assert.equal(first.activation, 'tanh', 'through the Dropout');
  assert.equal(first.weights[0].fanIn, null);
  assert.equal(first.weights[0].symbolic?.fanIn, 'in_dim');
  assert.equal(first.weights[0].initializerSource, 'default');
  assert.equal(model.layers[3].activation, null);
});

test('recurrent weights are listed in the framework\'s order: kernel, recurrent kernel, bias', async () => {
  const source = 'from tensorflow.keras import layers, Sequential\nm = Sequential([layers.LSTM(8, input_shape=(5, 3))])\n';
  const [model] = (await analyzeText(source, 'r.py')).models;
  assert.deepEqual(model.layers[0].weights.map((w) => w.name), ['kernel', 'recurrent_kernel', 'bias']);
});

test('bad input: half-typed code, non-model files, unknown extensions and huge files give notices, never throw', async () => {
  const halfTyped = 'from tensorflow.keras import layers, Sequential\nm = Sequential([layers.Dense(64, input_shape=(10,)), layers.Dense(\n';
  const partial = await analyzeText(halfTyped, 'half.py');
  assert.ok(partial.models.length >= 1 && partial.models[0].layers.length >= 1, 'the complete layer is still read');
  assert.equal(partial.models[0].layers[0].weights[0].fanIn, 10);

  const plain = await analyzeText('def add(a, b):\n    return a + b\n', 'util.py');
  assert.deepEqual(plain.models, []);

  const other = await analyzeText('hello', 'notes.txt');
  assert.deepEqual(other.models, []);
  assert.equal(other.notices.length, 1);

  const big = await analyzeText('x = 1\n'.repeat(1000), 'big.py', { maxBytes: 100 });
  assert.deepEqual(big.models, []);
  assert.ok(big.notices[0].includes('100 bytes'));

  const garbage = await analyzeText('\u0000\uffff(((([[[{{{', 'garbage.ts');
  assert.deepEqual(garbage.models, []);
});

test('the reader is chosen by extension', () => {
  assert.equal(languageOf('a/b/model.py'), 'python');
  assert.equal(languageOf('model.TS'), 'typescript');
  assert.equal(languageOf('App.tsx'), 'tsx');
  for (const f of ['x.js', 'x.mjs', 'x.cjs', 'x.jsx']) assert.equal(languageOf(f), 'javascript');
  assert.equal(languageOf('model.json'), 'json');
  assert.equal(languageOf('README'), undefined);
});

test('layer types named like Object.prototype members are unknown layers, not a crash', async () => {
  for (const [framework, text] of [
    ['keras', 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Input((4,)), keras.layers.Constructor(3), keras.layers.ToString(2), keras.layers.Dense(2)])\n'],
    ['pytorch', 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Constructor(3), nn.HasOwnProperty(), nn.Linear(3, 2))\n'],
  ] as const) {
    const report = await analyzeText(text, `model_${framework}.py`);
    assert.deepEqual(report.notices.filter((n) => /could not analyse/i.test(n)), [], `${framework}: ${report.notices.join('; ')}`);
    const [model] = report.models;
    assert.equal(model.framework, framework);
    const odd = model.layers.filter((l) => /constructor|tostring|hasownproperty/i.test(l.type));
    assert.ok(odd.length >= 1, `${framework}: the odd layers are listed`);
    for (const layer of odd) assert.deepEqual(layer.weights, [], `${framework}: ${layer.type} has no known weights`);
    const last = model.layers.at(-1)!;
    assert.ok(last.weights.length > 0, `${framework}: the layer after them is still analysed`);
  }
});
