/**
 * Text renderings of a report for people: numbers to 4 significant digits, unknowns as their symbolic text.
 * Used by the CLI table, the editor's "Copy as Markdown" and hovers.
 */
import type { FileReport, LayerReport, ModelReport, Shape, WeightReport } from './types';

/** 4 significant digits; integers as they are; null as `symbol` or `?`. */
export function formatNumber(value: number | null | undefined, symbol?: string): string {
  if (value === null || value === undefined) return symbol ?? '?';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** `(None, 28, 28, 1)`, with a symbolic text instead when there is one. */
export function formatShape(shape: Shape | null, symbol?: string): string {
  if (symbol) return symbol;
  if (!shape) return '?';
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** The initializer as people read it: its name, `(default)` when nobody chose it. */
export function formatInitializer(w: WeightReport): string {
  return w.initializerSource === 'default' ? `${w.initializer} (default)` : w.initializer;
}

/** Where a layer or model is written: `12`, or in a notebook `cell 3, line 4` (both counted from 1, as people count). */
export function formatWhere(item: { line: number; cell?: number }): string {
  return item.cell === undefined ? String(item.line) : `cell ${item.cell + 1}, line ${item.line}`;
}

/**
 * A model's name for people. A model bound to no name gets an internal id from its parser (`model@18`,
 * `graph@4`, `layers@7`: an @ no Python or JS identifier holds); people read "unnamed model" next to its line.
 */
export function modelDisplayName(model: { name: string }): string {
  return /@\d+$/.test(model.name) ? 'unnamed model' : model.name;
}

/** Notices that say the file was not read at all (too large, not code, minified): "no model found" would mislead. */
const NOT_READ = /^(Skipped|Not analysed|Could not read)\b/;

/** Whether the engine did not read the file: then only its notice is shown, never "no model found" before it. */
export function wasNotRead(report: FileReport): boolean {
  return report.models.length === 0 && report.notices.some((n) => NOT_READ.test(n));
}

const HEADER = ['Line', 'Layer', 'Type', 'Output shape', 'Params', 'Activation', 'Weight', 'Shape', 'fan_in', 'fan_out', 'Initializer', 'Xavier U limit', 'Xavier N σ', 'He σ', 'LeCun σ'];

/** One row per weight (the first carries the layer's columns); a layer without weights gets one row. */
function rows(layer: LayerReport): string[][] {
  const layerCells = [formatWhere(layer), layer.name, layer.type, formatShape(layer.outputShape, layer.symbolic?.outputShape),
    formatNumber(layer.params, layer.symbolic?.params), layer.activation ?? ''];
  if (layer.weights.length === 0) return [[...layerCells, '', '', '', '', '', '', '', '', '']];
  return layer.weights.map((w, i) => {
    const cells = [...(i === 0 ? layerCells : layerCells.map(() => '')), w.name, formatShape(w.shape, w.symbolic?.shape)];
    // A bias has no fans of its own (a framework's fans of a vector are a convention nobody scales by): its
    // Xavier/He columns would be advice for a weight that does not take it.
    if (/bias/i.test(w.name)) return [...cells, '—', '—', formatInitializer(w), '—', '—', '—', '—'];
    return [...cells, formatNumber(w.fanIn, w.symbolic?.fanIn), formatNumber(w.fanOut, w.symbolic?.fanOut),
      formatInitializer(w), formatNumber(w.xavierUniformLimit), formatNumber(w.xavierNormalStd), formatNumber(w.heNormalStd), formatNumber(w.lecunNormalStd)];
  });
}

function modelTitle(model: ModelReport): string {
  return `${modelDisplayName(model)} (${model.framework} ${model.kind}, ${model.cell === undefined ? 'line ' : ''}${formatWhere(model)}): ${formatNumber(model.totalParams, 'unknown')} parameters`;
}

function escapeCell(cell: string): string {
  return cell.split('|').join('\\|');
}

/** A GitHub-flavoured markdown table of one model. */
export function formatModelMarkdown(model: ModelReport): string {
  const lines = [`### ${modelTitle(model)}`, '', `| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => ' --- ').join('|')}|`];
  for (const layer of model.layers) for (const row of rows(layer)) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

/** Markdown of every model of a file, then its notices. */
export function formatFileMarkdown(report: FileReport): string {
  const parts = [`## ${report.file}`];
  if (report.models.length === 0 && !wasNotRead(report)) parts.push('No model found.');
  for (const model of report.models) parts.push(formatModelMarkdown(model));
  if (report.notices.length) parts.push(report.notices.map((n) => `> ${n}`).join('\n'));
  return parts.join('\n\n');
}

/** Columns padded to their widest cell, for a terminal. */
function alignedTable(table: string[][]): string {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => [...row[c]].length)));
  return table.map((row) => row.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** A plain-text report of a file for a terminal. */
export function formatFileTable(report: FileReport): string {
  const parts = [report.file];
  if (report.models.length === 0 && !wasNotRead(report)) parts.push('  no model found');
  for (const model of report.models) {
    const table = [HEADER, ...model.layers.flatMap(rows)];
    parts.push(`${modelTitle(model)}\n${alignedTable(table)}`);
  }
  for (const notice of report.notices) parts.push(`note: ${notice}`);
  return parts.join('\n\n');
}
