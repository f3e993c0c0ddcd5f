/**
 * The edit a quick fix makes for a finding, in the framework's own idiom. Pure: takes the engine's
 * report and the document's text, returns plain edits; src/editor/codeActions.ts applies them.
 *
 *   Keras    kernel_initializer='he_normal'            (replace the written value, or add the keyword)
 *   TF.js    kernelInitializer: 'heNormal'             (replace the written value, or add the key)
 *   PyTorch  nn.init.kaiming_normal_(self.fc1.weight, nonlinearity='relu')   (a line at the end of __init__)
 */
import type { Finding, SuggestedInitializer } from '../analysis/findings';
import type { FileReport, LayerReport, ModelReport, Position, Range } from '../analysis/types';
import type { DocumentAnalysis } from './analysisCache';

export interface PlainTextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: PlainTextEdit[];
}

const KERAS_NAMES: Record<SuggestedInitializer, string> = { he_normal: 'he_normal', glorot_uniform: 'glorot_uniform' };
const TFJS_NAMES: Record<SuggestedInitializer, string> = { he_normal: 'heNormal', glorot_uniform: 'glorotUniform' };

/** Offsets of each line start, so (line, column) positions map onto the text. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: number[], position: Position): number {
  return (starts[position.line] ?? starts[starts.length - 1]) + position.column;
}

function positionOf(starts: number[], offset: number): Position {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, column: offset - starts[line] };
}

/** String literals written with ' or " (a rough scan: a triple-quoted docstring counts as its first quote). */
const STRING_LITERAL = /(["'])(?:\\.|(?!\1)[^\\\n])*\1/g;

/**
 * The quote a fix should write: the one of the first string in `range` (the call being fixed), else the one most
 * strings in the file use, else single (the frameworks' own examples). A fix must not look foreign in its file.
 */
export function quoteStyle(text: string, range?: Range): "'" | '"' {
  if (range) {
    const starts = lineStarts(text);
    const first = text.slice(offsetOf(starts, range.start), offsetOf(starts, range.end)).match(STRING_LITERAL)?.[0];
    if (first) return first[0] === '"' ? '"' : "'";
  }
  let single = 0;
  let double = 0;
  for (const match of text.matchAll(STRING_LITERAL)) {
    if (match[0][0] === '"') double++;
    else single++;
  }
  return double > single ? '"' : "'";
}

const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

/**
 * An insertion of `entry` (e.g. `kernel_initializer='he_normal'`) as the last entry of the bracketed
 * list at `listRange` (a call's parentheses or a config object's braces), keeping its layout: after
 * an opening bracket, after a trailing comma (on its own line when the list is one entry per line), or
 * after the last entry with a comma in front.
 */
export function appendToBracketedList(text: string, listRange: Range, entry: string): PlainTextEdit | undefined {
  const starts = lineStarts(text);
  const open = offsetOf(starts, listRange.start);
  const close = offsetOf(starts, listRange.end) - 1;
  if (close <= open || !'({'.includes(text[open]) || !')}'.includes(text[close])) return undefined;
  let last = close - 1;
  while (last > open && isSpace(text[last])) last--;
  const pad = text[close] === '}' ? ' ' : '';
  if (last === open) {
    return { range: { start: positionOf(starts, open + 1), end: positionOf(starts, close) }, newText: `${pad}${entry}${pad}` };
  }
  const at = positionOf(starts, last + 1);
  if (text[last] === ',') {
    const between = text.slice(last + 1, close);
    if (between.includes('\n')) {
      // One entry per line: the new one goes on its own line, indented like the previous entry.
      const previousLineStart = starts[positionOf(starts, last).line];
      let indentEnd = previousLineStart;
      while (text[indentEnd] === ' ' || text[indentEnd] === '\t') indentEnd++;
      const indent = text.slice(previousLineStart, indentEnd);
      return { range: { start: at, end: at }, newText: `\n${indent}${entry},` };
    }
    return { range: { start: at, end: at }, newText: ` ${entry}` };
  }
  return { range: { start: at, end: at }, newText: `, ${entry}` };
}

/** PyTorch's `nn.init` call for a suggestion on `self.<layer>.<param>`. */
export function pytorchInitLine(layerName: string, param: string, suggestion: SuggestedInitializer, nonlinearity: Finding['nonlinearity'], quote: "'" | '"' = "'"): string {
  const target = `self.${layerName}.${param}`;
  // kaiming_normal_ is only ever suggested for ReLU layers; its gain is ReLU's √2.
  if (suggestion === 'he_normal') return `nn.init.kaiming_normal_(${target}, nonlinearity=${quote}relu${quote})`;
  const gain = nonlinearity === 'tanh' || nonlinearity === 'sigmoid' || nonlinearity === 'relu' ? `, gain=nn.init.calculate_gain(${quote}${nonlinearity}${quote})` : '';
  return `nn.init.xavier_uniform_(${target}${gain})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function pytorchFix(finding: Finding, model: ModelReport, layer: LayerReport, text: string): QuickFix | undefined {
  const insertion = model.initInsertion;
  // Layers without an attribute name of their own (inside an nn.Sequential) have no `self.<name>` to target.
  if (!insertion || !IDENTIFIER.test(layer.name)) return undefined;
  const line = pytorchInitLine(layer.name, finding.weightName, finding.suggestion, finding.nonlinearity, quoteStyle(text, layer.range));
  const at = insertion.position;
  const newText = at.column === 0 ? `${insertion.indent}${line}\n` : `\n${insertion.indent}${line}`;
  return { title: `Add ${line} at the end of __init__`, edits: [{ range: { start: at, end: at }, newText }] };
}

function kerasLikeFix(finding: Finding, layer: LayerReport, text: string, key: string, value: string, separator: string, wrapInObject: boolean): QuickFix | undefined {
  const weight = layer.weights.find((w) => w.name === finding.weightName);
  const quote = quoteStyle(text, layer.argsRange);
  const quoted = `${quote}${value}${quote}`;
  if (weight?.initializerRange) {
    return { title: `Use ${key}${separator}${quoted}`, edits: [{ range: weight.initializerRange, newText: quoted }] };
  }
  const entry = `${key}${separator}${quoted}`;
  const edit = appendToBracketedList(text, layer.argsRange, wrapInObject ? `{ ${entry} }` : entry);
  return edit && { title: `Add ${entry}`, edits: [edit] };
}

/** model.json (Keras topology): the initializer is a `{class_name, config}` object. */
function modelJsonFix(finding: Finding, layer: LayerReport): QuickFix | undefined {
  const weight = layer.weights.find((w) => w.name === finding.weightName);
  if (!weight?.initializerRange) return undefined;
  const className = finding.suggestion === 'he_normal' ? 'HeNormal' : 'GlorotUniform';
  return {
    title: `Use ${className}`,
    edits: [{ range: weight.initializerRange, newText: `{"class_name": "${className}", "config": {"seed": null}}` }],
  };
}

/** The quick fix for one finding, or undefined where no edit in the framework's idiom fits (said in the notes). */
export function quickFixFor(finding: Finding, report: FileReport, text: string): QuickFix | undefined {
  const model = report.models[finding.modelIndex];
  const layer = model?.layers[finding.layerIndex];
  if (!model || !layer) return undefined;
  if (model.framework === 'pytorch') return pytorchFix(finding, model, layer, text);
  // Only the kernel has a keyword of its own here; recurrent kernels and others are left to the user.
  if (finding.weightName !== 'kernel') return undefined;
  if (report.file.toLowerCase().endsWith('.json')) return modelJsonFix(finding, layer);
  if (model.framework === 'keras') {
    return kerasLikeFix(finding, layer, text, 'kernel_initializer', KERAS_NAMES[finding.suggestion], '=', false);
  }
  const starts = lineStarts(text);
  const argsText = text.slice(offsetOf(starts, layer.argsRange.start), offsetOf(starts, layer.argsRange.end));
  const startsWithParen = argsText.startsWith('(');
  // A config passed as a variable (`tf.layers.dense(cfg)`) has no literal to add a key to.
  if (startsWithParen && argsText.slice(1, -1).trim() !== '') return undefined;
  return kerasLikeFix(finding, layer, text, 'kernelInitializer', TFJS_NAMES[finding.suggestion], ': ', startsWithParen);
}

/** A diagnostic as the quick-fix lookup needs it: its code and range as shown (`item` is the caller's own object). */
export interface ShownDiagnostic<T> {
  code: unknown;
  range: Range;
  item: T;
}

/**
 * The fix for each shown diagnostic that has one: its finding is looked up by code and range in the document's
 * cached analysis (no finding is recomputed), then turned into edits. Diagnostics without a fix are left out.
 */
export function quickFixesForDiagnostics<T>(analysis: DocumentAnalysis, diagnostics: readonly ShownDiagnostic<T>[], text: string): { item: T; fix: QuickFix }[] {
  const out: { item: T; fix: QuickFix }[] = [];
  for (const diagnostic of diagnostics) {
    const finding = typeof diagnostic.code === 'string' ? analysis.findingAt(diagnostic.code, diagnostic.range) : undefined;
    const fix = finding && quickFixFor(finding, analysis.report, text);
    if (fix) out.push({ item: diagnostic.item, fix });
  }
  return out;
}
