/**
 * Issue #22, "Polish what a demanding user sees": what a user reads in hovers, the Layers report and the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, formatFileMarkdown, formatFileTable, modelDisplayName, type FileReport } from '../../src/analysis/index';
import { findInitializerProblems } from '../../src/analysis/findings';
import { UNFINISHED_NOTE } from '../../src/analysis/report';
import { buildLayerHoverMarkdown } from '../../src/editor/hoverMarkdown';
import { reportHtml } from '../../src/editor/reportHtml';
import { cellAttributes } from '../../webview/report/cells';
import { buildReportModels, modelRows, modelSummaryTitle, reportMarkdown } from '../../src/editor/reportTable';

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
    text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(\n    layers.Dense(10, activation="softmax"),\n])\n',
    nextLine: /layers\.Dense/,
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
    name: 'Keras Dense(units= before a bare name',
    file: 'c2.py',
    text: 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n    layers.Dense(units=\n    width_next,\n])\n',
    nextLine: /width_next/,
  },
  {
    name: 'TF.js dense({units: before a bare name in a layers list',
    file: 'e2.ts',
    text: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n  tf.layers.dense({inputShape: [784], units:\n  widthNext,\n]});\n",
    nextLine: /widthNext/,
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

test('a half-typed layer says why its sizes are unknown; the layer it swallowed still follows it', async () => {
  const report = await analyzeText(HALF_TYPED[0].text, HALF_TYPED[0].file);
  const dense = report.models[0].layers.find((l) => l.type === 'Dense');
  assert.ok(dense);
  assert.equal(dense.weights[0].fanOut, null);
  assert.equal(dense.notes?.[0], UNFINISHED_NOTE);
  assert.match(buildLayerHoverMarkdown(report.models[0], dense), /not finished/);
  const next = report.models[0].layers.at(-1)!;
  assert.deepEqual([report.models[0].layers.length, next.type, next.activation, next.weights[0].fanOut], [3, 'Dense', 'softmax', 10]);
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

/** The hover card of every layer of `text`, by layer name. */
async function cards(text: string, file: string): Promise<Map<string, string>> {
  const report = await analyzeText(text, file);
  const out = new Map<string, string>();
  for (const model of report.models) for (const layer of model.layers) out.set(layer.name, buildLayerHoverMarkdown(model, layer));
  return out;
}

test("TF.js's truncation note only on a layer whose weights a truncated Glorot normal draws", async () => {
  const text =
    "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n" +
    "  tf.layers.dense({inputShape: [784], units: 64, activation: 'relu'}),\n" +
    "  tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal'}),\n" +
    "  tf.layers.dense({units: 10, kernelInitializer: 'glorotUniform'}),\n]});\n";
  const shown = await cards(text, 'm.ts');
  assert.match(shown.get('dense')!, /Glorot normal truncates at 2σ/, 'the default glorotNormal truncates');
  assert.doesNotMatch(shown.get('dense_1')!, /Glorot normal truncates/);
  assert.doesNotMatch(shown.get('dense_2')!, /Glorot normal truncates/);
});

test('no activation advice on embeddings and normalisations; no bias in the fan table', async () => {
  const text =
    'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(5, 3)),\n' +
    '    layers.GRU(8),\n    layers.Embedding(100, 8),\n    layers.LayerNormalization(),\n    layers.BatchNormalization(),\n    layers.Dense(4),\n])\n';
  const shown = await cards(text, 'n.py');
  for (const name of ['embedding', 'layer_normalization', 'batch_normalization']) {
    assert.ok(shown.has(name), name);
    assert.doesNotMatch(shown.get(name)!, /Fit:|wants He|He keeps/, name);
  }
  assert.match(shown.get('dense')!, /\*\*Fit:\*\* activation not known here: ReLU after this layer wants He/);
  // Keras' GRU keeps its bias as (2, 3·units): rank 2, yet no fan_in of 2 in the table.
  const gru = shown.get('gru')!;
  assert.match(gru, /\| kernel \| \(3, 24\) \| 3 \| 24 \|/);
  assert.doesNotMatch(gru, /\| bias \|/);
  assert.match(gru, /bias `zeros`/, 'the bias is still listed with its initializer');
});

test('a PyTorch layer without a known activation says that forward() is not read', async () => {
  const text =
    'import torch.nn as nn\nimport torch.nn.functional as F\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
    '        self.emb = nn.Embedding(1000, 64)\n        self.fc1 = nn.Linear(64, 128)\n    def forward(self, x):\n        return F.relu(self.fc1(self.emb(x)))\n';
  const shown = await cards(text, 't.py');
  assert.doesNotMatch(shown.get('emb')!, /Fit:/);
  const fc1 = shown.get('fc1')!;
  if (/\*\*Linear\*\* `fc1` · PyTorch · /.test(fc1)) assert.match(fc1, /He keeps/, 'forward() read: the advice names the activation');
  else assert.match(fc1, /PyTorch applies it in forward\(\), not read for this card/);
});

test('the CLI table gives a bias no fans and no Xavier/He scales', async () => {
  const text = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({inputShape: [784], units: 64})]});\n";
  const table = formatFileTable(await analyzeText(text, 'b.ts'));
  const biasRow = table.split('\n').find((line) => /\bbias\b/.test(line));
  assert.ok(biasRow);
  assert.match(biasRow, /bias\s+\(64,\)\s+—\s+—\s+zeros \(default\)\s+—\s+—\s+—\s+—$/);
  assert.match(table, /kernel\s+\(784, 64\)\s+784\s+64\s/);
});

test('one shape notation: the report prints the tuple the hover and the CLI print', async () => {
  const text =
    'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
    '        self.conv = nn.Conv2d(1, 32, 3)\n        self.pool = nn.MaxPool2d(2)\n        self.fc = nn.Linear(32 * 13 * 13, 10)\n' +
    '    def forward(self, x):\n        return self.fc(self.pool(self.conv(x)).flatten(1))\n';
  const report = await analyzeText(text, 'cnn.py');
  const model = report.models[0];
  const conv = model.layers.find((l) => l.name === 'conv')!;
  const hover = buildLayerHoverMarkdown(model, conv);
  const row = modelRows(model)[model.layers.indexOf(conv)];
  assert.equal(row.cells.shape, '(None, 1, None, None) → (None, 32, None, None)');
  assert.ok(hover.includes(row.cells.shape), hover);
  assert.doesNotMatch(JSON.stringify(modelRows(model)), /×/);
  // Pooling with nothing known about its input: the card says why instead of "? → ?".
  const pool = buildLayerHoverMarkdown(model, model.layers.find((l) => l.name === 'pool')!);
  assert.doesNotMatch(pool, /\? → \?/);
  assert.match(pool, /shapes unknown: its input comes through forward\(\)/);
});

test('TF.js cards and rows do not repeat a name that only spells the class again', async () => {
  const text = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({inputShape: [784], units: 64}), tf.layers.dense({units: 10})]});\n";
  const report = await analyzeText(text, 'm.ts');
  const [model] = report.models;
  assert.match(buildLayerHoverMarkdown(model, model.layers[0]), /^\*\*dense\*\* · TF\.js/);
  assert.match(buildLayerHoverMarkdown(model, model.layers[1]), /^\*\*dense\*\* `dense_1` · TF\.js/);
  assert.deepEqual(modelRows(model).map((r) => r.cells.layer), ['dense', 'dense_1 (dense)']);
});

test("layers counted as Keras counts them: keras.Input is not a layer", async () => {
  const text =
    'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(784,)),\n' +
    '    layers.Dense(64, activation="relu"),\n    layers.Dense(10),\n])\n';
  const report = await analyzeText(text, 'k.py');
  assert.equal(report.models[0].layers.length, 3, 'the Input still has its row (its shape feeds the next layer)');
  assert.equal(modelSummaryTitle(report.models[0]), '2 layers · 50,890 params');
  assert.equal(buildReportModels(report)[0].totals, '2 layers (2 with weights) · 50,890 params');
});

test('the Layers report never cuts a value: cells wrap, and each carries its full value as a tooltip', () => {
  const html = reportHtml({ cspSource: 'vscode-resource:', nonce: 'n', scriptUri: 'report.js' });
  const cellRules = [...html.matchAll(/vscode-data-grid-cell[^{]*\{([^}]*)\}/g)].map((m) => m[1]);
  assert.ok(cellRules.length > 0);
  for (const rule of cellRules) {
    assert.doesNotMatch(rule, /ellipsis|white-space:\s*nowrap|overflow:\s*hidden/, rule);
  }
  assert.ok(cellRules.some((rule) => /white-space:\s*normal/.test(rule) && /overflow-wrap:\s*anywhere/.test(rule)));
  assert.deepEqual(cellAttributes('±0.08111', 7), { 'grid-column': '7', title: '±0.08111' });
  assert.deepEqual(cellAttributes('fan_in', 4, { header: true }), { 'grid-column': '4', 'cell-type': 'columnheader', title: 'fan_in' });
});

test("a diagnostic on TF.js' first dense layer names it once", async () => {
  const text =
    "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n" +
    "  tf.layers.dense({inputShape: [784], units: 64, activation: 'relu'}),\n  tf.layers.dense({units: 64, activation: 'relu'}),\n" +
    "  tf.layers.dense({units: 64, activation: 'relu'}),\n  tf.layers.dense({units: 10})\n]});\n";
  const findings = findInitializerProblems(await analyzeText(text, 'deep.ts'));
  const messages = findings.map((f) => f.message);
  assert.ok(messages.some((m) => m.startsWith('`dense`: ')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('dense `dense_1`: ')), messages.join('\n'));
  assert.ok(messages.every((m) => !m.startsWith('dense `dense`')));
});
