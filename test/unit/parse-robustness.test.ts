/**
 * The readers on code being typed and on hostile input: every complete layer before a break is still read,
 * nothing throws, deep nesting does not exhaust the stack, and columns are UTF-16 (as VS Code counts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LayerCall, ParseResult } from '../../src/analysis/ir';
import { parseSource } from '../../src/analysis/parse/index';
import { allLayers, arg, only } from './parse-support';

const examples = join(__dirname, '..', '..', 'examples');
const read = (name: string) => readFileSync(join(examples, name), 'utf8');
const key = (l: LayerCall) => `${l.type}@${l.range.start.line}:${l.range.start.column}`;

/**
 * Cuts `text` after each line in turn and checks that every layer of the full file whose call is complete
 * within the cut is reported, with the same arguments, and that a syntax-error notice accompanies broken prefixes.
 */
async function checkEveryPrefix(text: string, language: 'python' | 'typescript', minLayers: number): Promise<void> {
  const full = await parseSource(text, language);
  const fullLayers = allLayers(full);
  assert.ok(fullLayers.length >= minLayers, `the full file has ${fullLayers.length} layers`);
  const lines = text.split('\n');
  for (let cut = 1; cut <= lines.length; cut++) {
    const prefix = lines.slice(0, cut).join('\n');
    let result: ParseResult;
    try {
      result = await parseSource(prefix, language);
    } catch (error) {
      assert.fail(`threw on the first ${cut} lines: ${String(error)}`);
    }
    assert.ok(!result.notices.some((n) => n.startsWith('Could not read')), `cut after line ${cut}: ${result.notices.join('; ')}`);
    const found = new Map(allLayers(result).map((l) => [key(l), l]));
    for (const layer of fullLayers) {
      if (layer.range.end.line >= cut - 1 && !(layer.range.end.line === cut - 1 && lines[cut - 1].trimEnd().endsWith(','))) continue;
      const got = found.get(key(layer));
      assert.ok(got, `cut after line ${cut}: missing ${key(layer)}; found ${[...found.keys()].join(' ')}`);
      assert.deepEqual(got.args.map((a) => a.value), layer.args.map((a) => a.value), `cut after line ${cut}: arguments of ${key(layer)}`);
    }
  }
}

describe('broken and half-typed code', () => {
  it('keeps every complete layer of the seed example truncated after any line', async () => {
    await checkEveryPrefix(read('seed_keras_mlp.py'), 'python', 4);
  });

  it('keeps every complete layer of the PyTorch module truncated after any line', async () => {
    await checkEveryPrefix(read('pytorch_mlp_module.py'), 'python', 4);
  });

  it('keeps every complete layer of the TF.js example truncated after any line', async () => {
    await checkEveryPrefix(read('tfjs_cnn.ts'), 'typescript', 7);
  });

  it('reads an unclosed Sequential as that model, in order, with a notice', async () => {
    const result = await parseSource('from tensorflow.keras import layers, Sequential\nmodel = Sequential([\n    layers.Dense(8, activation="relu"),\n    layers.Dense(4),\n    layers.Dense(\n', 'python');
    const model = only(result);
    assert.equal(model.name, 'model');
    assert.equal(model.kind, 'sequential');
    assert.deepEqual(model.layers.map((l) => arg(l, 0)), [8, 4]);
    assert.deepEqual(result.notices, ['The file has syntax errors; layers read as far as possible.']);
  });

  it('reads the layers around a missing argument or a stray token', async () => {
    const result = await parseSource('import torch.nn as nn\nnet = nn.Sequential(\n    nn.Linear(784, ),\n    nn.ReLU(),\n    nn.Linear(128 10),\n    nn.Linear(10, 2),\n)\n', 'python');
    const layers = allLayers(result);
    assert.ok(layers.some((l) => l.type === 'Linear' && arg(l, 0) === 784));
    assert.ok(layers.some((l) => l.type === 'Linear' && arg(l, 0) === 10 && arg(l, 1) === 2));
    assert.equal(result.notices.length, 1);
  });

  it('keeps the layers around a missing comma in a Sequential list', async () => {
    const model = only(await parseSource('from keras import layers\nimport keras\nmodel = keras.Sequential([\n    layers.Dense(8),\n    layers.Dense(4)\n    layers.Dense(2),\n])\n', 'python'));
    assert.deepEqual(model.layers.slice(0, 2).map((l) => arg(l, 0)), [8, 4]);
  });

  it('keeps reading the statements an unclosed application swallows', async () => {
    const result = await parseSource('from keras import layers, Input, Model\ninp = Input(shape=(8,))\nx = layers.Dense(4)(inp)\ny = layers.Dense(3)(x\nz = layers.Dense(2)(inp)\nm = Model(inp, z)\n', 'python');
    assert.deepEqual(allLayers(result).map((l) => `${l.type}:${arg(l, 0) ?? ''}`).sort(), ['Dense:2', 'Dense:3', 'Dense:4', 'Input:'].sort());
  });

  it('offers no insertion point in a module class being edited, but still reads its layers', async () => {
    const text = 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(784, 128)\n        self.fc2 = nn.Linear(128,\n        self.fc3 = nn.Linear(64, 10)\n\n    def forward(self, x):\n        return x\n';
    const model = only(await parseSource(text, 'python'));
    assert.equal(model.initInsertion, undefined);
    assert.deepEqual(model.layers[0].name, 'fc1');
    assert.ok(model.layers.some((l) => arg(l, 0) === 64 && arg(l, 1) === 10));
  });

  it('keeps the layers around a missing comma in a TF.js layers array', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [\n  tf.layers.dense({units: 8, inputShape: [4]}),\n  tf.layers.dense({units: 4})\n  tf.layers.dense({units: 2}),\n]});\n";
    const layers = allLayers(await parseSource(text, 'typescript'));
    assert.ok(layers.some((l) => arg(l, 'units') === 8));
    assert.ok(layers.some((l) => arg(l, 'units') === 4));
  });

  it('never throws on random fragments of the examples', async () => {
    const texts = ['seed_keras_mlp.py', 'pytorch_init_weights.py', 'keras_functional_concat.py'].map(read);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      const text = texts[i % texts.length];
      const a = Math.floor(random() * text.length);
      const b = a + Math.floor(random() * (text.length - a));
      const mangled = text.slice(0, a) + text.slice(b) + text.slice(a, b).split('').reverse().join('');
      const result = await parseSource(mangled, 'python');
      assert.ok(!result.notices.some((n) => n.startsWith('Could not read')), `mangle ${i}: ${result.notices.join('; ')}`);
    }
  });
});

describe('hostile input', () => {
  const depth = 10_000;
  // [label, text, language, nesting levels, layers expected (undefined: any)]
  const cases: [string, string, 'python' | 'typescript', number, number | undefined][] = [
    ['nested parentheses', `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`, 'python', depth, 0],
    ['nested lists in a layer argument', `from keras import layers, Sequential\nm = Sequential([layers.Dense(${'['.repeat(depth)}1${']'.repeat(depth)})])\n`, 'python', depth, 1],
    ['nested nn.Sequential', `import torch.nn as nn\nm = ${'nn.Sequential('.repeat(depth)}nn.Linear(1, 2)${')'.repeat(depth)}\n`, 'python', depth, undefined],
    ['nested if blocks', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + `\n${' '.repeat(2000)}m = nn.Linear(1, 2)\n`, 'python', 2000, undefined],
    ['nested arrays in a TF.js config', `import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: ${'['.repeat(depth)}1${']'.repeat(depth)}})]});\n`, 'typescript', depth, 1],
    ['nested calls', `const x = ${'f('.repeat(depth)}1${')'.repeat(depth)};\n`, 'typescript', depth, 0],
  ];
  for (const [label, text, language, levels, layers] of cases) {
    it(`survives ${levels.toLocaleString('en')}-level ${label}`, async () => {
      const result = await parseSource(text, language);
      // parseSource turns a reader exception (a blown stack included) into a notice: there must be none.
      assert.ok(!result.notices.some((n) => n.startsWith('Could not read')), result.notices.join('; '));
      if (layers !== undefined) assert.equal(allLayers(result).length, layers);
    });
  }

  it('reads nested nn.Sequential far deeper than any real model, and stops descending beyond that', async () => {
    const result = await parseSource(`import torch.nn as nn\nm = ${'nn.Sequential('.repeat(50)}nn.Linear(1, 2)${')'.repeat(50)}\n`, 'python');
    const model = only(result);
    assert.equal(model.layers.length, 1);
    assert.equal(model.layers[0].name, Array(50).fill('0').join('.'));
  });
});

describe('positions', () => {
  it('counts columns in UTF-16 code units after non-ASCII text (comments, strings, emoji)', async () => {
    const prefix = 'x = "é😀ü"; y = 1  # 中文 😀\n';
    const line = 'name = "ñ😀"; model = keras.Sequential([layers.Dense(3)])  # ü';
    const text = `# Grüße — ☃ 😀 comment\n${prefix}${line}\n`;
    const model = only(await parseSource(text, 'python'));
    const dense = model.layers[0];
    assert.equal(dense.range.start.line, 2);
    assert.equal(dense.range.start.column, line.indexOf('layers.Dense'));
    assert.equal(dense.range.end.column, line.indexOf('(3)') + 3);
    assert.equal(model.range.start.column, line.indexOf('keras.Sequential'));
  });

  it('counts UTF-16 columns in TypeScript too', async () => {
    const line = "const s = '😀é'; const m = tf.sequential({layers: [tf.layers.dense({units: 1})]});";
    const model = only(await parseSource(`// ☃☃☃\n${line}\n`, 'typescript'));
    assert.equal(model.layers[0].range.start.line, 1);
    assert.equal(model.layers[0].range.start.column, line.indexOf('tf.layers.dense'));
  });
});
