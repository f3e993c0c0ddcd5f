/**
 * Property-based fuzzing of the analysis engine (`analyzeText`) with fast-check, seeded so a failure replays:
 * mutations of every example and model fixture (tokens deleted/duplicated/swapped, cuts anywhere, random bytes,
 * layer arguments replaced by odd values, the wrong reader), random files, deep nesting, a 1 MB line.
 *
 * For every case: nothing escapes analyzeText, every number anywhere in the FileReport is finite or null, the
 * report is JSON (the CLI prints it), and the case takes at most 200 ms. Time is the process's CPU time for the
 * case: the 2 cores are shared with other work, so wall time measures the neighbours as much as the engine; a case
 * over the limit is re-run once and fails only if it is over again (a slow path is slow every time).
 *
 * Replay: XAVIER_FUZZ_SEED=<seed> node --import tsx --test test/unit/fuzz-engine.test.ts
 * (XAVIER_FUZZ_RUNS=<n> to change the count; CI uses the fixed seed and 10,000 cases).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText, MAX_BRACKET_DEPTH, MAX_LINE_LENGTH, type FileReport } from '../../src/analysis/index';
import { describeCase, fuzzCase, loadSeeds, NESTINGS, nonFiniteNumbers, oddValuesFor, replaceSlots, type FuzzCase, type Seed } from '../fuzz/mutations';

const SEED = Number(process.env.XAVIER_FUZZ_SEED ?? 0x5eed_2026);
const RUNS = Number(process.env.XAVIER_FUZZ_RUNS ?? 10_000);
const CASE_LIMIT_MS = 200;
/** Lines of seed text a mutated case starts from: sized so 10,000 cases fit in CI's two minutes (see the note). */
const MAX_WINDOW_LINES = 24;

interface Timing {
  cpuMs: number;
  wallMs: number;
}

async function timed(c: FuzzCase): Promise<{ report: FileReport; timing: Timing }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const report = await analyzeText(c.text, c.fileName);
  const used = process.cpuUsage(cpu);
  return { report, timing: { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall } };
}

/** The invariants of one case; throws (with the case described) when one breaks. */
function checkReport(c: FuzzCase, report: FileReport): void {
  assert.ok(report && Array.isArray(report.models) && Array.isArray(report.notices), `no FileReport for ${describeCase(c)}`);
  assert.ok(report.notices.every((n) => typeof n === 'string' && n.length > 0), `a notice is not a message: ${describeCase(c)}`);
  const bad = nonFiniteNumbers(report);
  assert.deepEqual(bad, [], `numbers that are not finite in the report of ${describeCase(c)}`);
  assert.doesNotThrow(() => JSON.stringify(report), `the report is not JSON: ${describeCase(c)}`);
}

/**
 * Inputs larger than the fuzz windows (a 1 MB model.json line) may take longer than CASE_LIMIT_MS, but no longer
 * than this per megabyte: tree-sitter and jsonc-parser alone read about 2 MB/s here.
 */
const MB_LINE_LIMIT_MS = 2_000;

class Stats {
  cases = 0;
  readonly overRate: string[] = [];
  maxCpuMs = 0;
  maxWallMs = 0;
  slowest = '';
  readonly overLimit: string[] = [];
  readonly started = performance.now();

  async run(c: FuzzCase): Promise<void> {
    let result: Awaited<ReturnType<typeof timed>>;
    try {
      result = await timed(c);
    } catch (error) {
      throw new Error(`analyzeText threw on ${describeCase(c)}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    checkReport(c, result.report);
    this.cases++;
    if (process.env.XAVIER_FUZZ_TRACE && this.cases % 250 === 0) {
      console.log(`${this.cases} cases, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, ${((performance.now() - this.started) / 1000).toFixed(1)} s`);
    }
    let { cpuMs, wallMs } = result.timing;
    // Far over the limit is a slow path for sure; only a near miss is worth timing again.
    if (cpuMs > CASE_LIMIT_MS && cpuMs < 10 * CASE_LIMIT_MS) {
      const again = (await timed(c)).timing;
      cpuMs = again.cpuMs;
      wallMs = Math.min(wallMs, again.wallMs);
    }
    if (cpuMs > CASE_LIMIT_MS) this.overLimit.push(`${cpuMs.toFixed(0)} ms CPU: ${describeCase(c)}`);
    if (c.text.length > 500_000 && cpuMs > (MB_LINE_LIMIT_MS * c.text.length) / 2 ** 20) this.overRate.push(`${cpuMs.toFixed(0)} ms CPU: ${describeCase(c)}`);
    if (cpuMs > this.maxCpuMs) {
      this.maxCpuMs = cpuMs;
      this.slowest = describeCase(c).slice(0, 200);
    }
    this.maxWallMs = Math.max(this.maxWallMs, wallMs);
  }

  summary(title: string): string {
    const total = (performance.now() - this.started) / 1000;
    return `${title}: ${this.cases} cases in ${total.toFixed(1)} s; max case ${this.maxCpuMs.toFixed(1)} ms CPU (${this.slowest}), max wall ${this.maxWallMs.toFixed(1)} ms`;
  }
}

describe('engine fuzzing (fast-check, seeded)', () => {
  let seeds: Seed[] = [];

  before(async () => {
    seeds = await loadSeeds();
    // Load the runtime and every grammar before timing anything.
    for (const name of ['a.py', 'a.ts', 'a.tsx', 'a.js', 'a.json']) await analyzeText('x = 1', name);
  });

  it('finds argument slots in every seed (so the odd-value mutations really hit layer arguments)', () => {
    assert.ok(seeds.length >= 15, `${seeds.length} seeds`);
    for (const seed of seeds) assert.ok(seed.argumentSlots.length >= 5, `${seed.origin}: ${seed.argumentSlots.length} argument slots`);
  });

  it(`${RUNS} mutated and random inputs: nothing escapes, every number is finite or null, no case over ${CASE_LIMIT_MS} ms`, { timeout: 600_000 }, async () => {
    const stats = new Stats();
    console.log(`fuzz seed ${SEED} (replay with XAVIER_FUZZ_SEED=${SEED}), ${RUNS} runs`);
    await fc.assert(
      fc.asyncProperty(fuzzCase(seeds, MAX_WINDOW_LINES), (c) => stats.run(c)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    ).catch((error: unknown) => {
      const cause = error instanceof Error && error.cause instanceof Error ? `\ncause: ${error.cause.message}` : '';
      throw new Error(`fuzz failure with seed ${SEED}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    });
    console.log(stats.summary('random mutations'));
    assert.deepEqual(stats.overLimit, [], `cases over ${CASE_LIMIT_MS} ms`);
  });

  it('every layer argument of every seed replaced by each odd value', { timeout: 300_000 }, async () => {
    const stats = new Stats();
    for (const seed of seeds) {
      for (const value of oddValuesFor(seed.fileName)) {
        const text = replaceSlots(seed.text, seed.argumentSlots, [value]);
        await stats.run({ origin: seed.origin, mutation: `every argument ← ${value.slice(0, 40)}`, fileName: seed.fileName, text });
      }
    }
    console.log(stats.summary('odd-value sweep'));
    assert.deepEqual(stats.overLimit, [], `cases over ${CASE_LIMIT_MS} ms`);
  });

  const deepPrefixes: Record<string, string> = {
    'deep.py': 'from tensorflow import keras\nfrom tensorflow.keras.layers import Dense\nimport torch.nn as nn\nmodel = keras.Sequential([',
    'deep.ts': "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({ layers: [",
    'model.json': '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [',
  };

  async function nestEverywhere(stats: Stats, depthFor: (open: string) => number, check: (c: FuzzCase, report: FileReport) => void): Promise<void> {
    for (const [fileName, prefix] of Object.entries(deepPrefixes)) {
      for (const [open, close] of NESTINGS) {
        const depth = depthFor(open);
        for (const closed of [true, false]) {
          const text = `${prefix}${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}]`;
          const c: FuzzCase = { origin: 'generated', mutation: `${depth}-deep ${open}${closed ? '' : ' (unclosed)'}`, fileName, text };
          await stats.run(c);
          check(c, await analyzeText(c.text, c.fileName));
        }
      }
    }
  }

  const boundNotice = (report: FileReport) => report.notices.find((n) => n.startsWith('Skipped: brackets nest') || (n.startsWith('Skipped: line') && n.includes('KB long')));

  it(`nesting up to the source bound (${MAX_BRACKET_DEPTH} deep) is read in every reader`, { timeout: 300_000 }, async () => {
    const stats = new Stats();
    // As deep as the bound allows: each opener holds one or two brackets, the prefixes up to three.
    const openings = (open: string) => [...open].filter((ch) => '([{'.includes(ch)).length;
    await nestEverywhere(stats, (open) => Math.floor((MAX_BRACKET_DEPTH - 3) / openings(open)), (c, report) => {
      assert.equal(boundNotice(report), undefined, `within the bounds yet skipped: ${describeCase(c)}`);
    });
    console.log(stats.summary(`nesting up to ${MAX_BRACKET_DEPTH} brackets`));
    assert.deepEqual(stats.overLimit, [], `cases over ${CASE_LIMIT_MS} ms`);
  });

  it('10,000-deep nesting: source files refused with a notice naming the bound, JSON read (its reader is not tree-sitter)', { timeout: 300_000 }, async () => {
    const stats = new Stats();
    await nestEverywhere(stats, () => 10_000, (c, report) => {
      const notice = boundNotice(report);
      if (c.fileName.endsWith('.json')) assert.equal(notice, undefined, `JSON is not bounded: ${describeCase(c)}`);
      else {
        assert.match(notice ?? '', new RegExp(`more than ${MAX_BRACKET_DEPTH} deep at line 4|more than ${MAX_BRACKET_DEPTH} deep at line 2`), `no bound notice for ${describeCase(c)}: ${report.notices.join(' | ')}`);
        assert.deepEqual(report.models, [], describeCase(c));
      }
    });
    console.log(stats.summary('10,000-deep nesting'));
    assert.deepEqual(stats.overLimit, [], `cases over ${CASE_LIMIT_MS} ms`);
  });

  it('the source bounds are options: a caller that raises them gets the file read', async () => {
    const model = 'from tensorflow.keras import layers, Sequential\nm = Sequential([layers.Dense(8, input_shape=(4,))])\n';
    const longLine = `${model}data = [${'0.125, '.repeat(Math.ceil(MAX_LINE_LENGTH / 7))}]\n`;
    const refused = await analyzeText(longLine, 'long.py');
    assert.match(refused.notices.join(' | '), /^Skipped: line 3 is 64 KB long \(limit 64 KB\)/);
    const read = await analyzeText(longLine, 'long.py', { maxLineLength: 2 * MAX_LINE_LENGTH });
    assert.deepEqual(read.models.map((m) => m.layers.length), [1], read.notices.join(' | '));
    const deep = `${model}x = ${'('.repeat(MAX_BRACKET_DEPTH + 1)}1${')'.repeat(MAX_BRACKET_DEPTH + 1)}\n`;
    assert.match((await analyzeText(deep, 'deep.py')).notices.join(' | '), new RegExp(`more than ${MAX_BRACKET_DEPTH} deep at line 3`));
    assert.deepEqual((await analyzeText(deep, 'deep.py', { maxBracketDepth: 2 * MAX_BRACKET_DEPTH })).models.map((m) => m.layers.length), [1]);
  });

  it('a 1 MB single line: source files refused with a notice naming the line, model.json read at ≤ 2 s per MB', { timeout: 300_000 }, async () => {
    const stats = new Stats();
    const megabyte = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(megabyte / unit.length)).slice(0, megabyte);
    const lines: Array<[string, string]> = [
      ['line.py', `from tensorflow.keras import layers, Sequential\nm = Sequential([layers.Dense(8, input_shape=(4,))])\ndata = [${fill('0.125, ')}]`],
      ['line.py', `weights = '${fill('x')}'`],
      ['line.py', `# ${fill('comment ')}`],
      ['line.ts', `const data = [${fill('1e308, ')}];`],
      ['line.js', fill('var a=1;')],
      ['model.json', `{"modelTopology": {"class_name": "Sequential", "config": {"name": "${fill('n')}", "layers": []}}}`],
      ['line.py', fill('\u00e9\ud83d\ude00')],
    ];
    for (const [fileName, text] of lines) {
      const c: FuzzCase = { origin: 'generated', mutation: '1 MB line', fileName, text };
      await stats.run(c);
      const report = await analyzeText(text, fileName);
      if (fileName.endsWith('.json')) {
        assert.equal(boundNotice(report), undefined, 'model.json is one line when TF.js writes it: never refused for its length');
        assert.ok(!report.notices.some((n) => n.startsWith('Skipped')), report.notices.join(' | '));
      } else {
        const line = text.split('\n').findIndex((l) => l.length > MAX_LINE_LENGTH) + 1;
        assert.match(boundNotice(report) ?? '', new RegExp(`^Skipped: line ${line} is \\d+ KB long`), `${describeCase(c)}: ${report.notices.join(' | ')}`);
        assert.deepEqual(report.models, [], 'nothing half-read');
      }
    }
    console.log(stats.summary('1 MB lines'));
    assert.deepEqual(stats.overRate, [], `1 MB lines slower than ${MB_LINE_LIMIT_MS} ms per MB`);
    // Refused files cost only the scan for the bound; only model.json is parsed.
    assert.ok(stats.overLimit.every((o) => o.includes('model.json')), `source files over ${CASE_LIMIT_MS} ms: ${stats.overLimit.join(' ;; ')}`);
  });
});
