/**
 * PyTorch oracle: Debian's torch (/usr/bin/python3) instantiates every PyTorch model of the examples and the
 * fixtures; for every named parameter the engine must give the same shape and the same fans as
 * torch.nn.init._calculate_fan_in_and_fan_out, the same parameter counts as sum(p.numel()), and an initializer
 * whose bound / σ / constant agrees with the values PyTorch actually drew. The output-length formulas are
 * checked against the real ops. Expected numbers all come from PyTorch at test time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';
import type { FileReport, WeightReport } from '../../src/analysis/types';
import { torchConvLength, torchConvTransposeLength } from '../../src/analysis/shapes';

const PYTHON = '/usr/bin/python3';
const HELPER = join(__dirname, 'torch_fans.py');
const ROOT = join(__dirname, '..', '..');

interface TorchParam {
  name: string;
  shape: number[];
  numel: number;
  fanIn: number | null;
  fanOut: number | null;
  draws: number;
  mean: number;
  std: number;
  maxAbs: number;
}
interface TorchModel {
  params: TorchParam[];
  total: number;
}

function python(args: string[], input?: string): string {
  const run = spawnSync(PYTHON, [HELPER, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  assert.equal(run.error, undefined, `could not run ${PYTHON}: ${run.error?.message}`);
  assert.equal(run.status, 0, `torch helper failed:\n${run.stderr}`);
  return run.stdout;
}

function torchAvailable(): string | undefined {
  const run = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  if (run.error) return `${PYTHON} cannot run: ${run.error.message}`;
  return run.status === 0 ? undefined : `${PYTHON} has no torch (apt-get install python3-torch): ${run.stderr.trim().split('\n').pop()}`;
}

function pythonFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.py')).map((f) => join(dir, f));
}

/** Every .py with a PyTorch model: the examples and the fixtures. */
const FILES = [...pythonFiles('examples'), ...pythonFiles('test/fixtures/models')];

/** Relative tolerance on a sampled std: 6 standard errors (normal kurtosis, an upper bound for uniforms) + 0.5 %. */
function stdTolerance(draws: number): number {
  return 6 * Math.sqrt(2 / (4 * draws)) + 0.005;
}

function assertDrawsMatch(where: string, weight: WeightReport, drawn: TorchParam): void {
  const use = weight.inUse;
  if (use.distribution === 'constant') {
    assert.ok(Math.abs(drawn.std) < 1e-7, `${where}: ${weight.initializer} should be constant, PyTorch drew std ${drawn.std}`);
    assert.ok(Math.abs(drawn.mean - (use.value ?? NaN)) < 1e-6, `${where}: constant ${use.value}, PyTorch ${drawn.mean}`);
    return;
  }
  if (use.actualStd != null) {
    const relative = Math.abs(drawn.std - use.actualStd) / use.actualStd;
    assert.ok(relative < stdTolerance(drawn.draws),
      `${where}: ${weight.initializer}: engine std ${use.actualStd}, PyTorch drew std ${drawn.std} over ${drawn.draws} draws`);
  }
  if (use.distribution === 'uniform' && use.limit != null) {
    assert.ok(drawn.maxAbs <= use.limit * (1 + 1e-6), `${where}: PyTorch drew |w| = ${drawn.maxAbs} beyond the engine's bound ${use.limit}`);
    assert.ok(drawn.maxAbs >= use.limit * (1 - 10 / drawn.draws), `${where}: PyTorch's largest |w| ${drawn.maxAbs} is well inside the engine's bound ${use.limit}`);
  }
}

test('PyTorch oracle: fans, shapes, parameter counts and initial values of every PyTorch model', async (t) => {
  const missing = torchAvailable();
  // Never a silent skip: without torch this oracle fails, in CI and locally alike.
  assert.equal(missing, undefined, missing);

  const reports = new Map<string, FileReport>();
  for (const file of FILES) {
    const report = await analyzeText(readFileSync(join(ROOT, file), 'utf8'), file);
    if (report.models.some((m) => m.framework === 'pytorch')) reports.set(file, report);
  }
  assert.ok(reports.size >= 3, `expected PyTorch models in examples/ and test/fixtures/models/, found ${[...reports.keys()]}`);
  const specs = [...reports].map(([file, r]) => `${join(ROOT, file)}=${r.models.filter((m) => m.framework === 'pytorch').map((m) => m.name).join(',')}`);
  const oracle = JSON.parse(python(['models', ...specs])) as { files: Record<string, Record<string, TorchModel>> };

  for (const [file, report] of reports) {
    for (const model of report.models.filter((m) => m.framework === 'pytorch')) {
      await t.test(`${file}: ${model.name}`, () => {
        const torchModel = oracle.files[join(ROOT, file)][model.name];
        const engineParams = model.layers.flatMap((layer) => layer.weights.map((w) => ({ fullName: `${layer.name}.${w.name}`, weight: w })));
        assert.deepEqual(engineParams.map((p) => p.fullName), torchModel.params.map((p) => p.name), 'parameter names in PyTorch order');
        for (const [i, drawn] of torchModel.params.entries()) {
          const { weight } = engineParams[i];
          const where = `${model.name}.${drawn.name}`;
          assert.deepEqual(weight.shape, drawn.shape, `${where}: shape`);
          assert.equal(weight.fanIn, drawn.fanIn, `${where}: fan_in`);
          assert.equal(weight.fanOut, drawn.fanOut, `${where}: fan_out`);
          assertDrawsMatch(where, weight, drawn);
        }
        assert.equal(model.totalParams, torchModel.total, 'total parameters = sum(p.numel())');
        assert.equal(model.layers.reduce((sum, l) => sum + (l.params ?? NaN), 0), torchModel.total, 'per-layer counts add up');
      });
    }
  }
});

test('PyTorch oracle: conv / pool / transposed-conv output lengths equal the real ops', () => {
  const missing = torchAvailable();
  assert.equal(missing, undefined, missing);
  type Case = { op: 'conv' | 'max_pool' | 'avg_pool' | 'conv_transpose'; n: number; k: number; s: number; p: number; d: number; op_pad: number; ceil: boolean };
  const cases: Case[] = [];
  for (const n of [1, 2, 5, 7, 8, 13, 28]) {
    for (const k of [1, 2, 3, 5]) {
      for (const s of [1, 2, 3]) {
        for (const d of [1, 2]) {
          for (const p of [0, 1, 2]) {
            cases.push({ op: 'conv', n, k, s, p, d, op_pad: 0, ceil: false });
            for (const opPad of [0, 1]) if (opPad < Math.max(s, d)) cases.push({ op: 'conv_transpose', n, k, s, p, d, op_pad: opPad, ceil: false });
            if (2 * p <= k) {
              for (const ceil of [false, true]) {
                cases.push({ op: 'max_pool', n, k, s, p, d, op_pad: 0, ceil });
                if (d === 1) cases.push({ op: 'avg_pool', n, k, s, p, d, op_pad: 0, ceil });
              }
            }
          }
        }
      }
    }
  }
  const lengths = JSON.parse(python(['lengths'], JSON.stringify(cases))) as (number | null)[];
  let compared = 0;
  for (const [i, c] of cases.entries()) {
    const engine = c.op === 'conv_transpose'
      ? torchConvTransposeLength(c.n, c.k, c.s, c.p, c.d, c.op_pad)
      : torchConvLength(c.n, c.k, c.s, c.p, c.d, c.op !== 'conv' && c.ceil);
    const expected = lengths[i];
    if (expected === null) {
      assert.ok(typeof engine === 'number' && engine < 1, `${JSON.stringify(c)}: PyTorch refuses it, engine says ${engine}`);
      continue;
    }
    compared++;
    assert.equal(engine, expected, `${JSON.stringify(c)}`);
  }
  assert.ok(compared > 500, `compared ${compared} cases`);
});
