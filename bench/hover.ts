/**
 * Hover latency in-process, without VS Code: exactly what LayerHoverProvider runs per hover once the vscode objects
 * are set aside: ask the editor's AnalysisCache for the document's analysis (a hit) and call `layerHoverContent`
 * (src/editor/layerHover.ts): the layer under the position, its findings looked up in the cached findings, the card
 * with its command links. Warm, as in the editor after the first analysis: each round analyses the file into a fresh
 * cache and computes its findings once (untimed for the hovers; that one computation is reported on its own, since
 * in the editor the diagnostics pay it right after the file opens), then times 1,000 seeded random positions.
 * Every round reports p50/p95/max; the caller judges the target on the p95 of all rounds' hovers together.
 *
 * Once, for comparison: the same positions with every finding of the file recomputed per hover, which is what the
 * provider did before the cache held findings (with today's linear merge).
 *   node --import tsx bench/hover.ts [--file FILE] [--rounds N] --out OUT.json
 * Without --file it hovers the 1,000-layer Keras file of bench/inputs.mjs, generated in memory.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findInitializerProblems } from '../src/analysis/findings';
import type { FileReport } from '../src/analysis/types';
import { AnalysisCache, type DocumentSnapshot } from '../src/editor/analysisCache';
import { buildLayerHoverMarkdown, commandUri } from '../src/editor/hoverMarkdown';
import { layerHoverContent } from '../src/editor/layerHover';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, layerAt } from '../src/editor/services';
import { kerasModelWithLayers } from './inputs.mjs';
import { quantile } from './stats.mjs';
import { argValue, layerCount, loadAnalyzeText } from './engine';
// The training code's seeded generator: every run hovers the same positions.
import { mulberry32 } from '../webview/training/random';

const POSITIONS = 1000;

interface RoundFigures {
  p50: number;
  p95: number;
  max: number;
  /** The one computation of the file's findings this round (what the first reader of a version pays). */
  findingsMs: number;
}

const figures = (timings: number[]) => ({ p50: quantile(timings, 0.5) ?? NaN, p95: quantile(timings, 0.95) ?? NaN, max: Math.max(...timings) });

async function main(): Promise<void> {
  const file = argValue('--file');
  const out = argValue('--out');
  const rounds = Number(argValue('--rounds') ?? 5);
  if (!out || !Number.isInteger(rounds) || rounds < 1) throw new Error('usage: hover.ts [--file FILE] [--rounds N] --out OUT.json');
  const engine = await loadAnalyzeText();
  if (!engine.ok) {
    writeFileSync(out, JSON.stringify({ available: false, reason: engine.reason }));
    return;
  }
  const analyzeText = engine.value;
  const fileName = file ? basename(file) : 'keras_1000_layers.py';
  const text = file ? readFileSync(file, 'utf8') : kerasModelWithLayers(1000);
  const lines = text.split('\n');
  const uri = `file:///bench/${fileName}`;
  const document: DocumentSnapshot = { uri, version: 1, fileName, getText: () => text };
  const options = { uri, showFindings: true }; // diagnostics on: the card repeats the layer's findings (the default)

  const random = mulberry32(6);
  const positions = Array.from({ length: POSITIONS }, () => {
    const line = Math.floor(random() * lines.length);
    return { line, column: Math.floor(random() * Math.max(lines[line].length, 1)) };
  });

  const perRound: RoundFigures[] = [];
  const all: number[] = [];
  let onLayer = 0;
  let cardChars = 0;
  let cardsWithFindings = 0;
  let report: FileReport | undefined;
  let findingCount = 0;
  for (let round = 0; round < rounds; round++) {
    const errors: string[] = [];
    const cache = new AnalysisCache({
      loadEngine: async () => ({ analyzeText: async (t: string, name: string) => (await analyzeText(t, name)) as FileReport }),
      // The size limit is not what is measured (and src/editor/settings.ts needs the real vscode module).
      maxFileSizeKB: () => Number.POSITIVE_INFINITY,
      logError: (message) => errors.push(message),
    });
    const filled = await cache.analysis(document);
    if (errors.length) throw new Error(`analysis failed: ${errors[0]}`);
    const t0 = performance.now();
    findingCount = filled.findings().length;
    const findingsMs = performance.now() - t0;
    report = filled.report;

    const timings: number[] = [];
    onLayer = cardChars = cardsWithFindings = 0;
    for (const position of positions) {
      const start = performance.now();
      const analysis = await cache.analysis(document);
      const content = layerHoverContent(analysis, position, options);
      timings.push(performance.now() - start);
      if (content) {
        onLayer++;
        cardChars += content.markdown.length;
        if (content.markdown.includes('$(lightbulb)')) cardsWithFindings++;
      }
    }
    if (cache.analysesRun !== 1 || cache.findingsRun !== 1) throw new Error(`round ${round + 1}: ${cache.analysesRun} analyses and ${cache.findingsRun} findings computations; hovers must reuse one of each`);
    perRound.push({ ...figures(timings), findingsMs });
    all.push(...timings);
    process.stderr.write(`[hover] round ${round + 1}/${rounds}: p50 ${perRound[round].p50.toFixed(3)} ms, p95 ${perRound[round].p95.toFixed(3)} ms, max ${perRound[round].max.toFixed(2)} ms; findings once ${findingsMs.toFixed(2)} ms\n`);
  }
  if (!report) throw new Error('no round ran');

  // Once, for comparison: the provider before the cache held findings, recomputing all of them per hover.
  const recompute: number[] = [];
  for (const position of positions) {
    const start = performance.now();
    const hit = layerAt(report, position);
    if (hit) {
      const findings = findInitializerProblems(report)
        .filter((f) => f.modelIndex === hit.modelIndex && f.layerIndex === hit.layerIndex)
        .map((f) => (f.layerCount > 1 ? f.message : f.detail));
      buildLayerHoverMarkdown(hit.model, hit.layer, {
        train: commandUri(OPEN_TRAINING_COMMAND, [{ uri, modelName: hit.model.name, line: hit.model.line }]),
        inspect: commandUri(INSPECT_COMMAND, [uri]),
        findings,
      });
    }
    recompute.push(performance.now() - start);
  }
  const p95s = perRound.map((r) => r.p95);
  writeFileSync(
    out,
    JSON.stringify({
      available: true,
      file: fileName,
      layers: layerCount(report),
      findings: findingCount,
      positions: POSITIONS,
      rounds,
      onLayer,
      cardsWithFindings,
      meanCardChars: onLayer ? Math.round(cardChars / onLayer) : 0,
      perRound,
      // The target is judged on this: the p95 of every hover of every round together.
      p95AllRounds: quantile(all, 0.95),
      p50AllRounds: quantile(all, 0.5),
      maxAllRounds: Math.max(...all),
      p95OfRounds: { min: Math.min(...p95s), median: quantile(p95s, 0.5), max: Math.max(...p95s) },
      findingsOnceMs: { min: Math.min(...perRound.map((r) => r.findingsMs)), median: quantile(perRound.map((r) => r.findingsMs), 0.5), max: Math.max(...perRound.map((r) => r.findingsMs)) },
      recomputedPerHover: { rounds: 1, ...figures(recompute) },
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
