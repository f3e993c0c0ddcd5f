/**
 * Issue #22, "Polish what a demanding user sees": what a user reads in hovers, the Layers report and the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, formatFileMarkdown, formatFileTable, modelDisplayName, type FileReport } from '../../src/analysis/index';
import { UNFINISHED_NOTE } from '../../src/analysis/report';
import { buildLayerHoverMarkdown } from '../../src/editor/hoverMarkdown';
import { buildReportModels, modelRows, reportMarkdown } from '../../src/editor/reportTable';

/** Everything a user may read about a file: the CLI table, every hover, every report row. */
function everythingShown(report: FileReport): string[] {
  const shown = [formatFileTable(report)];
  for (const model of report.models) {
    for (const layer of model.layers) shown.push(buildLayerHoverMarkdown(model, layer));
    shown.push(JSON.stringify(modelRows(model)));
  }
  return shown;
}

// Each snippet stops half-way through a layer call; `nextLine` is an identifier written only on a later line.
const HALF_TYPED: { name: string; file: string; text: string; nextLine: RegExp }[] = [
  {
    name: 'Keras Dense( before the next layer',
    file: 'a.py',
    text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(\n    layers.Dense(n_next, activation="softmax"),\n])\n',
    nextLine: /n_next|layers\.Dense/,
  },
  {
    name: 'Keras Dense( before a bare name',
    file: 'b.py',
    text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(\nhidden_next\n',
    nextLine: /hidden_next/,
  },
  {
    name: 'Keras Dense(64, activation= before a bare name',
    file: 'c.py',
    text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(64, activation=\nact_next\n',
    nextLine: /act_next/,
  },
  {
    name: 'PyTorch Linear(784, before a bare name',
    file: 'd.py',
    text: 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc0 = nn.Linear(10, 784)\n        self.fc1 = nn.Linear(784,\n        width_next\n    def forward(self, x):\n        return self.fc1(x)\n',
    nextLine: /width_next/,
  },
  {
    name: 'TF.js dense( before a bare name',
    file: 'e.ts',
    text: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n  tf.layers.dense({inputShape: [784], units: 64}),\n  tf.layers.dense(\n  unitsNext\n]});\n",
    nextLine: /unitsNext/,
  },
  {
    name: 'TF.js dense({units: before a bare name',
    file: 'f.ts',
    text: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({inputShape: [784], units: 64}));\nmodel.add(tf.layers.dense({units:\n  unitsNext\n",
    nextLine: /unitsNext/,
  },
];

for (const snippet of HALF_TYPED) {
  test(`half-typed code: no text of a later line shown as a size (${snippet.name})`, async () => {
    const report = await analyzeText(snippet.text, snippet.file);
    assert.ok(report.models.some((m) => m.layers.length > 0), 'the layers before the break are still read');
    for (const text of everythingShown(report)) assert.doesNotMatch(text, snippet.nextLine);
  });
}

test('a half-typed layer says why its sizes are unknown', async () => {
  const report = await analyzeText(HALF_TYPED[0].text, HALF_TYPED[0].file);
  const dense = report.models[0].layers.find((l) => l.type === 'Dense');
  assert.ok(dense);
  assert.equal(dense.weights[0].fanOut, null);
  assert.equal(dense.notes?.[0], UNFINISHED_NOTE);
  assert.match(buildLayerHoverMarkdown(report.models[0], dense), /not finished/);
});

test('a finished call spread over several lines is read in full', async () => {
  const text = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nunits = 32\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(\n        units,\n        activation="relu",\n    ),\n])\n';
  const report = await analyzeText(text, 'g.py');
  const dense = report.models[0].layers.find((l) => l.type === 'Dense');
  assert.equal(dense?.weights[0].fanOut, 32);
  assert.equal(dense?.activation, 'relu');
});

test('a model bound to no name is shown as "unnamed model", never as its internal id', async () => {
  const text = 'from tensorflow import keras\nfrom tensorflow.keras import layers\ndef build():\n    return keras.Sequential([\n        keras.Input(shape=(784,)),\n        layers.Dense(10),\n    ])\n';
  const report = await analyzeText(text, 'h.py');
  assert.equal(report.models.length, 1);
  assert.match(report.models[0].name, /@\d+$/, 'the engine keeps its id (the training panel finds the model by it)');
  const shown = [
    formatFileTable(report),
    formatFileMarkdown(report),
    reportMarkdown(report, 'h.py'),
    ...buildReportModels(report).map((m) => m.title),
    buildLayerHoverMarkdown(report.models[0], report.models[0].layers.find((l) => l.type === 'Dense')!, { train: 'command:x' }),
  ];
  for (const text of shown) assert.doesNotMatch(text, /@\d/);
  assert.match(shown[0], /unnamed model \(keras sequential, line 4\)/);
  assert.equal(modelDisplayName({ name: 'model' }), 'model');
});

test('a file skipped for its size says only that, never "no model found" first', async () => {
  const report = await analyzeText('x = 1\n'.repeat(100), 'big.py', { maxBytes: 100 });
  assert.match(report.notices.join('\n'), /^Skipped: /);
  for (const text of [formatFileTable(report), formatFileMarkdown(report), reportMarkdown(report, 'big.py')]) {
    assert.doesNotMatch(text, /no .*model.* found/i);
    assert.match(text, /Skipped: the file is larger/);
  }
  // A file that was read and holds no model still says so.
  const empty = await analyzeText('x = 1\n', 'small.py');
  assert.match(formatFileTable(empty), /no model found/);
  assert.match(reportMarkdown(empty, 'small.py'), /No Keras, PyTorch or TF\.js model found/);
});

test('failures reach the output channel at warn or error level, never info', () => {
  const root = join(__dirname, '..', '..');
  for (const dir of ['src/editor', 'src/panel']) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(root, dir, name), 'utf8');
      // appendLine on a log channel writes at info level: every line must say its level.
      assert.doesNotMatch(source, /\.appendLine\(/, `${dir}/${name} writes a line without a level`);
      for (const line of source.split('\n')) {
        assert.doesNotMatch(line, /\.info\([`'"][^`'"]*(fail|could not|dropped|malformed|not delivered|error)/i, `${dir}/${name}: ${line.trim()}`);
      }
    }
  }
});
