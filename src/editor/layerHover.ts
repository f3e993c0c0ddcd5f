/**
 * What a hover shows, without the editor: from a document's cached analysis (report and findings), a position
 * and the settings to the card's markdown and the range it covers. Pure and without `vscode`, so that it is
 * unit-tested in Node and bench/hover.ts times exactly what LayerHoverProvider runs per hover.
 */
import type { Range } from '../analysis/types';
import type { DocumentAnalysis } from './analysisCache';
import { buildLayerHoverMarkdown, commandUri } from './hoverMarkdown';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, layerAt, type OpenTrainingArgs } from './services';

export interface LayerHoverOptions {
  /** The document's URI (the card's command links act on it). */
  uri: string;
  /** Repeat the layer's findings in the card (xavierLens.diagnostics.enabled). */
  showFindings: boolean;
}

export interface LayerHoverContent {
  /** Markdown with `command:` links to OPEN_TRAINING_COMMAND and INSPECT_COMMAND only. */
  markdown: string;
  /** The layer call the card is about. */
  range: Range;
}

/** The card for the layer under `position`, or undefined when no layer call contains it. */
export function layerHoverContent(analysis: DocumentAnalysis, position: { line: number; column: number }, options: LayerHoverOptions): LayerHoverContent | undefined {
  const hit = layerAt(analysis.report, position);
  if (!hit) return undefined;
  // A loop's merged finding names every layer it made; a card about one layer shows just the reason.
  const findings = options.showFindings ? analysis.findingsForLayer(hit.modelIndex, hit.layerIndex).map((f) => (f.layerCount > 1 ? f.message : f.detail)) : [];
  const trainArgs: OpenTrainingArgs = { uri: options.uri, modelName: hit.model.name, line: hit.model.line, cell: hit.model.cell };
  const markdown = buildLayerHoverMarkdown(hit.model, hit.layer, {
    train: commandUri(OPEN_TRAINING_COMMAND, [trainArgs]),
    inspect: commandUri(INSPECT_COMMAND, [options.uri]),
    findings,
  });
  return { markdown, range: hit.layer.range };
}
