/**
 * Warm analysis and bare tree-sitter parse of each input, in one process, timed in alternating blocks (stats.mjs
 * timeInBlocks) so that both samples come from the same stretch of time: after at least 30 untimed pairs and
 * 1 s of them, repeated runs (at least 1 s of work each, up to 2,000 runs; 100 for the 1,000-layer file; one
 * warm-up and 5 runs for multi-megabyte inputs). "Bare parse" is the tree-sitter parse alone, through the engine's own loader (`parserFor(language).parse(text)`, then `tree.delete()`); for JSON
 * model topologies, which the engine reads without tree-sitter, it is `JSON.parse`.
 *   node --import tsx bench/analysis.ts --inputs INPUTS.json --out OUT.json [--quick]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { summarize, timeInBlocks, timeRepeated } from './stats.mjs';
import { argValue, grammarOf, layerCount, loadAnalyzeText, loadParserFor } from './engine';

interface Input {
  id: string;
  path: string;
  fileName: string;
}

const quick = process.argv.includes('--quick');

function repeatOptions(bytes: number) {
  if (bytes > 1_000_000) return { warmup: 1, minRuns: quick ? 2 : 5, maxRuns: quick ? 2 : 5, minMs: 0, blockSize: 1 };
  // "Warm" means after V8 has optimised the engine: 2 warm-up calls left small files timed half-compiled
  // (keras_cnn.py measured 3.7–14× its parse then, 2.4× after 300 calls). The parse gets the same warm-up.
  if (bytes > 20_000) return { warmup: quick ? 5 : 30, warmupMs: quick ? 200 : 1000, minRuns: quick ? 3 : 10, maxRuns: quick ? 10 : 100, minMs: quick ? 200 : 1000, blockSize: 2 };
  return { warmup: quick ? 5 : 30, warmupMs: quick ? 200 : 1000, minRuns: quick ? 10 : 20, maxRuns: quick ? 100 : 2000, minMs: quick ? 200 : 1000, blockSize: 10 };
}

// Top-level await is not available: tsx runs these files as CommonJS.
async function main(): Promise<void> {
  const inputsFile = argValue('--inputs');
  const out = argValue('--out');
  if (!inputsFile || !out) throw new Error('usage: analysis.ts --inputs INPUTS.json --out OUT.json [--quick]');
  const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as Input[];
  const engine = await loadAnalyzeText();
  const loader = await loadParserFor();
  const results = [];
  for (const input of inputs) {
    const text = readFileSync(input.path, 'utf8');
    const options = repeatOptions(text.length);
    const grammar = grammarOf(input.fileName);
    const entry: Record<string, unknown> = { id: input.id, bytes: Buffer.byteLength(text), lines: text.split('\n').length, grammar };

    let layers = 0;
    let models = 0;
    let notices: string[] = [];
    const analyse = async () => {
      if (!engine.ok) return;
      const report = await engine.value(text, input.fileName);
      layers = layerCount(report);
      models = report.models.length;
      notices = report.notices ?? [];
    };
    const analysisEntry = (runs: number[]) =>
      engine.ok ? { available: true, ...summarize(runs), models, layers, notices: notices.slice(0, 3) } : { available: false, reason: engine.reason };

    const parser = grammar && grammar !== 'json' && loader.ok ? await loader.value(grammar) : undefined;
    const bareParse = parser
      ? () => {
          const tree = parser.parse(text);
          if (!tree) throw new Error(`tree-sitter returned no tree for ${input.id}`);
          tree.delete();
        }
      : undefined;
    if (engine.ok && bareParse) {
      // The peer in the same stretch of time: analysis and bare parse alternate, block by block.
      const { a, b } = await timeInBlocks(analyse, bareParse, options);
      entry.analysis = analysisEntry(a);
      entry.bareParse = { available: true, method: `tree-sitter ${grammar}`, interleaved: true, ...summarize(b) };
    } else {
      entry.analysis = analysisEntry(engine.ok ? await timeRepeated(analyse, options) : []);
      if (grammar === 'json') entry.bareParse = { available: true, method: 'JSON.parse', ...summarize(await timeRepeated(() => JSON.parse(text), options)) };
      else if (bareParse) entry.bareParse = { available: true, method: `tree-sitter ${grammar}`, ...summarize(await timeRepeated(bareParse, options)) };
      else entry.bareParse = { available: false, reason: grammar ? (loader.ok ? 'no parser' : loader.reason) : `no grammar for ${input.fileName}` };
    }
    results.push(entry);
  }
  writeFileSync(out, JSON.stringify(results, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
