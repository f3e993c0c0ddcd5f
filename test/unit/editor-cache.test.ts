import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../src/analysis/types';
import { AnalysisCache, type AnalysisEngine, type DocumentSnapshot } from '../../src/editor/analysisCache';

/** An engine that records its calls and answers when told to (to test concurrent asks). */
function recordingEngine() {
  const calls: string[] = [];
  let loads = 0;
  const pending: (() => void)[] = [];
  const engine: AnalysisEngine = {
    analyzeText: (text, fileName) =>
      new Promise<FileReport>((resolve) => {
        calls.push(text);
        pending.push(() => resolve({ file: fileName, models: [], notices: [`analysed ${text.length} chars`] }));
      }),
  };
  return {
    calls,
    get loads() {
      return loads;
    },
    release: () => pending.splice(0).forEach((r) => r()),
    load: async () => {
      loads++;
      return engine;
    },
  };
}

const doc = (text: string, version = 1, uri = 'file:///w/model.py'): DocumentSnapshot => ({ uri, version, fileName: 'model.py', getText: () => text });

test('asks for the same version share one analysis; the engine loads once, lazily', async () => {
  const engine = recordingEngine();
  const errors: string[] = [];
  const cache = new AnalysisCache({ loadEngine: engine.load, maxFileSizeKB: () => 512, logError: (m) => errors.push(m) });
  assert.equal(engine.loads, 0, 'nothing loads before the first ask');
  const first = cache.analyze(doc('x = 1'));
  const second = cache.analyze(doc('x = 1'));
  assert.equal(first, second, 'the same promise');
  await new Promise((r) => setImmediate(r));
  engine.release();
  await first;
  assert.equal(await cache.analyze(doc('x = 1')), await first, 'a later ask is a cache hit');
  assert.deepEqual(engine.calls, ['x = 1']);
  assert.equal(engine.loads, 1);
  assert.equal(cache.analysesRun, 1);
  assert.deepEqual(errors, []);
});

test('a new version replaces the entry; closing evicts it', async () => {
  const engine = recordingEngine();
  const cache = new AnalysisCache({ loadEngine: engine.load, maxFileSizeKB: () => 512, logError: () => {} });
  const v1 = cache.analyze(doc('a', 1));
  const v2 = cache.analyze(doc('ab', 2));
  assert.notEqual(v1, v2);
  await new Promise((r) => setImmediate(r));
  engine.release();
  assert.deepEqual((await v2).notices, ['analysed 2 chars']);
  assert.equal(cache.size, 1, 'one entry per document');
  assert.equal(cache.peek(doc('a', 1)), undefined, 'the old version is gone');
  cache.evict('file:///w/model.py');
  assert.equal(cache.size, 0);
  const again = cache.analyze(doc('ab', 2));
  await new Promise((r) => setImmediate(r));
  engine.release();
  await again;
  // v1 was superseded before the engine had loaded, so it never reached the engine (issue 21).
  assert.deepEqual(engine.calls, ['ab', 'ab']);
});

test('a file over the size limit is skipped with a notice that names the setting; the engine is not asked', async () => {
  const engine = recordingEngine();
  const cache = new AnalysisCache({ loadEngine: engine.load, maxFileSizeKB: () => 1, logError: () => {} });
  const report = await cache.analyze(doc('x'.repeat(3000)));
  assert.equal(report.models.length, 0);
  assert.match(report.notices[0], /3 KB, over the 1 KB limit \(setting xavierLens\.analysis\.maxFileSizeKB\)/);
  assert.equal(engine.loads, 0);
});

test('an engine that throws (or fails to load) becomes a notice and a log line, and a later ask retries the load', async () => {
  const errors: string[] = [];
  let attempts = 0;
  const cache = new AnalysisCache({
    loadEngine: async () => {
      attempts++;
      if (attempts === 1) throw new Error('grammar missing');
      return { analyzeText: async () => { throw new Error('boom'); } };
    },
    maxFileSizeKB: () => 512,
    logError: (m) => errors.push(m),
  });
  const first = await cache.analyze(doc('x', 1));
  assert.match(first.notices[0], /Analysis failed: grammar missing/);
  const second = await cache.analyze(doc('x', 2));
  assert.match(second.notices[0], /Analysis failed: boom/);
  assert.equal(attempts, 2);
  assert.equal(errors.length, 2);
  assert.match(errors[1], /version 2/);
});
