/**
 * Cold analysis: the FIRST analyzeText call in a fresh process, so the tree-sitter runtime and grammar load are
 * included (the engine loads them lazily). The module import is timed separately.
 *   node --import tsx bench/analysis-cold.ts --input FILE --name NAME --out OUT.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { argValue, layerCount, loadAnalyzeText } from './engine';

// Top-level await is not available: tsx runs these files as CommonJS.
async function main(): Promise<void> {
  const input = argValue('--input');
  const out = argValue('--out');
  if (!input || !out) throw new Error('usage: analysis-cold.ts --input FILE --name NAME --out OUT.json');
  const fileName = argValue('--name') ?? input;
  const text = readFileSync(input, 'utf8');
  const importStart = performance.now();
  const engine = await loadAnalyzeText();
  const importMs = performance.now() - importStart;
  if (!engine.ok) {
    writeFileSync(out, JSON.stringify({ available: false, reason: engine.reason }));
  } else {
    const start = performance.now();
    const report = await engine.value(text, fileName);
    const firstCallMs = performance.now() - start;
    writeFileSync(out, JSON.stringify({ available: true, importMs, firstCallMs, models: report.models.length, layers: layerCount(report), notices: (report.notices ?? []).slice(0, 3) }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
