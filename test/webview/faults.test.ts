// Training faults in headless Chromium (the panel's own training code through the headless runner): repeated
// start/stop leaves no tensor behind, and impossible batch sizes end in a clear run-error with the runner still
// usable afterwards. Needs `npm run build` and Chromium (/usr/bin/chromium or CHROME_PATH).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { assertEventsPassGuards } from '../support/guarded-events';
import { openHeadlessSession, type HeadlessSession } from '../../src/cli/headless-runner';
import { SEED_MODEL } from '../../src/training-spec';
import type { ModelSpec, TrainingConfig, TrainingEvent } from '../../src/protocol';
import type { ComparisonOptions } from '../../webview/training/index';

const root = resolve(import.meta.dirname, '../..');

let session: HeadlessSession;
let events: TrainingEvent[] = [];
/** Every event the session delivered in this file (`events` is reset per run); checked by the last test. */
const delivered: TrainingEvent[] = [];

before(async () => {
  session = await openHeadlessSession({ root, onEvent: (e) => (events.push(e), delivered.push(e)) });
});

after(async () => {
  await session?.close();
});

function config(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  return {
    model: SEED_MODEL, initializers: ['xavier_uniform', 'he_normal'], activation: 'model', optimizer: 'adam', learningRate: 0.001,
    batchSize: 32, epochs: 50, seed: 1, backend: 'wasm', ...overrides,
  };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('20 start/stop cycles: the tensor count returns to its baseline after every one', async (t) => {
  const baseline = await session.numTensors();
  const counts: number[] = [];
  for (let cycle = 0; cycle < 20; cycle++) {
    events = [];
    // Small chunks so that a few batches have run (and been reported) when Stop comes.
    const running = session.run(config(), { trainLimit: 1024, probeSize: 32, chunkSamples: 64 });
    await waitFor(() => events.filter((e) => e.type === 'progress').length >= 3, `progress in cycle ${cycle}`);
    await session.stop();
    const { result, tensorsBefore, tensorsAfter } = await running;
    assert.equal(result.stopped, true, `cycle ${cycle} was not stopped`);
    assert.ok(result.results.every((r) => r.samplesPerSec > 0), `cycle ${cycle}: no batch had run`);
    assert.equal(tensorsAfter, tensorsBefore, `cycle ${cycle}: ${tensorsAfter - tensorsBefore} tensors left by the run`);
    const now = await session.numTensors();
    assert.equal(now, baseline, `cycle ${cycle}: ${now} tensors, baseline ${baseline}`);
    counts.push(now);
  }
  t.diagnostic(`baseline ${baseline}; after each cycle: ${[...new Set(counts)].join(', ')}`);
  assert.equal(await session.numTensors(), baseline);
});

/** One conv layer of 256 filters on full 28×28 maps: a batch of the whole training set needs ≈6 GiB for it alone. */
const WIDE_CNN: ModelSpec = {
  id: 'custom',
  label: 'Conv2D(256, 3×3, same) → Dense(10)',
  layers: [
    { type: 'conv2d', filters: 256, kernelSize: 3, padding: 'same', activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

/** Runs `cfg`, expecting it to fail: returns the run-error event's message and the page's error text. */
async function expectRunError(cfg: TrainingConfig, options: ComparisonOptions): Promise<{ message: string; thrown: string }> {
  events = [];
  const thrown = await session.run(cfg, options).then(
    () => assert.fail('the run should have failed'),
    (err: unknown) => String(err),
  );
  const errors = events.filter((e) => e.type === 'run-error');
  assert.equal(errors.length, 1, `run-error events: ${errors.length}`);
  assert.ok(!events.some((e) => e.type === 'run-finished'));
  return { message: errors[0].type === 'run-error' ? errors[0].message : '', thrown };
}

/** A normal small run after a failure: it must train and leave no tensor behind. */
async function assertStillUsable(baseline: number): Promise<void> {
  events = [];
  const { result, tensorsBefore, tensorsAfter } = await session.run(config({ epochs: 1, initializers: ['xavier_uniform'] }), { trainLimit: 512, probeSize: 0 });
  assert.equal(result.stopped, false);
  assert.equal(result.backend.backend, 'wasm');
  assert.ok(result.results[0].finalValAccuracy > 0.5, `accuracy after the failure ${result.results[0].finalValAccuracy}`);
  assert.equal(tensorsAfter, tensorsBefore);
  assert.equal(await session.numTensors(), baseline);
}

test('a batch size larger than the training set (10^7) is refused up front with what to change; the next run trains', async () => {
  const baseline = await session.numTensors();
  const { message, thrown } = await expectRunError(config({ batchSize: 1e7, epochs: 1 }), {});
  assert.match(message, /batch size 10000000 is larger than the training set \(8000 samples\): pick a batch size of at most 8000/);
  assert.match(thrown, /batch size 10000000/);
  assert.equal(await session.numTensors(), baseline);
  await assertStillUsable(baseline);
});

test('a batch whose step would not fit in memory is refused up front, naming the largest batch size that fits', async () => {
  const baseline = await session.numTensors();
  const { message } = await expectRunError(config({ model: WIDE_CNN, batchSize: 8000, epochs: 1 }), { probeSize: 0 });
  const largest = Number(/at most (\d+)/.exec(message)?.[1]);
  assert.match(message, /batch size 8000 needs about [\d.]+ GiB per training step .* more than the 1\.0 GiB/);
  assert.ok(largest >= 1 && largest < 8000, `suggested batch size ${largest}`);
  assert.equal(await session.numTensors(), baseline);
  await assertStillUsable(baseline);
});

test('an allocation failure during the run (WASM heap exhausted) becomes a run-error; the backend is renewed and the next run trains', async (t) => {
  const baseline = await session.numTensors();
  // Lift the up-front check so the real allocator fails: 8000 × 28 × 28 × 256 floats is beyond WASM32's 4 GiB.
  const { message } = await expectRunError(config({ model: WIDE_CNN, batchSize: 8000, epochs: 1, initializers: ['xavier_uniform'] }), { probeSize: 0, stepMemoryBudget: Infinity });
  t.diagnostic(message);
  assert.match(message, /ran out of memory with batch size 8000 on the wasm backend .*: pick a smaller batch size \(e\.g\. 2000\)/);
  assert.equal(await session.numTensors(), baseline);
  await assertStillUsable(baseline);
});

test('protocol guards over the real events: every event the runs above delivered passes isTrainingEvent', (t) => {
  t.diagnostic(assertEventsPassGuards(delivered, ['run-started', 'progress', 'run-error']));
});
