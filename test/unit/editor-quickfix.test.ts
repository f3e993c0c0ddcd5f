import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/analysis/findings';
import type { ModelReport } from '../../src/analysis/types';
import { appendToBracketedList, quickFixFor, quoteStyle } from '../../src/editor/quickFix';
import { applyEdits, dense, file, model, rangeOf } from './editor-fixtures';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    code: 'xavier-on-deep-relu',
    message: '',
    detail: '',
    layerCount: 1,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
    modelIndex: 0,
    layerIndex: 0,
    weightName: 'kernel',
    suggestion: 'he_normal',
    nonlinearity: 'relu',
    ...overrides,
  };
}

/** A one-layer model whose layer call is `call` inside `text`, its argument list `args`. */
function oneLayer(text: string, call: string, args: string, framework: ModelReport['framework'] = 'keras', kernel = {}): ModelReport {
  const l = dense('a', 'relu', kernel);
  l.range = rangeOf(text, call);
  l.argsRange = rangeOf(text, args);
  return model([l], framework);
}

test('Keras: an explicit initializer value is replaced by the suggestion', () => {
  const text = "x = layers.Dense(64, activation='relu', kernel_initializer=initializers.RandomNormal(stddev=0.01))\n";
  const m = oneLayer(text, text.trim().slice(4), text.trim().slice(16), 'keras', {
    initializerSource: 'explicit',
    initializerRange: rangeOf(text, 'initializers.RandomNormal(stddev=0.01)'),
  });
  const fix = quickFixFor(finding(), file([m]), text);
  assert.ok(fix);
  assert.equal(applyEdits(text, fix.edits), "x = layers.Dense(64, activation='relu', kernel_initializer='he_normal')\n");
  assert.equal(fix.title, "Use kernel_initializer='he_normal'");
});

test('Keras: without one, the keyword is added before the closing paren', () => {
  const text = "layers.Dense(64, activation='relu')";
  const m = oneLayer(text, text, "(64, activation='relu')");
  const fix = quickFixFor(finding({ suggestion: 'glorot_uniform' }), file([m]), text);
  assert.ok(fix);
  assert.equal(applyEdits(text, fix.edits), "layers.Dense(64, activation='relu', kernel_initializer='glorot_uniform')");
});

test('Keras: a one-argument-per-line call with a trailing comma gets a new line with the same indent', () => {
  const text = "    layers.Dense(\n        64,\n        activation='relu',\n    ),\n";
  const m = oneLayer(text, text.trim().replace(/,$/, ''), "(\n        64,\n        activation='relu',\n    )");
  const fix = quickFixFor(finding(), file([m]), text);
  assert.ok(fix);
  assert.equal(applyEdits(text, fix.edits), "    layers.Dense(\n        64,\n        activation='relu',\n        kernel_initializer='he_normal',\n    ),\n");
});

test('Keras: a trailing comma on one line and an empty argument list', () => {
  assert.equal(applyEdits('Dense(64,)', [appendToBracketedList('Dense(64,)', rangeOf('Dense(64,)', '(64,)'), "k='x'")!]), "Dense(64, k='x')");
  assert.equal(applyEdits('Dense( )', [appendToBracketedList('Dense( )', rangeOf('Dense( )', '( )'), "k='x'")!]), "Dense(k='x')");
});

test('TF.js: the key is added to the config object; an explicit value is replaced', () => {
  const text = "tf.layers.dense({units: 64, activation: 'relu'})";
  const m = oneLayer(text, text, "{units: 64, activation: 'relu'}", 'tfjs');
  const fix = quickFixFor(finding(), file([m], 'model.ts'), text);
  assert.ok(fix);
  assert.equal(applyEdits(text, fix.edits), "tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal'})");

  const written = "tf.layers.dense({units: 64, activation: 'tanh', kernelInitializer: 'heNormal'})";
  const m2 = oneLayer(written, written, written.slice(16, -1), 'tfjs', { initializerSource: 'explicit', initializerRange: rangeOf(written, "'heNormal'") });
  const fix2 = quickFixFor(finding({ code: 'he-on-saturating', suggestion: 'glorot_uniform', nonlinearity: 'tanh' }), file([m2], 'model.ts'), written);
  assert.ok(fix2);
  assert.equal(applyEdits(written, fix2.edits), "tf.layers.dense({units: 64, activation: 'tanh', kernelInitializer: 'glorotUniform'})");
});

test('TF.js: a call with no config gets one; a config passed as a variable gets no fix', () => {
  const empty = 'tf.layers.dense()';
  const m = oneLayer(empty, empty, '()', 'tfjs');
  assert.equal(applyEdits(empty, quickFixFor(finding(), file([m], 'm.js'), empty)!.edits), "tf.layers.dense({ kernelInitializer: 'heNormal' })");
  const variable = 'tf.layers.dense(cfg)';
  const m2 = oneLayer(variable, variable, '(cfg)', 'tfjs');
  assert.equal(quickFixFor(finding(), file([m2], 'm.js'), variable), undefined);
});

const torchText = [
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.fc1 = nn.Linear(784, 128)',
  '        self.fc2 = nn.Linear(128, 64)',
  '',
  '    def forward(self, x):',
  '        return self.fc2(x)',
  '',
].join('\n');

test("PyTorch: an nn.init line at the end of __init__ with the body's indent", () => {
  const fc1 = dense('fc1', 'relu', { initializer: 'kaiming_uniform_(a=sqrt(5))' });
  fc1.range = rangeOf(torchText, 'nn.Linear(784, 128)');
  // The engine's insertion point: the end of the last statement of __init__.
  const m = model([fc1], 'pytorch', { initInsertion: { position: rangeOf(torchText, 'nn.Linear(128, 64)').end, indent: '        ' } });
  const fix = quickFixFor(finding({ code: 'pytorch-default-on-deep-relu', weightName: 'weight' }), file([m]), torchText);
  assert.ok(fix);
  const lines = applyEdits(torchText, fix.edits).split('\n');
  assert.equal(lines[5], "        nn.init.kaiming_normal_(self.fc1.weight, nonlinearity='relu')");
  assert.equal(lines[6], '');
  assert.equal(lines[7], '    def forward(self, x):');
});

test('PyTorch: an insertion point at a line start, Xavier with the tanh gain', () => {
  const fc2 = dense('fc2', 'tanh');
  const m = model([fc2], 'pytorch', { initInsertion: { position: { line: 5, column: 0 }, indent: '        ' } });
  const fix = quickFixFor(finding({ code: 'he-on-saturating', suggestion: 'glorot_uniform', nonlinearity: 'tanh', weightName: 'weight' }), file([m]), torchText);
  assert.ok(fix);
  assert.equal(applyEdits(torchText, fix.edits).split('\n')[5], "        nn.init.xavier_uniform_(self.fc2.weight, gain=nn.init.calculate_gain('tanh'))");
});

test('PyTorch: no fix without an insertion point or for a layer with no attribute name', () => {
  assert.equal(quickFixFor(finding(), file([model([dense('fc1', 'relu')], 'pytorch')]), torchText), undefined);
  const inSequential = model([dense('net.0', 'relu')], 'pytorch', { initInsertion: { position: { line: 5, column: 0 }, indent: '        ' } });
  assert.equal(quickFixFor(finding(), file([inSequential]), torchText), undefined);
});

test('model.json: the initializer object is replaced by a Keras class_name/config object', () => {
  const text = '{"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}}';
  const m = oneLayer(text, text, text, 'keras', { initializerSource: 'explicit', initializerRange: rangeOf(text, '{"class_name": "GlorotUniform", "config": {"seed": null}}') });
  const fix = quickFixFor(finding(), file([m], 'model.json'), text);
  assert.ok(fix);
  assert.equal(JSON.parse(applyEdits(text, fix.edits)).kernel_initializer.class_name, 'HeNormal');
});

test('no fix for a finding that points at a model or layer that is not there', () => {
  assert.equal(quickFixFor(finding({ modelIndex: 3 }), file([]), ''), undefined);
});

test("quotes follow the file: the call's own strings first, else the file's majority", () => {
  const text = 'x = "a"\ny = "b"\nlayers.Dense(64, activation="relu")\n';
  const m = oneLayer(text, 'layers.Dense(64, activation="relu")', '(64, activation="relu")');
  assert.equal(applyEdits(text, quickFixFor(finding(), file([m]), text)!.edits).split('\n')[2], 'layers.Dense(64, activation="relu", kernel_initializer="he_normal")');
  // The call itself has no string: the file's double quotes win over the one single-quoted string.
  const bare = 'a = "x"\nb = "y"\nc = \'z\'\nlayers.Dense(64)\n';
  const m2 = oneLayer(bare, 'layers.Dense(64)', '(64)');
  assert.equal(applyEdits(bare, quickFixFor(finding(), file([m2]), bare)!.edits).split('\n')[3], 'layers.Dense(64, kernel_initializer="he_normal")');
  // The call's single quotes win over a double-quoted file.
  assert.equal(quoteStyle('a = "x"\nb = "y"\nDense(64, activation=\'relu\')', rangeOf('a = "x"\nb = "y"\nDense(64, activation=\'relu\')', "(64, activation='relu')")), "'");
  // An apostrophe inside a double-quoted string is not a single-quoted string.
  assert.equal(quoteStyle('"don\'t" + "x"'), '"');
  assert.equal(quoteStyle('no strings at all'), "'");
});

test('TF.js and PyTorch fixes write double quotes in a double-quoted file', () => {
  const text = 'import * as tf from "@tensorflow/tfjs";\ntf.layers.dense({units: 64, activation: "relu"})';
  const m = oneLayer(text, 'tf.layers.dense({units: 64, activation: "relu"})', '{units: 64, activation: "relu"}', 'tfjs');
  assert.match(applyEdits(text, quickFixFor(finding(), file([m], 'm.ts'), text)!.edits), /activation: "relu", kernelInitializer: "heNormal"\}/);
  const torch = torchText.replace('class Net', 'NAME = "net"\nclass Net');
  const fc2 = dense('fc2', 'tanh');
  fc2.range = rangeOf(torch, 'nn.Linear(128, 64)');
  const tm = model([fc2], 'pytorch', { initInsertion: { position: { line: 6, column: 0 }, indent: '        ' } });
  const fix = quickFixFor(finding({ code: 'he-on-saturating', suggestion: 'glorot_uniform', nonlinearity: 'tanh', weightName: 'weight' }), file([tm]), torch);
  assert.equal(applyEdits(torch, fix!.edits).split('\n')[6], '        nn.init.xavier_uniform_(self.fc2.weight, gain=nn.init.calculate_gain("tanh"))');
});
