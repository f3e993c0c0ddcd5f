// PyTorch forward() read as a chain (src/analysis/parse/pythonForward.ts → modelSpecFromReport): each supported
// pattern builds the same network as a hand-written nn.Sequential of the same layers (the same output for the
// same weights and input, on TF.js's CPU backend); each unsupported pattern is refused with its line and why.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyzeText, setGrammarDirectory } from '../../src/analysis/index';
import { modelSpecFromReport, type ModelSpecResult } from '../../src/training-spec';
import { buildNetwork, forward, weightsOf } from '../../webview/training/network';
import type { ModelSpec } from '../../src/protocol';

const root = resolve(import.meta.dirname, '../..');

before(async () => {
  setGrammarDirectory(join(root, 'dist', 'tree-sitter'));
  await tf.setBackend('cpu');
});

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n';

/** The spec of the only model in `source` (a module, or `model = nn.Sequential(...)`). */
async function specOf(source: string, name: string): Promise<ModelSpecResult> {
  const report = await analyzeText(HEADER + source, `${name}.py`);
  assert.equal(report.models.length, 1, `${name}: ${report.models.map((m) => m.name).join(', ')} ${report.notices.join('; ')}`);
  return modelSpecFromReport(report.models[0]);
}

function sequential(layers: string): string {
  return `model = nn.Sequential(\n    ${layers.trim().split('\n').map((l) => l.trim()).join('\n    ')}\n)\n`;
}

/** Logits of `spec`'s network, built with a fixed seed, for a fixed batch. */
function logits(spec: ModelSpec): Float32Array {
  const net = buildNetwork(spec, 'he_normal', 'model', 5, `fwd-${spec.label}`);
  try {
    return tf.tidy(() => {
      const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9);
      return forward(net, weightsOf(net), x, { training: false }).dataSync() as Float32Array;
    });
  } finally {
    net.dispose();
  }
}

const shapeOf = (spec: ModelSpec) => spec.layers.map((l) => [l.type, l.units ?? l.filters ?? l.rate ?? null, l.activation ?? null]);

const SUPPORTED: { pattern: string; module: string; sequential: string }[] = [
  {
    pattern: 'statement by statement (PyTorch examples/mnist): conv, relu, max_pool2d, dropout modules, torch.flatten, log_softmax',
    module: `
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, 1)
        self.conv2 = nn.Conv2d(8, 16, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(2304, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        """Logits, as log-probabilities."""
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout2(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output
`,
    sequential: `nn.Conv2d(1, 8, 3, 1), nn.ReLU(),
      nn.Conv2d(8, 16, 3, 1), nn.ReLU(),
      nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
      nn.Linear(2304, 32), nn.ReLU(), nn.Dropout(0.5),
      nn.Linear(32, 10), nn.LogSoftmax(dim=1),`,
  },
  {
    pattern: 'nested calls: F.relu(F.max_pool2d(self.conv(x), 2)), x.view(-1, n), F.dropout(training=...)',
    module: `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)
`,
    sequential: `nn.Conv2d(1, 10, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),
      nn.Conv2d(10, 20, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),
      nn.Flatten(), nn.Linear(320, 50), nn.ReLU(), nn.Dropout(0.5), nn.Linear(50, 10), nn.LogSoftmax(dim=1),`,
  },
  {
    pattern: 'a Sequential submodule, x.reshape(x.size(0), -1), another variable name, torch.tanh, F.avg_pool2d with a stride',
    module: `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.Tanh(), nn.AvgPool2d(2))
        self.conv = nn.Conv2d(6, 4, 3)
        self.head = nn.Linear(4 * 3 * 3, 10)

    def forward(self, images):
        h = self.features(images)
        h = torch.tanh(self.conv(h))
        h = F.avg_pool2d(h, kernel_size=4, stride=4)
        h = h.reshape(h.size(0), -1)
        return self.head(h)
`,
    sequential: `nn.Conv2d(1, 6, 3, padding=1), nn.Tanh(), nn.AvgPool2d(2),
      nn.Conv2d(6, 4, 3), nn.Tanh(), nn.AvgPool2d(4, stride=4),
      nn.Flatten(), nn.Linear(36, 10),`,
  },
  {
    pattern: 'tensor methods x.flatten(1) and .relu(), torch.sigmoid, an nn.Flatten and activation module called from forward',
    module: `
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 32)
        self.fc2 = nn.Linear(32, 16)
        self.act = nn.ReLU()
        self.out = nn.Linear(16, 10)

    def forward(self, x):
        x = self.fc1(x.flatten(1)).relu()
        x = torch.sigmoid(self.fc2(x))
        return F.softmax(self.out(x), dim=-1)
`,
    sequential: `nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 16), nn.Sigmoid(), nn.Linear(16, 10), nn.Softmax(dim=1),`,
  },
];

for (const { pattern, module, sequential: layers } of SUPPORTED) {
  test(`forward() pattern builds the same network as nn.Sequential: ${pattern}`, async () => {
    const fromForward = await specOf(module, 'module');
    const fromSequential = await specOf(sequential(layers), 'sequential');
    assert.ok('spec' in fromForward, JSON.stringify(fromForward));
    assert.ok('spec' in fromSequential, JSON.stringify(fromSequential));
    assert.deepEqual(shapeOf(fromForward.spec), shapeOf(fromSequential.spec));
    const a = logits(fromForward.spec);
    const b = logits(fromSequential.spec);
    assert.equal(a.length, 30);
    assert.deepEqual(Array.from(a), Array.from(b));
  });
}

test('the examples: pytorch_cnn.py and pytorch_mlp_module.py follow their forward()', async () => {
  const { readFileSync } = await import('node:fs');
  for (const [file, expected] of [
    ['pytorch_cnn.py', [['conv2d', 32, 'relu'], ['maxPooling2d', null, null], ['conv2d', 64, 'relu'], ['maxPooling2d', null, null], ['flatten', null, null], ['dense', 128, 'relu'], ['dense', 10, 'linear']]],
    ['pytorch_mlp_module.py', [['flatten', null, null], ['dense', 128, 'relu'], ['dense', 64, 'relu'], ['dense', 10, 'linear']]],
  ] as const) {
    const report = await analyzeText(readFileSync(join(root, 'examples', file), 'utf8'), file);
    const result = modelSpecFromReport(report.models[0]);
    assert.ok('spec' in result, `${file}: ${JSON.stringify(result)}`);
    assert.deepEqual(shapeOf(result.spec), expected);
  }
});

/** A module whose forward() body is `body` (indented by the caller's 8 spaces); its first line is line 12 of the file. */
function moduleWith(body: string, params = 'self, x'): string {
  return `
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(676, 676)
        self.fc2 = nn.Linear(676, 10)

    def forward(${params}):
${body.trim().split('\n').map((l) => `        ${l}`).join('\n')}
`;
}

const FIRST_BODY_LINE = 15;

const REFUSED: { pattern: string; body: string; params?: string; line: number; why: RegExp }[] = [
  { pattern: 'a branch', body: 'x = F.relu(self.conv(x))\nif self.training:\n    x = self.pool(x)\nreturn self.fc2(torch.flatten(x, 1))', line: FIRST_BODY_LINE + 1, why: /an if statement is a branch/ },
  { pattern: 'a residual add', body: 'x = torch.flatten(self.conv(x), 1)\nx = x + self.fc1(x)\nreturn self.fc2(x)', line: FIRST_BODY_LINE + 1, why: /arithmetic on tensors \(a residual add/ },
  { pattern: 'an in-place residual', body: 'x = torch.flatten(self.conv(x), 1)\nx += self.fc1(x)\nreturn self.fc2(x)', line: FIRST_BODY_LINE + 1, why: /in-place update/ },
  { pattern: 'a loop', body: 'for layer in [self.conv]:\n    x = layer(x)\nreturn x', line: FIRST_BODY_LINE, why: /a loop is not followed/ },
  { pattern: 'attention (several inputs to one call)', body: 'x = torch.flatten(self.conv(x), 1)\nattn, _ = self.attn(x, x, x)\nreturn self.fc2(attn)', line: FIRST_BODY_LINE + 1, why: /only `name = <layer chain>` assignments/ },
  { pattern: 'a skip connection through another variable', body: 'y = torch.flatten(self.conv(x), 1)\nz = self.fc1(y)\nreturn self.fc2(y)', line: FIRST_BODY_LINE + 2, why: /`y` is not the running tensor `z`/ },
  { pattern: 'a second input', body: 'return self.fc2(x)', params: 'self, x, mask', line: 14, why: /exactly one input tensor/ },
  { pattern: 'a function it does not know', body: 'x = torch.flatten(self.conv(x), 1)\nx = F.gelu(self.fc1(x))\nreturn self.fc2(x)', line: FIRST_BODY_LINE + 1, why: /F\.gelu\(\) is not among the functions/ },
  { pattern: 'torch.cat', body: 'x = torch.cat([x, x], 1)\nreturn self.fc2(x)', line: FIRST_BODY_LINE, why: /torch\.cat\(\) is not among the functions/ },
  { pattern: 'a flatten that drops the batch', body: 'x = torch.flatten(self.conv(x))\nreturn self.fc2(x)', line: FIRST_BODY_LINE, why: /start_dim=1/ },
];

for (const { pattern, body, params, line, why } of REFUSED) {
  test(`forward() with ${pattern} is refused with its line`, async () => {
    const source = moduleWith(body, params);
    const result = await specOf(source, 'refused');
    assert.ok('error' in result, JSON.stringify(result));
    const code = (HEADER + source).split('\n')[line - 1].trim();
    assert.ok(result.error.startsWith(`Net.forward() cannot be followed at line ${line} (\`${code}\`): `), result.error);
    assert.match(result.error, why);
  });
}

const SPEC_REFUSED: { pattern: string; body: string; error: RegExp }[] = [
  { pattern: 'an activation after average pooling', body: 'x = torch.tanh(F.avg_pool2d(self.conv(x), 2))\nreturn self.fc2(torch.flatten(x, 1))', error: /line 15: tanh after averagePooling2d cannot be moved onto conv: Conv2d, line 9/ },
  { pattern: 'softmax after max pooling (it does not commute with max)', body: 'x = F.softmax(F.max_pool2d(self.conv(x), 2), dim=1)\nreturn self.fc2(torch.flatten(x, 1))', error: /line 15: softmax after maxPooling2d cannot be moved onto conv: Conv2d, line 9/ },
  { pattern: 'a flatten size that is not the image\'s', body: 'x = self.conv(x).view(-1, 320)\nreturn self.fc2(x)', error: /line 15: flattens to 320 values, but the 4×26×26 image here has 2704/ },
  { pattern: 'a Linear whose in_features are not what reaches it', body: 'x = torch.flatten(self.conv(x), 1)\nreturn self.fc2(x)', error: /line 16: layer fc2 \(Linear, line 12\) takes 676 features, but 2704 reach it/ },
  { pattern: 'a Linear applied to an image', body: 'x = self.fc1(self.conv(x))\nreturn self.fc2(x)', error: /line 15: fc1: Linear, line 11 is applied to an image \(4×26×26\) with no flatten before it/ },
  { pattern: 'shared weights', body: 'x = torch.flatten(self.pool(self.conv(x)), 1)\nx = self.fc1(F.relu(self.fc1(x)))\nreturn self.fc2(x)', error: /line 16: layer fc1 \(Linear, line 11\) is applied a second time/ },
];

for (const { pattern, body, error } of SPEC_REFUSED) {
  test(`forward() read, but ${pattern}: refused with its line`, async () => {
    const result = await specOf(moduleWith(body), 'spec-refused');
    assert.ok('error' in result, JSON.stringify(result));
    assert.match(result.error, error);
  });
}
