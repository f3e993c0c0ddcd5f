// The webview's chart-data helpers: aligned columns for uPlot, the bias-corrected EMA, and readout formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlignedSeries, Smoother } from '../../webview/ui/series';
import { formatDuration, formatMagnitude, formatPercent } from '../../webview/ui/format';

test('AlignedSeries shares x values across series and keeps x sorted', () => {
  const s = new AlignedSeries(['a', 'b'] as const);
  s.add('a', 1, 10);
  s.add('b', 1, 20);
  s.add('a', 2, 11);
  s.add('b', 3, 23);
  s.add('b', 2, 22);
  // A late point before the others is inserted in order and the other columns keep their alignment.
  s.add('a', 0.5, 9);
  assert.deepEqual(s.data(), [
    [0.5, 1, 2, 3],
    [9, 10, 11, null],
    [null, 20, 22, 23],
  ]);
  s.add('a', 3, 13);
  s.add('a', 2.5, 12);
  assert.deepEqual(s.data()[0], [0.5, 1, 2, 2.5, 3]);
  assert.deepEqual(s.data()[1], [9, 10, 11, 12, 13]);
  assert.deepEqual(s.data()[2], [null, 20, 22, null, 23]);
});

test('Smoother starts at the first value and follows a step with the set weight', () => {
  const s = new Smoother(0.6);
  assert.equal(s.next(2), 2);
  // Constant input stays constant thanks to the bias correction.
  assert.ok(Math.abs(s.next(2)! - 2) < 1e-12);
  const after = s.next(1)!;
  // Raw sums 0.8, 1.28, 1.168; corrected 1.168 / (1 − 0.6³) = 1.48980 (worked by hand).
  assert.ok(Math.abs(after - 1.4898) < 1e-4, String(after));
  assert.equal(s.next(NaN), null);
  assert.ok(Math.abs(s.next(1)! - after) < 0.5, 'a NaN does not reset or poison the average');
});

test('readout formats', () => {
  assert.equal(formatDuration(0.2), '< 1 s');
  assert.equal(formatDuration(59.4), '59 s');
  assert.equal(formatDuration(125), '2 min 05 s');
  assert.equal(formatDuration(3 * 3600 + 61), '3 h 01 min');
  assert.equal(formatDuration(NaN), '—');
  assert.equal(formatPercent(0.93512), '93.51%');
  assert.equal(formatMagnitude(3.2e-7), '3.20e-7');
  assert.equal(formatMagnitude(0.0456), '0.0456');
  assert.equal(formatMagnitude(0), '0');
});
