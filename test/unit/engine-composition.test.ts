/**
 * PyTorch composition without torch: what the oracle (test/oracle/pytorch.test.ts) cannot build — a block called
 * with *args, a class that builds itself, an init argument that cannot be read — must stay unknown, never defaults.
 * (Expanded shapes, names and init values are checked against PyTorch itself in the oracle.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/analysis/index';

const HEADER = 'import torch\nfrom torch import nn\n\n';

async function weightsOf(source: string, model: string): Promise<Map<string, { shape: (number | null)[]; initializer: string; distribution: string; std: number | null | undefined }>> {
  const report = await analyzeText(HEADER + source, 'composition.py');
  const found = report.models.find((m) => m.name === model);
  assert.ok(found, `${model} among ${report.models.map((m) => m.name).join(', ')}`);
  return new Map(found.layers.flatMap((l) => l.weights.map((w) => [`${l.name}.${w.name}`, { shape: w.shape, initializer: w.initializer, distribution: w.inUse.distribution, std: w.inUse.std }] as const)));
}

const BLOCK = `class Block(nn.Module):
    def __init__(self, width, out=8):
        super().__init__()
        self.fc = nn.Linear(width, out)
`;

test('arguments bound by position and keyword; a left-out parameter keeps its default', async () => {
  const weights = await weightsOf(`${BLOCK}
class Net(nn.Module):
    def __init__(self, hidden=5):
        super().__init__()
        self.a = Block(hidden * 2)
        self.b = Block(out=3, width=hidden)
`, 'Net');
  assert.deepEqual([...weights.keys()], ['a.fc.weight', 'a.fc.bias', 'b.fc.weight', 'b.fc.bias']);
  assert.deepEqual(weights.get('a.fc.weight')?.shape, [8, 10]);
  assert.deepEqual(weights.get('b.fc.weight')?.shape, [3, 5]);
});

test('a block called with *args / **kwargs: every parameter unknown, its default not taken', async () => {
  const weights = await weightsOf(`${BLOCK}
class Net(nn.Module):
    def __init__(self, *args):
        super().__init__()
        self.a = Block(*args)
`, 'Net');
  assert.deepEqual(weights.get('a.fc.weight')?.shape, [null, null], 'out=8 would be a guess: the *args may hold it');
});

test('a class that builds itself is not expanded (Python would recurse forever), and nothing hangs', async () => {
  const weights = await weightsOf(`class Loop(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.again = Loop()
`, 'Loop');
  assert.deepEqual([...weights.keys()], ['fc.weight', 'fc.bias']);
});

test('a block\'s own init call reaches its layers only; an init argument that cannot be read is unknown', async () => {
  const weights = await weightsOf(`class Head(nn.Module):
    def __init__(self, width, std):
        super().__init__()
        self.fc = nn.Linear(width, 2)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=std)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.known = Head(4, 0.5)
        self.unknown = Head(4, compute_std())
`, 'Net');
  assert.equal(weights.get('fc.weight')?.initializer, 'kaiming_uniform_(a=sqrt(5))', 'the parent\'s own Linear keeps its default');
  assert.equal(weights.get('known.fc.weight')?.std, 0.5);
  assert.equal(weights.get('unknown.fc.weight')?.distribution, 'other', 'std=compute_std() is not std=1');
});
