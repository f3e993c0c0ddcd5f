/**
 * Hover latency in-process, without VS Code: what LayerHoverProvider does per hover, minus the vscode objects.
 * The editor's own AnalysisCache holds the file's analysis (filled once before timing, as after the first hover),
 * then for each of 1,000 seeded random positions: ask the cache (a hit), `layerAt` the position, and build the
 * markdown card with its command links when a layer is there. p50/p95 over the 1,000.
 *   node --import tsx bench/hover.ts --file FILE --out OUT.json [--quick]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FileReport } from '../src/analysis/types';
import { AnalysisCache, type DocumentSnapshot } from '../src/editor/analysisCache';
import { buildLayerHoverMarkdown, commandUri } from '../src/editor/hoverMarkdown';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, layerAt } from '../src/editor/services';
import { summarize } from './stats.mjs';
import { argValue, layerCount, loadAnalyzeText } from './engine';
// The training code's seeded generator: every run hovers the same positions.
import { mulberry32 } from '../webview/training/random';

const POSITIONS = 1000;

async function main(): Promise<void> {
  const file = argValue('--file');
  const out = argValue('--out');
  if (!file || !out) throw new Error('usage: hover.ts --file FILE --out OUT.json');
  const engine = await loadAnalyzeText();
  if (!engine.ok) {
    writeFileSync(out, JSON.stringify({ available: false, reason: engine.reason }));
    return;
  }
  const analyzeText = engine.value;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const uri = `file://${file}`;
  const document: DocumentSnapshot = { uri, version: 1, fileName: basename(file), getText: () => text };
  const errors: string[] = [];
  const cache = new AnalysisCache({
    loadEngine: async () => ({ analyzeText: async (t: string, name: string) => (await analyzeText(t, name)) as FileReport }),
    // The size limit is not what is measured (and src/editor/settings.ts needs the real vscode module).
    maxFileSizeKB: () => Number.POSITIVE_INFINITY,
    logError: (message) => errors.push(message),
  });
  const filled = await cache.analyze(document);
  if (errors.length) throw new Error(`analysis failed: ${errors[0]}`);

  const random = mulberry32(6);
  const positions = Array.from({ length: POSITIONS }, () => {
    const line = Math.floor(random() * lines.length);
    return { line, column: Math.floor(random() * Math.max(lines[line].length, 1)) };
  });

  const timings: number[] = [];
  let onLayer = 0;
  let cardChars = 0;
  for (const position of positions) {
    const start = performance.now();
    const report = await cache.analyze(document);
    const hit = layerAt(report, position);
    let card = '';
    if (hit) {
      card = buildLayerHoverMarkdown(hit.model, hit.layer, {
        train: commandUri(OPEN_TRAINING_COMMAND, [{ uri, modelName: hit.model.name, line: hit.model.line }]),
        inspect: commandUri(INSPECT_COMMAND, [uri]),
      });
    }
    timings.push(performance.now() - start);
    if (hit) {
      onLayer++;
      cardChars += card.length;
    }
  }
  if (cache.analysesRun !== 1) throw new Error(`the cache ran ${cache.analysesRun} analyses; hovers must reuse one`);
  writeFileSync(
    out,
    JSON.stringify({
      available: true,
      file: basename(file),
      layers: layerCount(filled),
      positions: POSITIONS,
      onLayer,
      meanCardChars: onLayer ? Math.round(cardChars / onLayer) : 0,
      summary: summarize(timings),
      max: Math.max(...timings),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
