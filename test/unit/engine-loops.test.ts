/**
 * PyTorch modules built indirectly (src/analysis/parse/pythonInterpret.ts) in the cases the oracle cannot build:
 * a loop that would run for ever stops on the step budget with a notice; a loop or condition over something unknown
 * leaves its modules out with the reason, never a default. (Names, shapes and values of the cases PyTorch can build
 * are checked against PyTorch in test/oracle/pytorch.test.ts with test/fixtures/models/pytorch_loops.py.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/analysis/index';
import { STEP_BUDGET } from '../../src/analysis/parse/pythonInterpret';

const HEADER = 'import torch\nfrom torch import nn\n\n';

async function analyse(source: string, model: string): Promise<{ weights: Map<string, (number | null)[]>; notices: string[] }> {
  const report = await analyzeText(HEADER + source, 'loops.py');
  const found = report.models.find((m) => m.name === model);
  assert.ok(found, `${model} among ${report.models.map((m) => m.name).join(', ')}`);
  return { weights: new Map(found.layers.flatMap((l) => l.weights.map((w) => [`${l.name}.${w.name}`, w.shape] as const))), notices: report.notices };
}

test('a loop over range(10**9) stops on the step budget with a notice; the statements around it are still read', async () => {
  const started = performance.now();
  const { weights, notices } = await analyse(`class Huge(nn.Module):
    def __init__(self, n=10**9):
        super().__init__()
        layers = []
        for i in range(n):
            layers.append(nn.Linear(4, 4))
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(4, 2)
`, 'Huge');
  assert.ok(performance.now() - started < 5000, 'bounded');
  assert.deepEqual([...weights.keys()], ['out.weight', 'out.bias']);
  assert.ok(notices.some((n) => n.includes('Huge') && n.includes(`stopped after ${STEP_BUDGET} steps`)), notices.join('\n'));
});

test('a loop over an unknown list: its modules left out with the reason, not built from a default', async () => {
  const { weights, notices } = await analyse(`class Plan(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        layers = []
        c = 3
        for v in cfg:
            layers += [nn.Conv2d(c, v, 3)]
            c = v
        self.features = nn.Sequential(*layers)
        self.out = nn.Linear(4, 1)
`, 'Plan');
  assert.deepEqual([...weights.keys()], ['out.weight', 'out.bias']);
  assert.ok(notices.some((n) => n.includes('Plan') && n.includes('`cfg`')), notices.join('\n'));
});

test('a condition that cannot be decided stops the interpretation with the condition named', async () => {
  const { weights, notices } = await analyse(`class Gate(nn.Module):
    def __init__(self, wide):
        super().__init__()
        parts = []
        for i in range(2):
            if wide:
                parts.append(nn.Linear(8, 8))
        self.body = nn.Sequential(*parts)
        self.out = nn.Linear(8, 1)
`, 'Gate');
  assert.deepEqual([...weights.keys()], ['out.weight', 'out.bias']);
  assert.ok(notices.some((n) => n.includes('`wide`')), notices.join('\n'));
});

test('a loop sized by the caller: a block expanded with its call-site argument runs that many iterations', async () => {
  const { weights } = await analyse(`class Tower(nn.Module):
    def __init__(self, depth, width=6):
        super().__init__()
        blocks = nn.ModuleList()
        layers = []
        for i in range(depth):
            layers.append(nn.Linear(width + i, width + i + 1))
        self.blocks = nn.ModuleList(layers)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.t = Tower(2, width=3)
`, 'Net');
  assert.deepEqual([...weights.entries()], [
    ['t.blocks.0.weight', [4, 3]], ['t.blocks.0.bias', [4]],
    ['t.blocks.1.weight', [5, 4]], ['t.blocks.1.bias', [5]],
  ]);
});

test('a layer a helper appends is not also reported loose, and the helper\'s container makes no model of its own', async () => {
  const report = await analyzeText(`${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = self._head(5)

    def _head(self, n):
        layers = [nn.Linear(n, n)]
        layers.append(nn.Linear(n, 2))
        return nn.Sequential(*layers)
`, 'loops.py');
  assert.deepEqual(report.models.map((m) => m.name), ['Net']);
  assert.deepEqual(report.models[0].layers.flatMap((l) => l.weights.map((w) => `${l.name}.${w.name} ${JSON.stringify(w.shape)}`)), [
    'head.0.weight [5,5]', 'head.0.bias [5]', 'head.1.weight [2,5]', 'head.1.bias [2]',
  ]);
});

test('a loop or condition that cannot be evaluated but changes nothing tracked (init over self.modules()) is passed over', async () => {
  const { weights, notices } = await analyse(`class Net(nn.Module):
    def __init__(self, zero_init):
        super().__init__()
        layers = []
        for w in (4, 8):
            layers.append(nn.Linear(w, w))
        self.a = nn.Sequential(*layers)
        if zero_init:
            for m in self.modules():
                if isinstance(m, nn.Linear):
                    nn.init.zeros_(m.bias)
        self.b = nn.Sequential(*layers, nn.Linear(8, 2))
`, 'Net');
  assert.deepEqual([...weights.entries()].filter(([k]) => k.endsWith('weight')), [
    ['a.0.weight', [4, 4]], ['a.1.weight', [8, 8]], ['b.0.weight', [4, 4]], ['b.1.weight', [8, 8]], ['b.2.weight', [2, 8]],
  ]);
  assert.deepEqual(notices, []);
});

test('add_module in a loop: a name the reader cannot build (a format spec) leaves the modules out with the reason', async () => {
  const { weights, notices } = await analyse(`class Named(nn.Module):
    def __init__(self, n=2):
        super().__init__()
        for i in range(n):
            self.add_module(f"fc{i:02d}", nn.Linear(4, 4))
        self.out = nn.Linear(4, 1)
`, 'Named');
  assert.deepEqual([...weights.keys()], ['out.weight', 'out.bias']);
  assert.ok(notices.some((n) => n.includes('Named') && n.includes('module name')), notices.join('\n'));
});
