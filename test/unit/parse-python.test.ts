/**
 * The Python reader (Keras / tf.keras, PyTorch): what layers, arguments, names, graph edges, positions and
 * init calls come out of the ways people write models.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseSource } from '../../src/analysis/parse/index';
import { arg, only, plain, types } from './parse-support';

const examples = join(__dirname, '..', '..', 'examples');
const read = (name: string) => readFileSync(join(examples, name), 'utf8');
const py = (text: string) => parseSource(text, 'python');

describe('Keras Sequential', () => {
  it('reads the seed example: four layers, arguments, positions', async () => {
    const text = read('seed_keras_mlp.py');
    const model = only(await py(text));
    assert.equal(model.framework, 'keras');
    assert.equal(model.kind, 'sequential');
    assert.equal(model.name, 'model');
    assert.deepEqual(types(model), ['Flatten', 'Dense', 'Dense', 'Dense']);
    assert.deepEqual(arg(model.layers[0], 'input_shape'), [28, 28]);
    assert.deepEqual(model.layers.slice(1).map((l) => arg(l, 0)), [128, 64, 10]);
    assert.deepEqual(model.layers.slice(1).map((l) => arg(l, 'activation')), ['relu', 'relu', 'softmax']);
    assert.deepEqual(model.layers.slice(1).map((l) => arg(l, 'kernel_initializer')), ['glorot_uniform', 'glorot_uniform', 'glorot_uniform']);
    const lines = text.split('\n');
    for (const layer of model.layers) {
      // The range points at the call as written: `layers.Dense(...)` starts at its column and ends with `)`.
      const line = lines[layer.range.start.line];
      assert.equal(line.slice(layer.range.start.column, layer.range.start.column + layer.callee.length), layer.callee);
      assert.equal(lines[layer.range.end.line][layer.range.end.column - 1], ')');
      assert.equal(lines[layer.argsRange.start.line][layer.argsRange.start.column], '(');
    }
    const units = model.layers[1].args[0];
    assert.equal(units.name, undefined);
    assert.equal(lines[units.valueRange.start.line].slice(units.valueRange.start.column, units.valueRange.end.column), '128');
    const act = model.layers[1].args.find((a) => a.name === 'activation')!;
    assert.equal(lines[act.range.start.line].slice(act.range.start.column, act.range.end.column), "activation='relu'");
    assert.equal(lines[act.valueRange.start.line].slice(act.valueRange.start.column, act.valueRange.end.column), "'relu'");
  });

  const styles: [string, string][] = [
    ['layers.Dense', 'from tensorflow.keras import layers\nimport tensorflow as tf\nm = tf.keras.Sequential([layers.Dense(4), layers.Dense(2)])\n'],
    ['keras.layers.Dense', 'import keras\nm = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])\n'],
    ['tf.keras.layers.Dense', 'import tensorflow as tf\nm = tf.keras.models.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(2)])\n'],
    ['from keras.layers import Dense', 'from keras.models import Sequential\nfrom keras.layers import Dense\nm = Sequential([Dense(4), Dense(2)])\n'],
    ['layers as L', 'from tensorflow.keras import layers as L, Sequential\nm = Sequential([L.Dense(4), L.Dense(2)])\n'],
    ['from tensorflow import keras', 'from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])\n'],
    ['aliased Dense', 'from tensorflow.keras.layers import Dense as D\nfrom tensorflow.keras import Sequential\nm = Sequential([D(4), D(2)])\n'],
    ['wildcard', 'from keras.layers import *\nfrom keras.models import *\nm = Sequential([Dense(4), Dense(2)])\n'],
    ['snippet without imports', 'm = keras.Sequential([layers.Dense(4), layers.Dense(2)])\n'],
  ];
  for (const [label, text] of styles) {
    it(`recognises ${label}`, async () => {
      const model = only(await py(text));
      assert.equal(model.framework, 'keras');
      assert.equal(model.name, 'm');
      assert.deepEqual(types(model), ['Dense', 'Dense']);
      assert.deepEqual(model.layers.map((l) => arg(l, 0)), [4, 2]);
    });
  }

  it('follows Sequential() + model.add(...) + model.build(input_shape=...)', async () => {
    const model = only(await py(read('keras_lstm_text.py')));
    assert.deepEqual(types(model), ['Embedding', 'LSTM', 'Dropout', 'GRU', 'Dense']);
    assert.deepEqual(plain(model.inputShape!), [null, 200]);
    assert.deepEqual(arg(model.layers[0], 0), 20000);
    assert.deepEqual(arg(model.layers[1], 'return_sequences'), true);
  });

  it('repeats a layer added in a constant range loop, and resolves an initializer variable to its call', async () => {
    const model = only(await py(read('keras_deep_tanh_poor_init.py')));
    assert.deepEqual(types(model), ['Input', ...Array(8).fill('Dense'), 'Dense']);
    assert.deepEqual(arg(model.layers[0], 'shape'), [784]);
    assert.deepEqual(arg(model.layers[1], 'kernel_initializer'), { call: 'initializers.RandomNormal', args: [{ mean: 0 }, { stddev: 0.01 }] });
    assert.deepEqual(arg(model.layers[9], 'kernel_initializer'), { call: 'initializers.RandomNormal', args: [{ stddev: 0.01 }] });
  });

  it('does not take another object with an add method for the model', async () => {
    const result = await py('import keras\nseen = set()\nseen.add(keras.layers.Dense(3))\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(5))\n');
    const model = result.models.find((m) => m.name === 'model')!;
    assert.deepEqual(model.layers.map((l) => arg(l, 0)), [5]);
  });

  it('uses a name= argument as the layer name', async () => {
    const model = only(await py('from keras import layers, Sequential\nm = Sequential([layers.Dense(3, name="hidden")])\n'));
    assert.equal(model.layers[0].name, 'hidden');
  });
});

describe('Keras functional API', () => {
  it('reads inputs, rebinding, Concatenate with several inbound layers, Model(inputs=..., outputs=...)', async () => {
    const model = only(await py(read('keras_functional_concat.py')));
    assert.equal(model.kind, 'functional');
    assert.equal(model.name, 'model');
    assert.deepEqual(types(model), ['Input', 'Input', 'Embedding', 'GlobalAveragePooling1D', 'Dense', 'Dense', 'Concatenate', 'Dense', 'Dense']);
    assert.deepEqual(model.layers.map((l) => l.inbound), [[], [], [0], [2], [1], [4], [3, 5], [6], [7]]);
    assert.deepEqual(arg(model.layers[0], 'shape'), [null]);
    assert.equal(model.layers[8].name, 'department');
    assert.equal(model.layers[5].name, 'y');
  });

  it('reads positional Model(inputs, outputs), x = Dense(8)(x) rebinding and tensor ops in between', async () => {
    const text = [
      'import tensorflow as tf',
      'inputs = tf.keras.Input(shape=(16,))',
      'x = tf.keras.layers.Dense(8)(inputs)',
      'x = tf.nn.relu(x)',
      'x = tf.keras.layers.Dense(8)(x)',
      'shortcut = tf.keras.layers.Dense(8)(inputs)',
      'x = tf.keras.layers.add([x, shortcut])',
      'outputs = tf.keras.layers.Dense(1)(x)',
      'model = tf.keras.Model(inputs, outputs)',
    ].join('\n');
    const model = only(await py(text));
    assert.deepEqual(types(model), ['Input', 'Dense', 'Dense', 'Dense', 'add', 'Dense']);
    assert.deepEqual(model.layers.map((l) => l.inbound), [[], [0], [1], [0], [2, 3], [4]]);
  });

  it('reads a layer built first and applied later', async () => {
    const text = 'from keras import layers, Input, Model\ninp = Input((4,))\ndense = layers.Dense(3)\nout = dense(inp)\nm = Model(inputs=inp, outputs=out)\n';
    const model = only(await py(text));
    assert.deepEqual(types(model), ['Input', 'Dense']);
    assert.deepEqual(model.layers[1].inbound, [0]);
  });
});

describe('PyTorch', () => {
  it('reads nn.Sequential with names as PyTorch gives them', async () => {
    const model = only(await py(read('pytorch_mlp_sequential.py')));
    assert.equal(model.framework, 'pytorch');
    assert.equal(model.kind, 'sequential');
    assert.deepEqual(types(model), ['Flatten', 'Linear', 'ReLU', 'Linear', 'ReLU', 'Linear']);
    assert.deepEqual(model.layers.map((l) => l.name), ['0', '1', '2', '3', '4', '5']);
    assert.deepEqual(model.layers.filter((l) => l.type === 'Linear').map((l) => [arg(l, 0), arg(l, 1)]), [[784, 128], [128, 64], [64, 10]]);
    // init_weights applied with model.apply: one call per parameter, by type.
    assert.deepEqual(model.initCalls!.map((c) => [c.fn, c.targetType, c.targetLayer, c.param]), [
      ['nn.init.xavier_uniform_', 'Linear', undefined, 'weight'],
      ['nn.init.zeros_', 'Linear', undefined, 'bias'],
    ]);
  });

  it('reads an nn.Module subclass: attributes in order, defaults of __init__, arithmetic, init calls and insertion point', async () => {
    const text = read('pytorch_mlp_module.py');
    const model = only(await py(text));
    assert.equal(model.kind, 'module');
    assert.equal(model.name, 'MLP');
    assert.deepEqual(model.layers.map((l) => [l.name, l.type]), [['flatten', 'Flatten'], ['fc1', 'Linear'], ['fc2', 'Linear'], ['fc3', 'Linear']]);
    assert.deepEqual(model.layers.slice(1).map((l) => [arg(l, 0), arg(l, 1)]), [[784, 128], [128, 64], [64, 10]]);
    const weights = model.initCalls!.filter((c) => c.param === 'weight');
    assert.deepEqual(weights.map((c) => [c.fn, c.targetLayer]), [['nn.init.xavier_uniform_', 'fc1'], ['nn.init.xavier_uniform_', 'fc2'], ['nn.init.xavier_uniform_', 'fc3']]);
    const lines = text.split('\n');
    const at = model.initInsertion!;
    assert.equal(at.indent, '        ');
    assert.equal(lines[at.position.line].trim(), 'nn.init.zeros_(layer.bias)');
    assert.equal(at.position.column, lines[at.position.line].length);
  });

  const importStyles: [string, string][] = [
    ['import torch.nn as nn', 'import torch.nn as nn\n'],
    ['from torch import nn', 'from torch import nn\n'],
    ['import torch', 'import torch\nnn = torch.nn\n'],
  ];
  for (const [label, header] of importStyles) {
    it(`reads self.x = nn.X(...) with ${label}`, async () => {
      const text = `${header}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(10, 20)\n        self.fc2 = nn.Linear(20, 2)\n`;
      const model = only(await py(text));
      assert.deepEqual(model.layers.map((l) => [l.name, arg(l, 0), arg(l, 1)]), [['fc1', 10, 20], ['fc2', 20, 2]]);
    });
  }

  it('reads from torch.nn import Linear, Module', async () => {
    const text = 'from torch.nn import Linear, Module, ReLU\nclass Head(Module):\n    def __init__(self, width=32):\n        super().__init__()\n        self.proj = Linear(width * 2, width // 4)\n        self.act = ReLU()\n';
    const model = only(await py(text));
    assert.deepEqual(model.layers.map((l) => [l.name, l.type]), [['proj', 'Linear'], ['act', 'ReLU']]);
    assert.deepEqual([arg(model.layers[0], 0), arg(model.layers[0], 1)], [64, 8]);
  });

  it('flattens nested Sequential attributes and OrderedDict keys with PyTorch parameter names', async () => {
    const text = [
      'from collections import OrderedDict',
      'import torch.nn as nn',
      'class CNN(nn.Module):',
      '    def __init__(self, hidden):',
      '        super().__init__()',
      '        self.features = nn.Sequential(',
      '            nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU()),',
      '            nn.MaxPool2d(2),',
      '            nn.Conv2d(8, 16, kernel_size=3, padding=1),',
      '        )',
      '        self.head = nn.Sequential(OrderedDict([("fc", nn.Linear(16, hidden)), ("out", nn.Linear(hidden, 10))]))',
      '        self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4)])',
      '        nn.init.kaiming_normal_(self.features[2].weight, mode="fan_out", nonlinearity="relu")',
      '        nn.init.constant_(self.head.fc.bias, 0.0)',
    ].join('\n');
    const model = only(await py(text));
    assert.deepEqual(model.layers.map((l) => l.name), ['features.0.0', 'features.0.1', 'features.1', 'features.2', 'head.fc', 'head.out', 'blocks.0', 'blocks.1']);
    // `hidden` has no default: it stays symbolic, never guessed.
    assert.deepEqual(arg(model.layers[4], 1), { symbolic: 'hidden' });
    assert.deepEqual(model.initCalls!.map((c) => [c.targetLayer, c.param, c.args.find((a) => a.name === 'mode') ? plain(c.args.find((a) => a.name === 'mode')!.value) : undefined]), [
      ['features.2', 'weight', 'fan_out'],
      ['head.fc', 'bias', undefined],
    ]);
  });

  it('reads _init_weights applied with self.apply, isinstance chains and elif', async () => {
    const model = only(await py(read('pytorch_init_weights.py')));
    assert.deepEqual(model.layers.map((l) => l.name), ['embeddings', 'norm', 'ffn.0', 'ffn.1', 'ffn.2', 'dropout', 'classifier']);
    assert.deepEqual(model.initCalls!.map((c) => `${c.targetType}.${c.param}:${c.fn}`), [
      'Linear.weight:nn.init.normal_',
      'Linear.bias:nn.init.zeros_',
      'Embedding.weight:nn.init.normal_',
      'LayerNorm.weight:nn.init.ones_',
      'LayerNorm.bias:nn.init.zeros_',
    ]);
    const std = model.initCalls![0].args.find((a) => a.name === 'std')!;
    assert.deepEqual(plain(std.value), 0.02);
  });

  it('reads isinstance with a tuple of types, tensor-method init, and a module-level init function applied to an instance', async () => {
    const text = [
      'import torch.nn as nn',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 8, 3)',
      '        self.fc = nn.Linear(8, 2)',
      '        self.fc.weight.data.normal_(0.0, 0.02)',
      'def weights_init(m):',
      '    if isinstance(m, (nn.Conv2d, nn.Linear)):',
      '        nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("relu"))',
      'net = Net()',
      'net.apply(weights_init)',
    ].join('\n');
    const model = only(await py(text));
    assert.deepEqual(model.initCalls!.map((c) => [c.fn, c.targetLayer, c.targetType, c.param]), [
      ['self.fc.weight.data.normal_', 'fc', undefined, 'weight'],
      ['nn.init.xavier_normal_', undefined, 'Conv2d', 'weight'],
      ['nn.init.xavier_normal_', undefined, 'Linear', 'weight'],
    ]);
    assert.deepEqual(plain(model.initCalls![1].args[1].value), { call: 'nn.init.calculate_gain', args: ['relu'] });
  });

  it('does not report functional calls, losses or init helpers as layers', async () => {
    const text = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\ny = F.relu(torch.zeros(3))\nz = nn.functional.softmax(y, dim=0)\nloss_fn = nn.CrossEntropyLoss()\np = nn.Parameter(torch.ones(2))\n';
    assert.deepEqual(await py(text), { models: [], notices: [] });
  });

  it('reads a Keras Model subclass as a module', async () => {
    const text = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nclass MyModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d1 = layers.Dense(32, activation="relu")\n        self.d2 = layers.Dense(10)\n    def call(self, x):\n        return self.d2(self.d1(x))\n';
    const model = only(await py(text));
    assert.equal(model.framework, 'keras');
    assert.equal(model.kind, 'module');
    assert.deepEqual(model.layers.map((l) => [l.name, arg(l, 0)]), [['d1', 32], ['d2', 10]]);
  });
});

describe('static values', () => {
  it('resolves module constants, function locals, defaults, arithmetic, negatives, tuples and strings', async () => {
    const text = [
      'import torch.nn as nn',
      'IMAGE = 28',
      'WIDTH = 64',
      'KERNEL = (3, 3)',
      'ACT = "re" + "lu"',
      'def build(scale=2, depth=None):',
      '    hidden = WIDTH * scale',
      '    pad = -(1)',
      '    return nn.Sequential(',
      '        nn.Linear(IMAGE * IMAGE, hidden),',
      '        nn.Linear(hidden, (hidden - 8) // 4 + 2 ** 3),',
      '        nn.Conv2d(1, 2, KERNEL, padding=pad, bias=False, padding_mode=ACT),',
      '        nn.Linear(7 % -3, depth),',
      '    )',
    ].join('\n');
    const model = only(await py(text));
    assert.deepEqual(model.layers.map((l) => l.args.map((a) => plain(a.value))), [
      [784, 128],
      [128, 38],
      [1, 2, [3, 3], -1, false, 'relu'],
      [-2, null],
    ]);
  });

  it('takes the latest assignment before the use, and keeps unknowable names symbolic', async () => {
    const text = [
      'import torch.nn as nn',
      'import argparse',
      'size = 10',
      'size = 20',
      'a = b',
      'b = a',
      'args = argparse.ArgumentParser().parse_args()',
      'def f(n):',
      '    for i in range(3):',
      '        pass',
      '    return nn.Sequential(nn.Linear(size, n), nn.Linear(a, i), nn.Linear(args.width, len([1])))',
    ].join('\n');
    const model = only(await py(text));
    assert.deepEqual(model.layers.map((l) => l.args.map((a) => plain(a.value))), [
      [20, { symbolic: 'n' }],
      [{ symbolic: 'a' }, { symbolic: 'i' }],
      [{ symbolic: 'args.width' }, { call: 'len', args: [[1]] }],
    ]);
  });

  it('reads self attributes set in __init__', async () => {
    const text = 'import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self, d_model=512):\n        super().__init__()\n        self.d_model = d_model\n        self.proj = nn.Linear(self.d_model, self.d_model * 4)\n';
    assert.deepEqual(only(await py(text)).layers.map((l) => l.args.map((a) => plain(a.value))), [[512, 2048]]);
  });
});

describe('files without models', () => {
  for (const [label, text] of [
    ['empty', ''],
    ['plain Python', 'import os\n\ndef main():\n    print(os.getcwd())\n\nclass A:\n    pass\n'],
    ['numpy code', 'import numpy as np\nlayers = []\nlayers.append(np.zeros(3))\nx = np.dot(layers[0], layers[0])\n'],
  ] as const) {
    it(`gives an empty result for ${label}`, async () => {
      assert.deepEqual(await py(text), { models: [], notices: [] });
    });
  }
});
