import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLayerHoverMarkdown, commandUri, inlineCode } from '../../src/editor/hoverMarkdown';
import { formatShape, formatSignificant } from '../../src/editor/numbers';
import { layerAt } from '../../src/editor/services';
import { dense, file, layer, model, rangeOf, seedModel, weight } from './editor-fixtures';

test('4 significant digits, trailing zeros dropped; shapes as the frameworks print them', () => {
  assert.equal(formatSignificant(0.081111), '0.08111');
  assert.equal(formatSignificant(0.10206207), '0.1021');
  assert.equal(formatSignificant(0.05), '0.05');
  assert.equal(formatSignificant(128), '128');
  assert.equal(formatSignificant(0), '0');
  assert.equal(formatShape([null, 784]), '(None, 784)');
  assert.equal(formatShape([128]), '(128,)');
});

test("the seed's first Dense: type, shapes, fans, Xavier ±limit and σ, He σ, default initializer, params, ReLU fit", () => {
  const seed = seedModel();
  const md = buildLayerHoverMarkdown(seed, seed.layers[1]);
  assert.match(md, /\*\*Dense\*\* `dense` · Keras · `relu`/);
  assert.match(md, /\(None, 784\) → \(None, 128\)/);
  assert.match(md, /\| kernel \| \(784, 128\) \| 784 \| 128 \| ±0\.08111 \| 0\.04683 \| 0\.05051 \|/);
  assert.match(md, /kernel `glorot_uniform` \(Keras default\) → U\(±0\.08111\), σ 0\.04683/);
  assert.match(md, /bias `zeros` \(Keras default\) → every weight = 0/);
  assert.match(md, /\*\*Params:\*\* 100,480/);
  assert.match(md, /He keeps the signal's variance through the layer; Xavier halves it at each layer\. Xavier is in use\./);
  assert.doesNotMatch(md, /truncates/, 'Keras corrects its truncation: no extra σ line');
});

test("TF.js's uncorrected truncated Glorot normal: the σ its weights really have is shown too", () => {
  const l = layer({ name: 'dense_Dense1', type: 'dense', weights: [weight({ name: 'kernel', initializer: 'glorotNormal', xavierNormalActualStd: 0.04131, inUse: { distribution: 'truncated_normal', std: 0.04683, actualStd: 0.04131 } })] });
  const md = buildLayerHoverMarkdown(model([l], 'tfjs'), l);
  assert.match(md, /TF\.js's Glorot normal truncates at 2σ: kernel weights drawn with it have σ ≈ 0\.04131, not 0\.04683/);
});

test('unknown fans are shown as their symbols and the formulas over them', () => {
  const l = layer({
    name: 'fc1',
    type: 'Linear',
    inputShape: null,
    outputShape: null,
    params: null,
    activation: null,
    weights: [
      weight({
        name: 'weight',
        shape: [128, null],
        fanIn: null,
        fanOut: 128,
        symbolic: { fanIn: 'hidden', shape: '(128, hidden)' },
        xavierUniformLimit: null,
        xavierNormalStd: null,
        xavierNormalActualStd: null,
        heNormalStd: null,
        initializer: 'kaiming_uniform_(a=sqrt(5))',
        inUse: { distribution: 'uniform', limit: null },
      }),
    ],
    notes: ['input size unknown: hidden is not a literal'],
  });
  const md = buildLayerHoverMarkdown(model([l], 'pytorch'), l);
  assert.match(md, /\| weight \| \(128, hidden\) \| hidden \| 128 \| ±√\(6\/\(hidden\+128\)\) \| √\(2\/\(hidden\+128\)\) \| √\(2\/hidden\) \|/);
  assert.match(md, /\(PyTorch default\) → U\(±\?\)/);
  assert.match(md, /\*\*Params:\*\* \?/);
  assert.match(md, /activation not known here/);
  assert.match(md, /_input size unknown: hidden is not a literal_/);
});

test("a layer's findings are repeated in its card", () => {
  const l = dense('t', 'tanh');
  const md = buildLayerHoverMarkdown(model([l]), l, { findings: ['fixed-scale RandomNormal in a deep tanh stack'] });
  assert.match(md, /\$\(lightbulb\) fixed-scale RandomNormal in a deep tanh stack/);
});

test('tanh with Xavier: the fit line says Xavier is right', () => {
  const l = dense('t', 'tanh');
  assert.match(buildLayerHoverMarkdown(model([l]), l), /tanh: Xavier keeps the variance near 1.*Xavier is in use ✓/);
});

test('the command links carry JSON arguments and the model name cannot break the markdown', () => {
  const uri = commandUri('xavierLens.openTrainingComparison', [{ uri: 'file:///w/seed.py', modelName: 'model', line: 4 }]);
  assert.equal(uri, `command:xavierLens.openTrainingComparison?${encodeURIComponent('[{"uri":"file:///w/seed.py","modelName":"model","line":4}]')}`);
  const seed = seedModel();
  const md = buildLayerHoverMarkdown(seed, seed.layers[1], { train: uri, inspect: commandUri('xavierLens.inspectLayers', ['file:///w/seed.py']) });
  assert.ok(md.includes(`[$(beaker) Compare initializers on MNIST](${uri} `));
  assert.ok(md.includes('(command:xavierLens.inspectLayers?'));
  assert.equal(inlineCode('a`b'), '`` a`b ``');
});

test('the layer under the cursor: the innermost call wins, outside any call nothing', () => {
  const text = "model = Sequential([Dense(8, input_shape=(4,)), Dense(2)])";
  const a = dense('a', 'relu');
  a.range = rangeOf(text, 'Dense(8, input_shape=(4,))');
  const b = dense('b', 'relu');
  b.range = rangeOf(text, 'Dense(2)');
  const outer = dense('outer', null);
  outer.range = rangeOf(text, text);
  const report = file([model([outer, a, b])]);
  assert.equal(layerAt(report, { line: 0, column: text.indexOf('Dense(2)') + 3 })?.layer.name, 'b');
  assert.equal(layerAt(report, { line: 0, column: text.indexOf('(8') })?.layer.name, 'a');
  assert.equal(layerAt(file([model([a, b])]), { line: 0, column: 2 }), undefined);
});
