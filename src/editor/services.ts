/** What every editor feature gets from the controller: the shared analysis and the log. */
import type * as vscode from 'vscode';
import type { FileReport, LayerReport, ModelReport, Range } from '../analysis/types';
import type { DocumentAnalysis } from './analysisCache';
import type { Log } from './log';

export interface EditorServices {
  log: Log;
  /**
   * The cached analysis of this version of the document (never rejects). With a token it settles as soon as
   * the token is cancelled; a report for a stale or cancelled request is marked (analysisOutcome): show nothing.
   */
  analyze(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FileReport>;
  /** The same cached analysis with its findings, computed once per version (never rejects; same token rule). */
  analysis(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis>;
}

export const OPEN_TRAINING_COMMAND = 'xavierLens.openTrainingComparison';
export const INSPECT_COMMAND = 'xavierLens.inspectLayers';
export const COPY_MARKDOWN_COMMAND = 'xavierLens.copyReportAsMarkdown';

/** Arguments of xavierLens.openTrainingComparison (the panel's contract). */
export interface OpenTrainingArgs {
  uri?: string;
  modelName?: string;
  line?: number;
  /** In a notebook: the cell the model is defined in (its `line` counts in that cell). */
  cell?: number;
}

function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

export function rangeContains(range: Range, position: { line: number; column: number }): boolean {
  return before(range.start, position) && before(position, range.end);
}

function rangeSize(range: Range): number {
  return (range.end.line - range.start.line) * 1_000_000 + (range.end.column - range.start.column);
}

export interface LayerHit {
  model: ModelReport;
  layer: LayerReport;
  modelIndex: number;
  layerIndex: number;
}

/** The innermost layer whose call contains `position` (nested calls: the smallest range wins), with its indices. */
export function layerAt(report: FileReport, position: { line: number; column: number }): LayerHit | undefined {
  let best: LayerHit | undefined;
  for (let modelIndex = 0; modelIndex < report.models.length; modelIndex++) {
    const model = report.models[modelIndex];
    for (let layerIndex = 0; layerIndex < model.layers.length; layerIndex++) {
      const layer = model.layers[layerIndex];
      if (!rangeContains(layer.range, position)) continue;
      if (!best || rangeSize(layer.range) < rangeSize(best.layer.range)) best = { model, layer, modelIndex, layerIndex };
    }
  }
  return best;
}
