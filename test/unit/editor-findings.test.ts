import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEEP_STACK_MIN_LAYERS, activationFamily, findInitializerProblems, initializerFamily } from '../../src/analysis/findings';
import { bias, dense, file, layer, model, randomNormal, rangeOf, seedModel, weight } from './editor-fixtures';

const codes = (report: ReturnType<typeof file>) => findInitializerProblems(report).map((f) => `${f.layerIndex}:${f.code}`);

test('the seed MLP (2 ReLU layers + softmax, glorot_uniform defaults) has no findings: two ReLU layers are not deep', () => {
  assert.deepEqual(findInitializerProblems(file([seedModel()])), []);
});

test('a zeros kernel is flagged for symmetry on any depth, a zeros bias is not', () => {
  const report = file([model([dense('d', 'relu', { initializer: 'zeros', initializerSource: 'explicit', inUse: { distribution: 'constant', value: 0 } })])]);
  const findings = findInitializerProblems(report);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'constant-kernel');
  assert.equal(findings[0].weightName, 'kernel');
  assert.equal(findings[0].suggestion, 'he_normal', 'ReLU layer: the fix is He');
  assert.match(findings[0].message, /symmetry/);
});

test('a constant kernel before tanh gets Xavier as its fix', () => {
  const report = file([model([dense('d', 'tanh', { initializer: 'Constant', initializerSource: 'explicit', inUse: { distribution: 'constant', value: 0.5 } })])]);
  const [finding] = findInitializerProblems(report);
  assert.equal(finding.suggestion, 'glorot_uniform');
  assert.match(finding.message, /constant 0\.5/);
});

test('small fixed-scale normals in a deep tanh stack: each layer flagged, message says deep and the variance factor', () => {
  const layers = [0, 1, 2, 3].map((i) => dense(`d${i}`, 'tanh', randomNormal(0.01)));
  const findings = findInitializerProblems(file([model(layers)]));
  assert.deepEqual(findings.map((f) => f.code), Array(4).fill('small-fixed-scale-saturating'));
  assert.match(findings[0].message, /4 tanh\/sigmoid weight layers; deep = 3 or more/);
  // 64 × 0.01² = 0.0064 < 1: the signal shrinks at every layer.
  assert.match(findings[0].message, /64 × 0\.01² ≈ 0\.0064/);
  assert.match(findings[0].message, /vanishes/);
  assert.equal(findings[0].suggestion, 'glorot_uniform');
});

test('σ 0.1 on wide tanh layers saturates (fan_in · Var > 1) and uniform ±0.1 counts as small too', () => {
  const wide = { fanIn: 784, shape: [784, 64] };
  const layers = [
    dense('a', 'tanh', { ...randomNormal(0.1), ...wide }),
    dense('b', 'sigmoid', { initializer: 'RandomUniform', initializerSource: 'explicit', inUse: { distribution: 'uniform', limit: 0.1 } }),
    dense('c', 'tanh', randomNormal(0.1)),
  ];
  const findings = findInitializerProblems(file([model(layers)]));
  assert.deepEqual(findings.map((f) => f.layerIndex), [0, 1, 2]);
  assert.match(findings[0].message, /saturation/);
});

test('layers made in a loop share one written initializer: one finding names them all', () => {
  const text = 'for _ in range(8): model.add(layers.Dense(256, activation="tanh", kernel_initializer=small_normal))';
  const initializerRange = rangeOf(text, 'small_normal');
  const layers = [0, 1, 2, 3].map((i) => dense(i ? `dense_${i}` : 'dense', 'tanh', { ...randomNormal(0.01), initializerRange }));
  const findings = findInitializerProblems(file([model(layers)]));
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /^4 Dense layers made here \(`dense` … `dense_3`\): fixed-scale/);
  assert.equal(findings[0].layerCount, 4);
  assert.ok(findings[0].message.endsWith(findings[0].detail));
  assert.match(findings[0].detail, /^fixed-scale/);
  assert.deepEqual(findings[0].range, initializerRange);
});

test(`a shallow tanh stack (${DEEP_STACK_MIN_LAYERS - 1} layers) with σ 0.01 is left alone`, () => {
  const layers = [dense('a', 'tanh', randomNormal(0.01)), dense('b', 'tanh', randomNormal(0.01)), dense('out', 'softmax', randomNormal(0.01))];
  assert.deepEqual(findInitializerProblems(file([model(layers)])), []);
});

test('Xavier on three ReLU layers (default or explicit) suggests He; the softmax output is not flagged', () => {
  const layers = [
    dense('a', 'relu'),
    dense('b', 'relu', { initializer: 'glorot_normal', initializerSource: 'explicit' }),
    dense('c', 'relu'),
    dense('out', 'softmax'),
  ];
  const findings = findInitializerProblems(file([model(layers)]));
  assert.deepEqual(findings.map((f) => `${f.layerIndex}:${f.code}:${f.suggestion}`), [
    '0:xavier-on-deep-relu:he_normal',
    '1:xavier-on-deep-relu:he_normal',
    '2:xavier-on-deep-relu:he_normal',
  ]);
  assert.match(findings[0].message, /3 ReLU weight layers; deep = 3 or more/);
});

test('He already in use on a deep ReLU stack is not flagged', () => {
  const he = { initializer: 'he_normal', initializerSource: 'explicit' as const, inUse: { distribution: 'truncated_normal' as const, std: 0.2 } };
  const layers = [dense('a', 'relu', he), dense('b', 'relu', he), dense('c', 'relu', he)];
  assert.deepEqual(findInitializerProblems(file([model(layers)])), []);
});

test('He on a sigmoid or tanh layer is flagged even alone; suggestion Xavier', () => {
  const report = file([model([dense('a', 'sigmoid', { initializer: 'heNormal', initializerSource: 'explicit' })], 'tfjs')]);
  assert.deepEqual(codes(report), ['0:he-on-saturating']);
  assert.equal(findInitializerProblems(report)[0].suggestion, 'glorot_uniform');
});

test("PyTorch's default kaiming_uniform_(a=sqrt(5)) on a deep ReLU stack gets a hint; on two layers none", () => {
  const torchDefault = { initializer: 'kaiming_uniform_(a=sqrt(5))', initializerSource: 'default' as const, shape: [64, 64] };
  const three = model([dense('fc1', 'relu', torchDefault), dense('fc2', 'relu', torchDefault), dense('fc3', 'relu', torchDefault)], 'pytorch');
  assert.deepEqual(codes(file([three])), ['0:pytorch-default-on-deep-relu', '1:pytorch-default-on-deep-relu', '2:pytorch-default-on-deep-relu']);
  const two = model([dense('fc1', 'relu', torchDefault), dense('fc2', 'relu', torchDefault), dense('fc3', null, torchDefault)], 'pytorch');
  assert.deepEqual(codes(file([two])), []);
});

test('a 1-D weight (BatchNorm gamma = ones) is not a kernel and never flagged', () => {
  const norm = layer({
    name: 'bn',
    type: 'BatchNormalization',
    activation: null,
    weights: [weight({ name: 'gamma', shape: [64], initializer: 'ones', inUse: { distribution: 'constant', value: 1 } }), bias(64)],
  });
  assert.deepEqual(findInitializerProblems(file([model([norm])])), []);
});

test('a finding sits on the written initializer when there is one, else on the layer call', () => {
  const text = "layers.Dense(64, activation='tanh', kernel_initializer='zeros')";
  const initializerRange = rangeOf(text, "'zeros'");
  const explicit = dense('a', 'tanh', { initializer: 'zeros', initializerSource: 'explicit', inUse: { distribution: 'constant', value: 0 }, initializerRange });
  explicit.range = rangeOf(text, text);
  assert.deepEqual(findInitializerProblems(file([model([explicit])]))[0].range, initializerRange);
  const withoutRange = dense('b', 'tanh', { initializer: 'zeros', initializerSource: 'explicit', inUse: { distribution: 'constant', value: 0 } });
  withoutRange.range = rangeOf(text, 'layers.Dense');
  assert.deepEqual(findInitializerProblems(file([model([withoutRange])]))[0].range, withoutRange.range);
});

test('activation and initializer families read every framework spelling', () => {
  assert.equal(activationFamily('ReLU'), 'relu');
  assert.equal(activationFamily('nn.LeakyReLU'), 'relu');
  assert.equal(activationFamily('leaky_relu'), 'relu');
  assert.equal(activationFamily('tanh'), 'tanh');
  assert.equal(activationFamily('Sigmoid'), 'sigmoid');
  assert.equal(activationFamily('softmax'), 'other');
  assert.equal(activationFamily(null), 'none');
  const fam = (initializer: string, distribution: 'uniform' | 'normal' | 'constant' = 'normal') =>
    initializerFamily({ initializer, initializerSource: 'explicit', inUse: { distribution } });
  assert.equal(fam('glorotNormal'), 'xavier');
  assert.equal(fam('GlorotUniform'), 'xavier');
  assert.equal(fam('xavier_uniform_'), 'xavier');
  assert.equal(fam('he_normal'), 'he');
  assert.equal(fam('kaiming_normal_'), 'he');
  assert.equal(fam('kaiming_uniform_(a=sqrt(5))'), 'pytorch-default');
  assert.equal(fam('lecunNormal'), 'lecun');
  assert.equal(fam('RandomNormal(stddev=0.01)'), 'fixed');
  assert.equal(fam('tf.initializers.randomUniform'), 'fixed');
  assert.equal(fam('normal_'), 'fixed');
  assert.equal(fam('zeros', 'constant'), 'constant');
  assert.equal(fam('orthogonal'), 'other');
});

