/**
 * One notebook cell's view of the whole notebook's analysis. The notebook is analysed once as one program (its
 * report's positions are {cell, line, column}); each cell editor asks for its own view: the same DocumentAnalysis
 * shape the hover, CodeLens, diagnostics and quick fixes already read, in that cell's coordinates, so those
 * providers work in cells unchanged.
 *
 * What a cell sees: the models defined in it, and the models defined elsewhere that have layers in it (a
 * functional graph built across cells), whose range is then their first layer in this cell so that the lens
 * sits next to code the user can see. Layers and findings in other cells get a range no editor position falls in
 * (line -1, never handed to the editor: findings are filtered, lenses only use models' ranges). A quick-fix
 * insertion point in another cell is dropped rather than applied to the wrong cell.
 *
 * Pure and without `vscode`, so it is unit-tested in Node.
 */
import type { Finding } from '../analysis/findings';
import type { CellPosition } from '../analysis/notebook';
import type { FileReport, LayerReport, ModelReport, Position, Range, WeightReport } from '../analysis/types';
import type { DocumentAnalysis } from './analysisCache';

const ELSEWHERE: Range = Object.freeze({ start: Object.freeze({ line: -1, column: 0 }), end: Object.freeze({ line: -1, column: 0 }) });

const cellOf = (position: Position) => (position as Partial<CellPosition>).cell;
const inCell = (range: Range | undefined, cell: number) => range !== undefined && cellOf(range.start) === cell;
const local = (position: Position): Position => ({ line: position.line, column: position.column });
const localRange = (range: Range, cell: number): Range => (inCell(range, cell) ? { start: local(range.start), end: local(range.end) } : ELSEWHERE);

function localWeight(weight: WeightReport, cell: number): WeightReport {
  if (!weight.initializerRange) return weight;
  const out = { ...weight };
  if (inCell(weight.initializerRange, cell)) out.initializerRange = localRange(weight.initializerRange, cell);
  else delete out.initializerRange;
  return out;
}

function localLayer(layer: LayerReport, cell: number): LayerReport {
  return { ...layer, range: localRange(layer.range, cell), argsRange: localRange(layer.argsRange, cell), weights: layer.weights.map((w) => localWeight(w, cell)) };
}

export interface CellAnalysis extends DocumentAnalysis {
  /** Index in the notebook's report of each model this view shows. */
  readonly modelIndices: readonly number[];
}

/** The analysis as cell `cell` (its 0-based index in the notebook) sees it. */
export function cellView(notebook: DocumentAnalysis, cell: number): CellAnalysis {
  const source = notebook.report;
  const models: ModelReport[] = [];
  const modelIndices: number[] = [];
  source.models.forEach((model, index) => {
    const firstHere = model.layers.find((l) => inCell(l.range, cell));
    const definedHere = inCell(model.range, cell);
    if (!definedHere && !firstHere) return;
    const view: ModelReport = { ...model, layers: model.layers.map((l) => localLayer(l, cell)) };
    if (definedHere) view.range = localRange(model.range, cell);
    // `line` stays the definition's: the lens's "Train on MNIST" names the model by name and line.
    else if (firstHere) view.range = localRange(firstHere.range, cell);
    if (model.initInsertion) {
      if (cellOf(model.initInsertion.position) === cell) view.initInsertion = { ...model.initInsertion, position: local(model.initInsertion.position) };
      else delete view.initInsertion;
    }
    models.push(view);
    modelIndices.push(index);
  });
  const report: FileReport = { file: source.file, models, notices: source.notices };
  const viewIndexOf = new Map(modelIndices.map((original, view) => [original, view]));

  let findings: Finding[] | undefined;
  const all = (): Finding[] => {
    findings ??= notebook
      .findings()
      .filter((f) => inCell(f.range, cell) && viewIndexOf.has(f.modelIndex))
      .map((f) => ({ ...f, range: localRange(f.range, cell), modelIndex: viewIndexOf.get(f.modelIndex)! }));
    return findings;
  };
  const same = (a: Range, b: Range) => a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;
  return {
    report,
    modelIndices,
    findings: () => all(),
    // The notebook's findings for the layer (even a merged one placed in another cell), the range made local.
    findingsForLayer: (modelIndex, layerIndex) =>
      notebook.findingsForLayer(modelIndices[modelIndex] ?? -1, layerIndex).map((f) => ({ ...f, range: localRange(f.range, cell), modelIndex })),
    findingAt: (code, range) => all().find((f) => f.code === code && same(f.range, range)),
  };
}
