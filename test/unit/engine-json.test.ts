/**
 * JSON topologies (Keras to_json, Keras 3, TF.js model.json) read into the IR: layers, graph wiring, the line
 * each layer's object begins on, framework detection, and bad input giving notices instead of exceptions.
 * (The numbers of JSON models are checked against TF.js in test/oracle/tfjs.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonModel } from '../../src/analysis/parse/json';
import { analyzeText } from '../../src/analysis/index';

const FIXTURES = join(__dirname, '..', 'fixtures', 'models');

test('Keras 3 functional JSON: layers, inbound wiring through keras_history, lines of each layer object', () => {
  const text = readFileSync(join(FIXTURES, 'keras3_functional.json'), 'utf8');
  const { models, notices } = parseJsonModel(text);
  assert.deepEqual(notices, []);
  assert.equal(models.length, 1);
  const [model] = models;
  assert.equal(model.framework, 'keras');
  assert.equal(model.kind, 'functional');
  assert.equal(model.name, 'functional_model');
  assert.deepEqual(model.layers.map((l) => l.type), ['InputLayer', 'Dense', 'Dense', 'Add', 'Concatenate', 'Dense']);
  assert.deepEqual(model.layers.map((l) => l.inbound), [[], [0], [0], [1, 2], [3, 0], [4]]);
  // Each layer's range starts at its object's opening brace: the line before its "module": "keras.layers".
  const starts = model.layers.map((l) => l.range.start.line);
  const expected: number[] = [];
  let from = 0;
  for (let i = 0; i < model.layers.length; i++) {
    const at = text.indexOf('"module": "keras.layers"', from);
    expected.push(text.slice(0, at).split('\n').length - 2);
    from = at + 1;
  }
  assert.deepEqual(starts, expected);
});

test('Keras 2 Sequential with batch_input_shape, old list-config Sequential, and TF.js model.json', async () => {
  const keras2 = JSON.stringify({
    class_name: 'Sequential',
    config: { name: 'mlp', layers: [
      { class_name: 'Dense', config: { name: 'hidden', units: 16, batch_input_shape: [null, 8], activation: 'relu' } },
      { class_name: 'Dense', config: { name: 'out', units: 2 } },
    ] },
  }, null, 2);
  const a = await analyzeText(keras2, 'model.json');
  assert.equal(a.models[0].framework, 'keras');
  assert.deepEqual(a.models[0].layers.map((l) => l.outputShape), [[null, 16], [null, 2]]);
  // The second layer's object opens with the brace right before its "class_name".
  const secondClassName = keras2.indexOf('"class_name": "Dense"', keras2.indexOf('"class_name": "Dense"') + 1);
  const openingBrace = keras2.lastIndexOf('{', secondClassName);
  assert.equal(a.models[0].layers[1].line, keras2.slice(0, openingBrace).split('\n').length, 'the 1-based line where the layer object begins');

  const oldStyle = JSON.stringify({ class_name: 'Sequential', config: [{ class_name: 'Dense', config: { units: 4, input_dim: 3 } }] });
  const b = await analyzeText(oldStyle, 'old.json');
  assert.deepEqual(b.models[0].layers[0].weights[0].shape, [3, 4]);

  const tfjsModelJson = JSON.stringify({ format: 'layers-model', modelTopology: JSON.parse(keras2), weightsManifest: [] });
  const c = await analyzeText(tfjsModelJson, 'model.json');
  assert.equal(c.models[0].framework, 'tfjs');
  const converted = JSON.stringify({ modelTopology: { keras_version: '2.3.1', model_config: JSON.parse(keras2) } });
  assert.equal((await analyzeText(converted, 'model.json')).models[0].layers.length, 2);
});

test('bad and non-model JSON give notices, never exceptions', async () => {
  const truncated = readFileSync(join(FIXTURES, 'keras3_functional.json'), 'utf8').slice(0, 2000);
  const report = await analyzeText(truncated, 'broken.json');
  assert.ok(report.notices.some((n) => n.includes('syntax error')), report.notices.join('; '));
  assert.ok(report.models.length <= 1);
  const packageJson = await analyzeText(JSON.stringify({ name: 'x', version: '1.0.0' }), 'package.json');
  assert.equal(packageJson.models.length, 0);
  assert.ok(packageJson.notices.length > 0);
  const empty = await analyzeText('', 'empty.json');
  assert.equal(empty.models.length, 0);
});
