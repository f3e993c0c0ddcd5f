// The findings merge (one finding per spot in the source) is linear now; these tests hold it to the output of
// the quadratic merge it replaced, kept below verbatim, on every example and fixture read by the real engine,
// on the generated 1,000-layer Keras file the benchmarks use, and on a large generated report with many
// loop-made groups interleaved (same range with other codes, same range in other models: not merged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';
import { collectFindings, findInitializerProblems, type Finding, type RawFinding } from '../../src/analysis/findings';
import type { FileReport, LayerReport, Range } from '../../src/analysis/types';
import { kerasModelWithLayers } from '../../bench/inputs.mjs';
import { dense, file, model, randomNormal } from './editor-fixtures';

// ---- the merge as it was before (commit 89d8a1c), quadratic: each finding searched every merged group ----
function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;
}

function oldMergeSameSpot(report: FileReport, findings: RawFinding[]): Finding[] {
  const merged: { finding: RawFinding; layers: LayerReport[] }[] = [];
  for (const finding of findings) {
    const layer = report.models[finding.modelIndex].layers[finding.layerIndex];
    const same = merged.find((m) => m.finding.code === finding.code && m.finding.modelIndex === finding.modelIndex && sameRange(m.finding.range, finding.range));
    if (same) same.layers.push(layer);
    else merged.push({ finding, layers: [layer] });
  }
  return merged.map(({ finding, layers }) => {
    const first = layers[0];
    const subject =
      layers.length === 1
        ? first.name === first.type // the wording of a subject (issue 22: a name that repeats the class is said once)
          ? `\`${first.name}\``
          : `${first.type} \`${first.name}\``
        : `${layers.length} ${first.type} layers made here (\`${first.name}\` … \`${layers[layers.length - 1].name}\`)`;
    return { ...finding, message: `${subject}: ${finding.detail}`, layerCount: layers.length };
  });
}
// ---------------------------------------------------------------------------------------------------------

const oldFindings = (report: FileReport) => oldMergeSameSpot(report, collectFindings(report));

const root = join(import.meta.dirname, '..', '..');
const modelFiles = [join(root, 'examples'), join(root, 'test', 'fixtures', 'models')].flatMap((dir) =>
  readdirSync(dir)
    .filter((n) => ['.py', '.ts', '.js', '.json'].includes(extname(n)))
    .sort()
    .map((n) => join(dir, n)),
);

test('every example and fixture: the linear merge gives exactly the old findings', async () => {
  assert.ok(modelFiles.length >= 12, `examples and fixtures found: ${modelFiles.length}`);
  let total = 0;
  let merged = 0;
  for (const path of modelFiles) {
    const report = await analyzeText(readFileSync(path, 'utf8'), path.split('/').pop() ?? path);
    const now = findInitializerProblems(report);
    assert.deepEqual(now, oldFindings(report), path);
    total += now.length;
    merged += now.filter((f) => f.layerCount > 1).length;
  }
  // Not vacuous: the files raise findings, and at least one is a loop-made group (keras_deep_tanh_poor_init.py).
  assert.ok(total > 0, 'the examples raise findings');
  assert.ok(merged > 0, 'at least one merged finding among the examples');
});

test('the generated 1,000-layer Keras file (the benchmarks\' input): same findings as the old merge', async () => {
  const report = await analyzeText(kerasModelWithLayers(1000), 'keras_1000_layers.py');
  assert.ok(report.models[0].layers.length >= 1000);
  const now = findInitializerProblems(report);
  assert.ok(now.length >= 400, `findings: ${now.length}`);
  assert.deepEqual(now, oldFindings(report));
});

test('a large report of interleaved loop groups: merged as before, never across codes or models', () => {
  // 3 models × 2,000 layers. Layer i writes its initializer at one of 37 shared spots (a loop's single
  // `kernel_initializer=`) or at a spot of its own; tanh layers with σ 0.01 and ReLU layers with Xavier raise
  // different codes at the same spot, and every model reuses the same spots.
  const spot = (k: number): Range => ({ start: { line: 10 + k, column: 8 }, end: { line: 10 + k, column: 20 } });
  const models = [0, 1, 2].map((m) =>
    model(
      Array.from({ length: 2000 }, (_, i) => {
        const initializerRange = i % 5 === 0 ? spot(1000 + i) : spot((i * 7 + m) % 37);
        return i % 3 === 0
          ? dense(`relu_${m}_${i}`, 'relu', { initializer: 'glorot_uniform', initializerSource: 'explicit', initializerRange })
          : dense(`tanh_${m}_${i}`, 'tanh', { ...randomNormal(0.01), initializerRange });
      }),
    ),
  );
  const report = file(models);
  const now = findInitializerProblems(report);
  const before = oldFindings(report);
  assert.deepEqual(now, before);
  // The shape of the answer, so that a merge that merged nothing (or everything) could not pass by agreeing with itself.
  assert.equal(collectFindings(report).length, 6000);
  assert.equal(now.reduce((n, f) => n + f.layerCount, 0), 6000, 'every raw finding is in exactly one merged finding');
  const groups = now.filter((f) => f.layerCount > 1);
  assert.ok(groups.length > 100 && groups.length <= 3 * 2 * 37, `merged groups: ${groups.length}`);
  const keys = now.map((f) => `${f.modelIndex}|${f.code}|${JSON.stringify(f.range)}`);
  assert.equal(new Set(keys).size, keys.length, 'one finding per (model, code, spot)');
});
