import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../src/analysis/types';
import { AnalysisCache, type AnalysisEngine, type DocumentSnapshot } from '../../src/editor/analysisCache';
import { ZERO_RANGE, dense, file, model } from './editor-fixtures';
import { countingFindingsCache } from '../support/countingCache';

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

// ---- findings: computed once per document version, kept with the report, indexed by layer and by spot ----

/** An engine that answers a fixed report per text (the text names it), and rules that count their calls. */
function findingsSetup(reports: Record<string, FileReport>) {
  return countingFindingsCache({ analyzeText: async (text) => reports[text] });
}

/** Three ReLU layers on Xavier (3 findings, one per layer) and a softmax output (none). */
const deepRelu = () => file([model([dense('a', 'relu'), dense('b', 'relu'), dense('c', 'relu'), dense('out', 'softmax')])]);

test('findings are computed once per document version, on the first ask, and every reader gets the same ones', async () => {
  const { cache, ruleCalls } = findingsSetup({ v1: deepRelu() });
  const first = await cache.analysis(doc('v1', 1));
  assert.equal(ruleCalls(), 0, 'the report alone (CodeLens, the report panel) computes no findings');
  const all = first.findings();
  assert.equal(all.length, 3);
  for (let i = 0; i < 50; i++) {
    const again = await cache.analysis(doc('v1', 1));
    assert.equal(again, first, 'the same cached analysis');
    assert.equal(again.findings(), all, 'the same findings array');
    again.findingsForLayer(0, i % 4);
    again.findingAt('xavier-on-deep-relu', all[i % 3].range);
  }
  assert.equal(ruleCalls(), 1, 'one computation for 50 asks of three kinds');
  assert.equal(cache.findingsRun, 1);
  assert.equal(cache.analysesRun, 1);
  assert.equal(await cache.analyze(doc('v1', 1)), first.report, 'analyze() answers the same report');
});

test('findings by layer and by spot are the very findings of the file, nothing lost or added', async () => {
  const { cache } = findingsSetup({ v1: deepRelu() });
  const analysis = await cache.analysis(doc('v1', 1));
  const all = analysis.findings();
  assert.deepEqual([0, 1, 2, 3].map((i) => analysis.findingsForLayer(0, i)), [[all[0]], [all[1]], [all[2]], []]);
  assert.deepEqual(analysis.findingsForLayer(1, 0), [], 'no such model');
  for (const f of all) assert.equal(analysis.findingAt(f.code, f.range), f);
  assert.equal(analysis.findingAt('he-on-saturating', all[0].range), undefined, 'another code at the same spot');
  const shifted = { ...all[0].range, end: { ...all[0].range.end, column: all[0].range.end.column + 1 } };
  assert.equal(analysis.findingAt(all[0].code, shifted), undefined, 'another range');
});

test('a new version replaces the old findings: computed again for it, the old entry gone', async () => {
  const shallow = file([model([dense('a', 'relu'), dense('out', 'softmax')])]);
  const { cache, ruleCalls } = findingsSetup({ deep: deepRelu(), shallow });
  const v1 = await cache.analysis(doc('deep', 1));
  assert.equal(v1.findings().length, 3);
  const v2 = await cache.analysis(doc('shallow', 2));
  assert.notEqual(v2, v1);
  assert.deepEqual(v2.findings(), [], 'the new text has no deep stack');
  assert.equal(ruleCalls(), 2);
  assert.equal(cache.size, 1);
  assert.equal(cache.peek(doc('deep', 1)), undefined, 'the old version is gone');
  // Back to the first text under a newer version: a new analysis and new findings, not the stale entry.
  const v3 = await cache.analysis(doc('deep', 3));
  assert.notEqual(v3, v1);
  assert.equal(v3.findings().length, 3);
  assert.equal(ruleCalls(), 3);
  assert.equal(cache.analysesRun, 3);
});

test('rules that throw are logged once; the version has no findings and the rules are not asked again', async () => {
  const errors: string[] = [];
  let calls = 0;
  const cache = new AnalysisCache({
    loadEngine: async () => ({ analyzeText: async () => deepRelu() }),
    maxFileSizeKB: () => 512,
    logError: (m) => errors.push(m),
    findProblems: () => {
      calls++;
      throw new Error('rule broke');
    },
  });
  const analysis = await cache.analysis(doc('x', 7));
  assert.deepEqual(analysis.findings(), []);
  assert.deepEqual(analysis.findingsForLayer(0, 0), []);
  assert.equal(analysis.findingAt('xavier-on-deep-relu', ZERO_RANGE), undefined);
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /findings for file:\/\/\/w\/model\.py \(version 7\) failed: Error: rule broke/);
});
