/**
 * "The model in the active file" for the training panel: the engine reads the file, the training spec
 * converter decides whether TF.js can build it (and if not, which layer stops it).
 */
import { formatWhere, modelDisplayName } from '../analysis/format';
import type { FileReport, ModelReport } from '../analysis/types';
import type { FileModelOffer } from '../protocol';
import { modelSpecFromReport } from '../training-spec';

export interface ModelChoice {
  /** The model's name as the engine reports it (from the hover link / CodeLens). */
  modelName?: string;
  /** 1-based line: the model whose definition spans it is chosen. */
  line?: number;
  /** In a notebook: the 0-based index of the cell that `line` counts in (lines restart in every cell). */
  cell?: number;
  /** Return nothing (instead of a problem) when no model fits: the plain command just shows the presets. */
  quietWhenNone?: boolean;
}

function pickModel(report: FileReport, choice: ModelChoice): ModelReport | undefined {
  const inCell = (m: ModelReport) => choice.cell === undefined || m.cell === choice.cell;
  const models = report.models;
  if (choice.modelName !== undefined) {
    const named = models.filter((m) => m.name === choice.modelName);
    if (named.length) return named.find((m) => m.line === choice.line && inCell(m)) ?? named[0];
  }
  if (choice.line !== undefined) {
    const line = choice.line - 1;
    // Ranges are 0-based (tree-sitter / VS Code positions); the innermost definition around the line wins.
    const around = models.filter((m) => inCell(m) && m.range.start.line <= line && line <= m.range.end.line);
    if (around.length) return around.sort((a, b) => a.range.end.line - a.range.start.line - (b.range.end.line - b.range.start.line))[0];
  }
  if (models.length === 1) return models[0];
  return choice.quietWhenNone ? undefined : models[0];
}

/** Builds the offer for the panel's model dropdown from the engine's report of a file. */
export function fileModelOfferFromReport(report: FileReport, fileLabel: string, choice: ModelChoice = {}): FileModelOffer | undefined {
  const model = pickModel(report, choice);
  if (!model) {
    if (choice.quietWhenNone) return undefined;
    const why = report.notices.length ? `: ${report.notices.join('; ')}` : '';
    return { label: fileLabel, problem: `no model definition was found in ${fileLabel}${why}` };
  }
  // In a notebook formatWhere says "cell 4, line 2"; in a file only the line number.
  const label = `${fileLabel}: ${modelDisplayName(model)} (${model.cell === undefined ? 'line ' : ''}${formatWhere(model)})`;
  const converted = modelSpecFromReport(model);
  if ('error' in converted) return { label, problem: converted.error };
  return { label, spec: { ...converted.spec, label } };
}
