/**
 * The Inspect Layers report as plain rows (what the webview's grid shows) and as a markdown table
 * (what "Copy as Markdown" puts on the clipboard): one builder for both, so they never disagree.
 */
import { mainWeight } from '../analysis/findings';
import { formatWhere, modelDisplayName, wasNotRead } from '../analysis/format';
import type { FileReport, LayerReport, ModelReport, Shape } from '../analysis/types';
import type { ReportModel, ReportRow } from '../protocol';
import { FRAMEWORK_NAMES, heStdText, xavierLimitText, xavierStdText } from './hoverMarkdown';
import { formatCount, formatCountOrSymbol, formatOrSymbol, formatShape } from './numbers';

export const REPORT_COLUMNS: { key: keyof ReportRow['cells']; title: string }[] = [
  { key: 'layer', title: 'Layer' },
  { key: 'line', title: 'Line' },
  { key: 'shape', title: 'In → out' },
  { key: 'fanIn', title: 'fan_in' },
  { key: 'fanOut', title: 'fan_out' },
  { key: 'initializer', title: 'Initializer' },
  { key: 'xavierUniform', title: 'Xavier U limit' },
  { key: 'xavierNormal', title: 'Xavier N σ' },
  { key: 'he', title: 'He σ' },
  { key: 'params', title: 'Params' },
];

/**
 * A shape in the report: the framework's tuple notation, as hovers and the CLI print it ((None, 28, 28, 1)), so
 * a shape reads the same wherever it is shown; the engine's symbol where a dimension is not known.
 */
export function reportShape(shape: Shape | null, symbol?: string): string {
  return formatShape(shape, symbol);
}

/** Layers as the framework counts them: Keras' `model.layers` and summary() leave the Input out. */
export function countedLayers(model: ModelReport): LayerReport[] {
  return model.framework === 'keras' ? model.layers.filter((l) => l.kind !== 'input') : model.layers;
}

/** A layer's name and class, the class left out where it only repeats the name (TF.js' `dense` named `dense`). */
export function layerLabel(layer: Pick<LayerReport, 'name' | 'type'>): string {
  return layer.name === layer.type ? layer.name : `${layer.name} (${layer.type})`;
}

export function modelRows(model: ModelReport): ReportRow[] {
  return model.layers.map((layer) => {
    const weight = mainWeight(layer) ?? layer.weights[0];
    const matrix = weight && weight.shape.length >= 2 ? weight : undefined;
    const initializer = weight ? `${weight.initializer}${weight.initializerSource === 'default' ? ' (default)' : ''}` : '—';
    return {
      line: layer.line,
      column: layer.range.start.column,
      ...(layer.cell === undefined ? {} : { cell: layer.cell }),
      cells: {
        layer: layerLabel(layer),
        line: formatWhere(layer),
        shape: `${reportShape(layer.inputShape, layer.symbolic?.inputShape)} → ${reportShape(layer.outputShape, layer.symbolic?.outputShape)}`,
        fanIn: matrix ? formatOrSymbol(matrix.fanIn, matrix.symbolic?.fanIn) : '—',
        fanOut: matrix ? formatOrSymbol(matrix.fanOut, matrix.symbolic?.fanOut) : '—',
        initializer,
        xavierUniform: matrix ? xavierLimitText(matrix) : '—',
        xavierNormal: matrix ? xavierStdText(matrix) : '—',
        he: matrix ? heStdText(matrix) : '—',
        params: formatCountOrSymbol(layer.params, layer.symbolic?.params),
      },
    };
  });
}

/** The CodeLens summary: "3 layers · 109,386 params" ("?" params where a count is unknown). */
export function modelSummaryTitle(model: ModelReport): string {
  const count = countedLayers(model).length;
  const layers = `${count} layer${count === 1 ? '' : 's'}`;
  const params = model.totalParams === null ? '? params' : `${formatCount(model.totalParams)} params`;
  return `${layers} · ${params}`;
}

function modelTitle(model: ModelReport): string {
  return `${modelDisplayName(model)} · ${FRAMEWORK_NAMES[model.framework]} ${model.kind} · ${model.cell === undefined ? 'line ' : ''}${formatWhere(model)}`;
}

function totalsText(model: ModelReport): string {
  const layers = countedLayers(model);
  const weighted = layers.filter((l) => l.weights.length > 0).length;
  const params = model.totalParams === null ? '?' : formatCount(model.totalParams);
  return `${layers.length} layer${layers.length === 1 ? '' : 's'} (${weighted} with weights) · ${params} params`;
}

/** Everything the report view shows for one file. */
export function buildReportModels(report: FileReport): ReportModel[] {
  return report.models.map((model) => ({
    title: modelTitle(model),
    name: model.name,
    line: model.line,
    rows: modelRows(model),
    totals: totalsText(model),
    totalParams: model.totalParams === null ? '?' : formatCount(model.totalParams),
  }));
}

/** What the report says when the file has no model. */
export function emptyReportMessage(fileName: string): string {
  return `No Keras, PyTorch or TF.js model found in ${fileName}.`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** The report as GitHub-flavoured markdown: one table per model with a totals row. */
export function reportMarkdown(report: FileReport, fileName: string): string {
  const models = buildReportModels(report);
  const out: string[] = [`# Xavier Lens: layers in ${fileName}`, '', 'Shapes as the framework prints them (None: the batch or a size not known); fans by the framework\'s own convention.', ''];
  if (!models.length && !wasNotRead(report)) out.push(emptyReportMessage(fileName), '');
  for (const model of models) {
    out.push(`## ${mdCell(model.title)}`, '');
    out.push(`| ${REPORT_COLUMNS.map((c) => c.title).join(' | ')} |`);
    out.push(`|${REPORT_COLUMNS.map((c) => (['layer', 'shape', 'initializer'].includes(c.key) ? '---' : '---:')).join('|')}|`);
    for (const row of model.rows) out.push(`| ${REPORT_COLUMNS.map((c) => mdCell(row.cells[c.key])).join(' | ')} |`);
    const blanks = REPORT_COLUMNS.slice(1, -1).map(() => ' ');
    out.push(`| **Total** |${blanks.join('|')}| **${model.totalParams}** |`, '');
  }
  for (const notice of report.notices) out.push(`> ${mdCell(notice)}`, '');
  return out.join('\n').trimEnd() + '\n';
}
