// Hover and quick fixes read the findings the analysis cache holds for a document version, over the real engine
// and the examples: the rules run once however many hovers and quick-fix requests come, and the hover card is
// the one the provider built before the cache held findings (all findings of the file recomputed per hover).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';
import { findInitializerProblems } from '../../src/analysis/findings';
import type { FileReport } from '../../src/analysis/types';
import type { DocumentSnapshot } from '../../src/editor/analysisCache';
import { buildLayerHoverMarkdown, commandUri } from '../../src/editor/hoverMarkdown';
import { layerHoverContent } from '../../src/editor/layerHover';
import { quickFixesForDiagnostics } from '../../src/editor/quickFix';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, layerAt } from '../../src/editor/services';
import { countingFindingsCache } from '../support/countingCache';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const exampleNames = readdirSync(examples).filter((n) => ['.py', '.ts', '.js', '.json'].includes(extname(n))).sort();

function setup() {
  return countingFindingsCache({ analyzeText: (text, name) => analyzeText(text, name) });
}

const snapshot = (name: string, version = 1): DocumentSnapshot => {
  const text = readFileSync(join(examples, name), 'utf8');
  return { uri: `file:///w/${name}`, version, fileName: name, getText: () => text };
};

/** The hover card as LayerHoverProvider built it before the cache held findings: every finding recomputed per hover. */
function oldHoverMarkdown(report: FileReport, position: { line: number; column: number }, uri: string): string | undefined {
  const hit = layerAt(report, position);
  if (!hit) return undefined;
  const modelIndex = report.models.indexOf(hit.model);
  const layerIndex = hit.model.layers.indexOf(hit.layer);
  const findings = findInitializerProblems(report)
    .filter((f) => f.modelIndex === modelIndex && f.layerIndex === layerIndex)
    .map((f) => (f.layerCount > 1 ? f.message : f.detail));
  return buildLayerHoverMarkdown(hit.model, hit.layer, {
    train: commandUri(OPEN_TRAINING_COMMAND, [{ uri, modelName: hit.model.name, line: hit.model.line }]),
    inspect: commandUri(INSPECT_COMMAND, [uri]),
    findings,
  });
}

test('every example, every layer: the hover card from the cached findings is the card the old provider built; the rules ran once per file', async () => {
  assert.ok(exampleNames.length >= 12);
  let cardsWithFindings = 0;
  for (const name of exampleNames) {
    const { cache, ruleCalls } = setup();
    const document = snapshot(name);
    let hovers = 0;
    const report = await cache.analyze(document);
    for (const model of report.models) {
      for (const layer of model.layers) {
        for (const position of [layer.range.start, layer.range.end]) {
          const analysis = await cache.analysis(document);
          const content = layerHoverContent(analysis, position, { uri: document.uri, showFindings: true });
          assert.ok(content, `${name}: a card at ${layer.name}`);
          assert.equal(content.markdown, oldHoverMarkdown(report, position, document.uri), `${name}: ${layer.name} at ${position.line}:${position.column}`);
          if (content.markdown.includes('$(lightbulb)')) cardsWithFindings++;
          hovers++;
        }
      }
    }
    assert.equal(ruleCalls(), hovers ? 1 : 0, `${name}: ${hovers} hovers, the rules ran ${ruleCalls()} time(s)`);
    assert.equal(cache.analysesRun, 1);
  }
  assert.ok(cardsWithFindings >= 10, `cards showing a finding: ${cardsWithFindings}`);
});

test('hover with diagnostics off shows no findings and computes none; outside any layer there is no card', async () => {
  const { cache, ruleCalls } = setup();
  const document = snapshot('tfjs_cnn.ts');
  const analysis = await cache.analysis(document);
  const layer = analysis.report.models[0].layers.find((l) => l.activation === 'relu');
  assert.ok(layer);
  const off = layerHoverContent(analysis, layer.range.start, { uri: document.uri, showFindings: false });
  assert.ok(off);
  assert.doesNotMatch(off.markdown, /\$\(lightbulb\)/);
  assert.deepEqual(off.range, layer.range);
  assert.equal(ruleCalls(), 0);
  const on = layerHoverContent(analysis, layer.range.start, { uri: document.uri, showFindings: true });
  assert.match(on?.markdown ?? '', /\$\(lightbulb\) Xavier\/Glorot/);
  assert.equal(layerHoverContent(analysis, { line: 0, column: 0 }, { uri: document.uri, showFindings: true }), undefined);
  assert.equal(ruleCalls(), 1);
});

test('quick fixes look the diagnostics\' findings up in the cache: one computation for many requests; unknown diagnostics get none', async () => {
  const { cache, ruleCalls } = setup();
  const document = snapshot('tfjs_cnn.ts');
  // What diagnostics.ts shows: each finding's code and range.
  const shown = (await cache.analysis(document)).findings().map((f, i) => ({ code: f.code as unknown, range: f.range, item: `diagnostic ${i}` }));
  assert.equal(shown.length, 3);
  for (let request = 0; request < 20; request++) {
    const fixes = quickFixesForDiagnostics(await cache.analysis(document), shown, document.getText());
    assert.deepEqual(fixes.map((f) => f.item), ['diagnostic 0', 'diagnostic 1', 'diagnostic 2']);
    assert.ok(fixes.every((f) => f.fix.edits.some((e) => e.newText.includes("'heNormal'"))));
  }
  assert.equal(ruleCalls(), 1, 'the rules ran once for 20 quick-fix requests');
  const strangers = [
    { code: 'he-on-saturating' as unknown, range: shown[0].range, item: 'other code' },
    { code: shown[0].code, range: { start: shown[0].range.start, end: { line: shown[0].range.end.line + 1, column: 0 } }, item: 'other range' },
    { code: 7 as unknown, range: shown[0].range, item: 'numeric code' },
  ];
  assert.deepEqual(quickFixesForDiagnostics(await cache.analysis(document), strangers, document.getText()), []);
});

test('deep tanh loop: the merged finding reaches the hover of the loop\'s layer and its quick fix, from one computation', async () => {
  const { cache, ruleCalls } = setup();
  const document = snapshot('keras_deep_tanh_poor_init.py');
  const analysis = await cache.analysis(document);
  const [finding] = analysis.findings();
  assert.equal(finding.layerCount, 8);
  const layer = analysis.report.models[0].layers[finding.layerIndex];
  const card = layerHoverContent(analysis, layer.range.start, { uri: document.uri, showFindings: true });
  assert.ok(card?.markdown.includes(finding.message), 'the card names all 8 layers');
  const [fix] = quickFixesForDiagnostics(analysis, [{ code: finding.code, range: finding.range, item: 0 }], document.getText());
  assert.equal(fix?.fix.edits[0].newText, '"glorot_uniform"', 'the file writes its strings in double quotes');
  assert.equal(ruleCalls(), 1);
});
