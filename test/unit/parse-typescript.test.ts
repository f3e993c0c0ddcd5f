/** The TF.js reader (.ts, .tsx, .js): sequential, model.add, functional graphs, import styles, config flattening. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSource } from '../../src/analysis/parse/index';
import { arg, only, plain, types } from './parse-support';

const examples = join(__dirname, '..', '..', 'examples');
const read = (name: string) => readFileSync(join(examples, name), 'utf8');

describe('TF.js sequential', () => {
  it('reads tf.sequential({layers: [...]}) with its config objects flattened', async () => {
    const text = read('tfjs_mlp.ts');
    const model = only(await parseSource(text, 'typescript'));
    assert.equal(model.framework, 'tfjs');
    assert.equal(model.kind, 'sequential');
    assert.equal(model.name, 'model');
    assert.deepEqual(types(model), ['flatten', 'dense', 'dense', 'dense']);
    assert.deepEqual(arg(model.layers[0], 'inputShape'), [28, 28]);
    assert.deepEqual(model.layers.slice(1).map((l) => arg(l, 'units')), [128, 64, 10]);
    assert.deepEqual(model.layers.slice(1).map((l) => arg(l, 'kernelInitializer')), ['glorotUniform', 'glorotUniform', 'glorotUniform']);
    const lines = text.split('\n');
    const dense = model.layers[1];
    assert.equal(lines[dense.argsRange.start.line][dense.argsRange.start.column], '{');
    const units = dense.args.find((a) => a.name === 'units')!;
    assert.equal(lines[units.range.start.line].slice(units.range.start.column, units.range.end.column), 'units: 128');
    assert.equal(lines[units.valueRange.start.line].slice(units.valueRange.start.column, units.valueRange.end.column), '128');
  });

  it('reads tf.sequential() + model.add(...) layer by layer', async () => {
    const model = only(await parseSource(read('tfjs_cnn.ts'), 'typescript'));
    assert.deepEqual(types(model), ['conv2d', 'maxPooling2d', 'conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
    assert.deepEqual(arg(model.layers[0], 'inputShape'), [28, 28, 1]);
    assert.deepEqual(model.layers.map((l) => arg(l, 'filters') ?? arg(l, 'units') ?? null), [32, null, 64, null, null, 128, 10]);
  });

  const styles: [string, string, 'typescript' | 'javascript' | 'tsx'][] = [
    ['import * as tf', "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [3]}), tf.layers.dense({units: 2})]});\n", 'typescript'],
    ['tfjs-node require', "const tf = require('@tensorflow/tfjs-node');\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 4, inputShape: [3]}));\nm.add(tf.layers.dense({units: 2}));\n", 'javascript'],
    ['named imports', "import { layers, sequential } from '@tensorflow/tfjs';\nconst m = sequential({layers: [layers.dense({units: 4, inputShape: [3]}), layers.dense({units: 2})]});\n", 'typescript'],
    ['renamed namespace', "import * as tfjs from '@tensorflow/tfjs';\nconst m = tfjs.sequential({layers: [tfjs.layers.dense({units: 4, inputShape: [3]}), tfjs.layers.dense({units: 2})]});\n", 'tsx'],
    ['destructured require', "const { layers, sequential } = require('@tensorflow/tfjs');\nconst m = sequential({layers: [layers.dense({units: 4, inputShape: [3]}), layers.dense({units: 2})]});\n", 'javascript'],
  ];
  for (const [label, text, language] of styles) {
    it(`recognises ${label} (${language})`, async () => {
      const model = only(await parseSource(text, language));
      assert.equal(model.name, 'm');
      assert.deepEqual(types(model), ['dense', 'dense']);
      assert.deepEqual(model.layers.map((l) => arg(l, 'units')), [4, 2]);
    });
  }

  it('resolves const numbers, arithmetic, shorthand properties and a config held in a const', async () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'const SIZE = 28;',
      'const units = SIZE * SIZE / 4 - 1;',
      "const config = { units: 10, activation: 'softmax' as const, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.01 }) };",
      'export function build(width = 32) {',
      '  let changing = 3;',
      '  changing = 4;',
      '  return tf.sequential({ layers: [',
      '    tf.layers.dense({ units, inputShape: [SIZE * SIZE], biasInitializer: null, useBias: !false }),',
      '    tf.layers.dense({ units: width, kernelRegularizer: undefined, name: `hidden` }),',
      '    tf.layers.dense({ units: changing, inputDim: -2 }),',
      '    tf.layers.dense(config),',
      '  ] });',
      '}',
    ].join('\n');
    const model = only(await parseSource(text, 'typescript'));
    assert.deepEqual(model.layers.map((l) => Object.fromEntries(l.args.map((a) => [a.name, plain(a.value)]))), [
      { units: 195, inputShape: [784], biasInitializer: null, useBias: { symbolic: '!false' } },
      { units: 32, kernelRegularizer: null, name: 'hidden' },
      { units: { symbolic: 'changing' }, inputDim: -2 },
      { units: 10, activation: 'softmax', kernelInitializer: { call: 'tf.initializers.randomNormal', args: [{ stddev: 0.01 }] } },
    ]);
    assert.equal(model.layers[1].name, 'hidden');
  });
});

describe('TF.js functional', () => {
  it('reads tf.input, .apply chains with casts, concatenate with two inbound layers and tf.model', async () => {
    const model = only(await parseSource(read('tfjs_functional.ts'), 'typescript'));
    assert.equal(model.kind, 'functional');
    assert.deepEqual(types(model), ['input', 'dense', 'dense', 'dense', 'concatenate', 'dense']);
    assert.deepEqual(model.layers.map((l) => l.inbound), [[], [0], [0], [2], [1, 3], [4]]);
    assert.deepEqual(model.layers.map((l) => l.name), ['input', 'wide', 'deep1', 'deep2', 'merged', 'output']);
    assert.equal(model.layers[5].callee, 'tf.layers.dense');
    assert.deepEqual(arg(model.layers[0], 'shape'), [784]);
  });

  it('reads a layer held in a variable and applied later, in JavaScript', async () => {
    const text = "const tf = require('@tensorflow/tfjs');\nconst input = tf.input({shape: [4]});\nconst dense1 = tf.layers.dense({units: 8});\nlet x = dense1.apply(input);\nx = tf.layers.dense({units: 2}).apply(x);\nconst model = tf.model({inputs: input, outputs: x});\n";
    const model = only(await parseSource(text, 'javascript'));
    assert.deepEqual(types(model), ['input', 'dense', 'dense']);
    assert.deepEqual(model.layers.map((l) => l.inbound), [[], [0], [1]]);
  });
});

describe('TF.js non-models', () => {
  it('does not report tensors, ops or other libraries', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst t = tf.tensor([1, 2]);\nconst y = tf.relu(t);\nconst layers = { dense: (x: number) => x };\nlayers.dense(3);\n";
    assert.deepEqual(await parseSource(text, 'typescript'), { models: [], notices: [] });
  });

  it('gives an empty result for ordinary TSX', async () => {
    const text = "import React from 'react';\nexport const App = () => <div className=\"x\">{[1, 2].map((n) => <span key={n}>{n}</span>)}</div>;\n";
    assert.deepEqual(await parseSource(text, 'tsx'), { models: [], notices: [] });
  });
});
