/**
 * Warm analysis and bare tree-sitter parse of each input, in one process: after at least 30 untimed calls and 1 s of them each, repeated
 * runs (at least 10 and 1 s of work; one warm-up and 5 runs for multi-megabyte inputs). "Bare parse" is the tree-sitter parse
 * alone, through the engine's own loader (`parserFor(language).parse(text)`, then `tree.delete()`); for JSON
 * model topologies, which the engine reads without tree-sitter, it is `JSON.parse`.
 *   node --import tsx bench/analysis.ts --inputs INPUTS.json --out OUT.json [--quick]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { summarize, timeRepeated } from './stats.mjs';
import { argValue, grammarOf, layerCount, loadAnalyzeText, loadParserFor } from './engine';

interface Input {
  id: string;
  path: string;
  fileName: string;
}

const quick = process.argv.includes('--quick');

function repeatOptions(bytes: number) {
  if (bytes > 1_000_000) return { warmup: 1, minRuns: quick ? 2 : 5, maxRuns: quick ? 2 : 5, minMs: 0 };
  // "Warm" means after V8 has optimised the engine: 2 warm-up calls left small files timed half-compiled
  // (keras_cnn.py measured 3.7–14× its parse then, 2.4× after 300 calls). The parse gets the same warm-up.
  return { warmup: quick ? 5 : 30, warmupMs: quick ? 200 : 1000, minRuns: quick ? 3 : 10, maxRuns: quick ? 10 : 100, minMs: quick ? 200 : 1000 };
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

    if (engine.ok) {
      let layers = 0;
      let models = 0;
      let notices: string[] = [];
      const runs = await timeRepeated(async () => {
        const report = await engine.value(text, input.fileName);
        layers = layerCount(report);
        models = report.models.length;
        notices = report.notices ?? [];
      }, options);
      entry.analysis = { available: true, ...summarize(runs), models, layers, notices: notices.slice(0, 3) };
    } else {
      entry.analysis = { available: false, reason: engine.reason };
    }

    if (grammar === 'json') {
      entry.bareParse = { available: true, method: 'JSON.parse', ...summarize(await timeRepeated(() => JSON.parse(text), options)) };
    } else if (!grammar) {
      entry.bareParse = { available: false, reason: `no grammar for ${input.fileName}` };
    } else if (loader.ok) {
      const parser = await loader.value(grammar);
      const runs = await timeRepeated(() => {
        const tree = parser.parse(text);
        if (!tree) throw new Error(`tree-sitter returned no tree for ${input.id}`);
        tree.delete();
      }, options);
      entry.bareParse = { available: true, method: `tree-sitter ${grammar}`, ...summarize(runs) };
    } else {
      entry.bareParse = { available: false, reason: loader.reason };
    }
    results.push(entry);
  }
  writeFileSync(out, JSON.stringify(results, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
