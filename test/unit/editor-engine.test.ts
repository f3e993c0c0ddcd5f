// The editor's pure parts over the real engine and the real examples: the hover card of the seed model,
// the findings the examples raise (and do not raise), and quick fixes checked by a round trip: apply the
// edit, analyse the new text again, and the finding is gone with the initializer the fix wrote in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';
import { findInitializerProblems } from '../../src/analysis/findings';
import { buildLayerHoverMarkdown } from '../../src/editor/hoverMarkdown';
import { quickFixFor } from '../../src/editor/quickFix';
import { applyEdits } from './editor-fixtures';
import { buildReportModels } from '../../src/editor/reportTable';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const example = (name: string) => readFileSync(join(examples, name), 'utf8');

test("seed model: the hover on Dense(128 shows fan_in 784, fan_out 128, ±0.08111; no findings; report rows", async () => {
  const report = await analyzeText(example('seed_keras_mlp.py'), 'seed_keras_mlp.py');
  const model = report.models[0];
  const dense128 = model.layers.find((l) => l.type === 'Dense' && l.outputShape?.[1] === 128);
  assert.ok(dense128, 'the engine finds Dense(128)');
  const md = buildLayerHoverMarkdown(model, dense128);
  assert.match(md, /\| kernel \| \(784, 128\) \| 784 \| 128 \| ±0\.08111 \| 0\.04683 \|/);
  assert.match(md, /`glorot_uniform` \(explicit\) → U\(±0\.08111\)/);
  assert.match(md, /\*\*Params:\*\* 100,480/);
  assert.deepEqual(findInitializerProblems(report), [], 'two ReLU layers are not a deep stack');
  const rows = buildReportModels(report)[0].rows;
  assert.deepEqual(rows.filter((r) => r.cells.layer.endsWith('(Dense)')).map((r) => r.line), [15, 16, 17]);
});

test('deep tanh example: one finding for the loop that makes 8 layers; the fix swaps in glorot_uniform and the finding goes', async () => {
  const text = example('keras_deep_tanh_poor_init.py');
  const report = await analyzeText(text, 'keras_deep_tanh_poor_init.py');
  const findings = findInitializerProblems(report);
  assert.deepEqual(findings.map((f) => f.code), ['small-fixed-scale-saturating']);
  assert.match(findings[0].message, /^8 Dense layers made here/);
  const fix = quickFixFor(findings[0], report, text);
  assert.ok(fix);
  const fixed = applyEdits(text, fix.edits);
  assert.match(fixed, /layers\.Dense\(width, activation="tanh", kernel_initializer="glorot_uniform"\)/);
  const after = await analyzeText(fixed, 'keras_deep_tanh_poor_init.py');
  assert.deepEqual(findInitializerProblems(after), []);
  const tanhKernels = after.models[0].layers.filter((l) => l.activation === 'tanh').map((l) => l.weights[0].initializer);
  assert.deepEqual(tanhKernels, Array(8).fill('glorot_uniform'));
});

test('TF.js CNN: Xavier (the TF.js default) on three ReLU layers; every fix writes heNormal, in a multi-line config too', async () => {
  let text = example('tfjs_cnn.ts');
  const report = await analyzeText(text, 'tfjs_cnn.ts');
  const findings = findInitializerProblems(report);
  assert.equal(findings.length, 3);
  assert.ok(findings.every((f) => f.code === 'xavier-on-deep-relu'));
  const edits = findings.flatMap((f) => quickFixFor(f, report, text)?.edits ?? []);
  assert.equal(edits.length, 3);
  text = applyEdits(text, edits);
  const after = await analyzeText(text, 'tfjs_cnn.ts');
  assert.deepEqual(after.notices, []);
  assert.deepEqual(findInitializerProblems(after), []);
  const relu = after.models[0].layers.filter((l) => l.activation === 'relu');
  assert.deepEqual(relu.map((l) => `${l.weights[0].initializer}/${l.weights[0].initializerSource}`), Array(3).fill('heNormal/explicit'));
});

test("PyTorch module with three Linear+ReLU: a kaiming_normal_ line per layer at the end of __init__, read back as explicit", async () => {
  let text = [
    'import torch.nn as nn',
    '',
    '',
    'class Deep(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.fc1 = nn.Linear(784, 256)',
    '        self.act1 = nn.ReLU()',
    '        self.fc2 = nn.Linear(256, 256)',
    '        self.act2 = nn.ReLU()',
    '        self.fc3 = nn.Linear(256, 256)',
    '        self.act3 = nn.ReLU()',
    '        self.out = nn.Linear(256, 10)',
    '',
    '    def forward(self, x):',
    '        return self.out(self.act3(self.fc3(self.act2(self.fc2(self.act1(self.fc1(x)))))))',
    '',
  ].join('\n');
  const report = await analyzeText(text, 'deep.py');
  const findings = findInitializerProblems(report);
  assert.deepEqual(findings.map((f) => f.code), Array(3).fill('pytorch-default-on-deep-relu'));
  for (const name of ['fc1', 'fc2', 'fc3']) {
    const current = await analyzeText(text, 'deep.py');
    const finding = findInitializerProblems(current).find((f) => current.models[0].layers[f.layerIndex].name === name);
    assert.ok(finding, name);
    text = applyEdits(text, quickFixFor(finding, current, text)!.edits);
  }
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(12, 16), [
    '        self.out = nn.Linear(256, 10)',
    "        nn.init.kaiming_normal_(self.fc1.weight, nonlinearity='relu')",
    "        nn.init.kaiming_normal_(self.fc2.weight, nonlinearity='relu')",
    "        nn.init.kaiming_normal_(self.fc3.weight, nonlinearity='relu')",
  ]);
  const after = await analyzeText(text, 'deep.py');
  assert.deepEqual(findInitializerProblems(after), []);
  const fc1 = after.models[0].layers.find((l) => l.name === 'fc1')!;
  assert.equal(fc1.weights[0].initializerSource, 'explicit');
  assert.match(fc1.weights[0].initializer, /^kaiming_normal_/);
});

test('the other examples: findings only where the rules say, and every finding has a fix or a reason not to', async () => {
  const quiet = ['pytorch_mlp_module.py', 'pytorch_mlp_sequential.py', 'keras_lstm_text.py', 'tfjs_mlp.ts', 'pytorch_init_weights.py'];
  for (const name of quiet) {
    const report = await analyzeText(example(name), name);
    assert.deepEqual(findInitializerProblems(report).map((f) => f.code), [], name);
  }
  const cnn = await analyzeText(example('keras_cnn.py'), 'keras_cnn.py');
  const findings = findInitializerProblems(cnn);
  assert.deepEqual(findings.map((f) => f.code), Array(3).fill('xavier-on-deep-relu'));
  for (const f of findings) assert.match(quickFixFor(f, cnn, example('keras_cnn.py'))!.edits[0].newText, /^, kernel_initializer="he_normal"$/);
});
