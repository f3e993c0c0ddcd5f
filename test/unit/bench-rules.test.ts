// The benchmark's rules, on made-up numbers: a run's throughput is samples per epoch / the median of epochs 2..N
// (the first epoch left out), and a figure measured in rounds meets its target only when its worst round does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error plain ESM without types, shared with `npm run bench`
import { steadyRate, spread } from '../../bench/training.mjs';
// @ts-expect-error plain ESM without types, shared with `npm run bench`
import { judge, renderSummary } from '../../bench/report.mjs';

test('steady rate: samples / median of epochs 2..N; the first epoch never counts; too few epochs give no figure', () => {
  assert.equal(steadyRate(8000, [10, 2, 4, 3], 4).rate, 8000 / 3);
  assert.equal(steadyRate(8000, [0.1, 2, 4, 3], 4).rate, 8000 / 3, 'a fast first epoch is not taken either');
  assert.equal(steadyRate(8000, [5], 1).rate, null);
  assert.equal(steadyRate(8000, [5, 4], 3).rate, null, 'a missing epoch time');
  assert.equal(steadyRate(8000, undefined, 3).rate, null);
  assert.equal(steadyRate(8000, [1, 0, 1], 3).rate, null, 'a zero epoch time');
});

test('spread: min / median / max of the rounds that have a figure', () => {
  assert.deepEqual(spread([1.2, null, 0.9, 1.6]), { min: 0.9, median: 1.2, max: 1.6, n: 3 });
  assert.equal(spread([null, undefined]), null);
});

test('a target is met only when the worst round meets it; fewer than 3 rounds are not judged', () => {
  const ratio = (rounds: number[], value: number) => judge({ value, target: '≥ 1.5×', rounds });
  assert.equal(ratio([1.6, 1.7, 1.8], 1.7).met, true);
  assert.equal(ratio([1.4, 1.7, 1.8], 1.7).met, false, 'median 1.7 clears 1.5×, the worst round 1.4 does not');
  assert.equal(ratio([1.6, 1.7], 1.65).met, undefined);
  assert.match(ratio([1.6, 1.7], 1.65).text, /not judged/);
  const time = (rounds: number[], value: number) => judge({ value, target: '≤ 2 s', rounds });
  assert.equal(time([1.5, 1.9, 2.4], 1.9).met, false, 'for a "≤" target the worst round is the slowest');
  assert.equal(time([1.5, 1.9, 1.95], 1.9).met, true);
  assert.equal(judge({ value: 1.33, target: '≤ 30 ms' }).met, true, 'a figure without rounds is judged on its value');
});

test('the README summary lists only figures with a target, judged by the same rule, and flags a reduced run', () => {
  const results = {
    command: 'npm run bench -- --quick', quick: true, finishedAt: '2026-12-03T00:00:00Z', machine: { cpu: 'X', cores: 2 },
    figures: [
      { section: 'Training', figure: 'ours / PyTorch', value: 1.7, unit: '×', target: '≥ 1.5×', rounds: [1.4, 1.7, 1.8], peer: '', note: '' },
      { section: 'Training', figure: 'ours samples/s', value: 9000, unit: 'samples/s', target: '', rounds: [1, 2, 3], peer: '', note: '' },
    ],
  };
  const summary: string = renderSummary(results);
  assert.match(summary, /ours \/ PyTorch .*≥ 1\.5× ✗/);
  assert.doesNotMatch(summary, /ours samples\/s/);
  assert.match(summary, /Reduced run/);
  assert.doesNotMatch(renderSummary({ ...results, command: 'npm run bench -- --write-readme', quick: false }), /Reduced run/);
});
