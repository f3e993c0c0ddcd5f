/**
 * PyTorch oracle over a notebook (issue 16): Debian's torch runs the fixture's code cells in order, one namespace
 * (test/oracle/torch_notebook.py); the model in a later cell is sized by constants of an earlier cell and set up by
 * an init function of another. For every named parameter the engine's notebook reading must give PyTorch's shape,
 * fans and parameter count, and an initializer whose bound / σ / constant agrees with what PyTorch drew.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNotebook } from '../../src/analysis/notebook';
import type { WeightReport } from '../../src/analysis/types';

const PYTHON = '/usr/bin/python3';
const RUNNER = join(__dirname, 'torch_notebook.py');
const NOTEBOOK = join(__dirname, '..', 'fixtures', 'notebooks', 'pytorch_mlp_cells.ipynb');

interface TorchParam { name: string; shape: number[]; fanIn: number | null; fanOut: number | null; draws: number; mean: number; std: number; maxAbs: number }

/** Relative tolerance on a sampled std: 6 standard errors (normal kurtosis, an upper bound for uniforms) + 0.5 %. */
const stdTolerance = (draws: number) => 6 * Math.sqrt(2 / (4 * draws)) + 0.005;

function assertDraws(where: string, weight: WeightReport, drawn: TorchParam): void {
  const use = weight.inUse;
  if (use.distribution === 'constant') {
    assert.ok(Math.abs(drawn.std) < 1e-7 && Math.abs(drawn.mean - (use.value ?? NaN)) < 1e-6, `${where}: engine says constant ${use.value}, PyTorch drew mean ${drawn.mean} std ${drawn.std}`);
    return;
  }
  assert.ok(use.actualStd != null, `${where}: the engine gives no std for ${weight.initializer}`);
  assert.ok(Math.abs(drawn.std - use.actualStd) / use.actualStd < stdTolerance(drawn.draws), `${where}: engine std ${use.actualStd}, PyTorch drew ${drawn.std}`);
  if (use.distribution === 'uniform' && use.limit != null) {
    assert.ok(drawn.maxAbs <= use.limit * (1 + 1e-6), `${where}: PyTorch drew ${drawn.maxAbs} beyond the engine's bound ${use.limit}`);
    assert.ok(drawn.maxAbs >= use.limit * (1 - 10 / drawn.draws), `${where}: PyTorch's largest |w| ${drawn.maxAbs} is well inside the engine's bound ${use.limit}`);
  }
}

test('PyTorch oracle: a notebook whose model, constants and init live in different cells', async (t) => {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 120_000 });
  // Never a silent skip: without torch this oracle fails.
  assert.equal(probe.status, 0, `${PYTHON} has no torch (apt-get install python3-torch): ${probe.stderr ?? probe.error?.message}`);

  const report = await analyzeNotebook(readFileSync(NOTEBOOK, 'utf8'), NOTEBOOK);
  const models = report.models.filter((m) => m.framework === 'pytorch');
  assert.deepEqual(models.map((m) => m.name), ['MLP', 'head'], report.notices.join('\n'));
  const run = spawnSync(PYTHON, [RUNNER, NOTEBOOK, models.map((m) => m.name).join(',')], { encoding: 'utf8', timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(run.status, 0, `the notebook runner failed:\n${run.stderr}`);
  const oracle = JSON.parse(run.stdout) as { models: Record<string, { params: TorchParam[]; total: number }> };

  for (const model of models) {
    await t.test(model.name, () => {
      const torchModel = oracle.models[model.name];
      const engine = model.layers.flatMap((layer) => layer.weights.map((weight) => ({ name: `${layer.name}.${weight.name}`, weight })));
      assert.deepEqual(engine.map((p) => p.name), torchModel.params.map((p) => p.name), 'parameter names in PyTorch order');
      for (const [i, drawn] of torchModel.params.entries()) {
        const { weight } = engine[i];
        const where = `${model.name}.${drawn.name}`;
        assert.deepEqual(weight.shape, drawn.shape, `${where}: shape`);
        assert.equal(weight.fanIn, drawn.fanIn, `${where}: fan_in`);
        assert.equal(weight.fanOut, drawn.fanOut, `${where}: fan_out`);
        assertDraws(where, weight, drawn);
      }
      assert.equal(model.totalParams, torchModel.total, 'total parameters = sum(p.numel())');
    });
  }
});
