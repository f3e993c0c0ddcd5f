/**
 * Jupyter notebooks as one program. The kernel runs a notebook's code cells top to bottom in one namespace, so a
 * constant in cell 1 sizes a layer in cell 3: the engine reads the code cells in order as one Python text, then
 * maps every range of the report back to the cell it came from.
 *
 * Each cell keeps its own lines: line k of a cell is line (start + k) of the program, columns unchanged, so the
 * map is one offset per cell. Text that is not Python is blanked line for line rather than dropped (IPython
 * magics `%time`, `!pip`, `x = !ls`, help `obj?`), so that nothing after it moves. A whole cell that is not
 * Python (another language, a `%%bash` cell) is left out and named in a notice.
 *
 * Pure (no editor API, no file system): the CLI passes the .ipynb text, the editor passes the cells of an open
 * notebook. Never throws: bad input becomes notices.
 */
import { analyzeText, DEFAULT_MAX_BYTES, utf8Length, type AnalyzeOptions } from './index';
import type { Node } from 'web-tree-sitter';
import { parseTree } from './parse/treeSitter';
import type { FileReport, Position, Range } from './types';

/** One cell as the editor or the .ipynb gives it. `index` is its place among all cells (markdown included), 0-based. */
export interface NotebookCell {
  index: number;
  /** `markdown`, `raw`, or the code cell's language (`python`, `r`, …). */
  kind: 'code' | 'markdown' | 'raw';
  language: string;
  text: string;
}

/** A position inside a cell: `cell` is the cell's 0-based index in the notebook (as nbformat and VS Code count). */
export interface CellPosition extends Position {
  cell: number;
}

/** Where each code cell sits in the program. */
export interface NotebookProgram {
  text: string;
  /** The program line each included cell starts on, and how many lines it has, in program order. */
  cells: { index: number; startLine: number; lineCount: number }[];
  notices: string[];
}

const isNameChar = (ch: string) => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_';

/** `model.fc1?`, `nn.Linear??`: IPython's help syntax (a dotted name and question marks, nothing else). */
function isHelpLine(trimmed: string): boolean {
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '?') end--;
  if (end === trimmed.length || end === 0) return false;
  for (let i = 0; i < end; i++) if (!isNameChar(trimmed[i]) && trimmed[i] !== '.') return false;
  return true;
}

/** `x = !ls`, `a, b = %sx cmd`: an assignment to plain names whose right side is IPython syntax. */
function isIPythonAssignment(trimmed: string): boolean {
  const eq = trimmed.indexOf('=');
  if (eq <= 0) return false;
  const right = trimmed.slice(eq + 1).trimStart();
  if (!right.startsWith('!') && !right.startsWith('%')) return false;
  const left = trimmed.slice(0, eq);
  for (const ch of left) if (!isNameChar(ch) && ch !== ',' && ch !== ' ') return false;
  return left.trim() !== '';
}

/** Line magics, shell escapes and help lines are IPython's own syntax, found by their first character as IPython does. */
function isIPythonLine(trimmed: string): boolean {
  return trimmed.startsWith('%') || trimmed.startsWith('!') || trimmed.startsWith('?') || isHelpLine(trimmed) || isIPythonAssignment(trimmed);
}

/** Cell magics whose body is still Python (it runs in the same namespace); other `%%` magics make the cell another language. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'python', 'python3', 'ipython', 'tensorboard', 'autoreload']);

/**
 * The cell's text with IPython-only lines blanked (same line count, same columns elsewhere), or a reason to
 * leave the whole cell out. A blanked line keeps its indentation and says `pass` so that a block it was the only
 * statement of stays a block.
 */
export function blankMagics(text: string, insideString: (line: number, column: number) => boolean = () => false): { text: string; blanked: number } | { skip: string } {
  const lines = text.split(/\r\n|\r|\n/);
  const first = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  if (first.startsWith('%%')) {
    const name = first.slice(2).split(/\s/)[0];
    if (!PYTHON_BODY_CELL_MAGICS.has(name)) return { skip: `a %%${name} cell is not Python` };
  }
  let blanked = 0;
  const out = lines.map((line, at) => {
    const trimmed = line.trim();
    const indent = line.length - line.trimStart().length;
    // A `%d` or `!` that starts a line of a multi-line string is the string's text, not a magic.
    if (!trimmed || !isIPythonLine(trimmed) || insideString(at, indent)) return line;
    blanked++;
    return `${line.slice(0, indent)}pass`;
  });
  return { text: out.join('\n'), blanked };
}

/** A marker appended after a cell that has syntax errors: if it still reads as a statement of its own, the error stayed inside the cell. */
const SENTINEL = '__xavier_cell_end__ = 0';

/** Does an error in this cell run on past its end (an unclosed bracket or string would swallow the next cells)? */
async function errorLeaksOut(text: string): Promise<boolean | 'clean'> {
  const tree = await parseTree(`${text}\n${SENTINEL}\n`, 'python');
  try {
    if (!tree.rootNode.hasError) return 'clean';
    const last = tree.rootNode.lastNamedChild;
    return !(last && last.type === 'expression_statement' && last.text === SENTINEL && !last.hasError);
  } finally {
    tree.delete();
  }
}

/** Which positions of the raw cell lie inside a Python string (tree-sitter reads the cell, magics and all). */
async function stringLines(text: string): Promise<(line: number, column: number) => boolean> {
  let tree;
  try {
    tree = await parseTree(text, 'python');
  } catch {
    return () => false;
  }
  const inside = new Set<string>();
  // An explicit stack, not recursion: the cell has not passed the engine's nesting bounds yet.
  const stack: Node[] = [tree.rootNode];
  try {
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.type === 'string') {
        // Lines after the opening one start inside the string.
        for (let line = node.startPosition.row + 1; line <= node.endPosition.row; line++) inside.add(String(line));
        continue;
      }
      // Only multi-line nodes can hold a multi-line string.
      if (node.endPosition.row > node.startPosition.row) for (const child of node.namedChildren) if (child) stack.push(child);
    }
  } finally {
    tree.delete();
  }
  return (line) => inside.has(String(line));
}

const cellName = (index: number) => `cell ${index + 1}`;

/**
 * Joins the Python code cells in order into one program. Markdown and raw cells are skipped quietly; code cells
 * of another language, `%%bash`-style cells and cells whose syntax error would run into the next cells are
 * left out with a notice naming them.
 */
export async function buildNotebookProgram(cells: readonly NotebookCell[]): Promise<NotebookProgram> {
  const parts: string[] = [];
  const placed: NotebookProgram['cells'] = [];
  const notices: string[] = [];
  let line = 0;
  for (const cell of cells) {
    if (cell.kind !== 'code') continue;
    const language = cell.language.toLowerCase();
    if (language !== 'python') {
      notices.push(`${cellName(cell.index)} is ${cell.language || 'of no language'}, not Python: skipped.`);
      continue;
    }
    const prepared = blankMagics(cell.text, await stringLines(cell.text));
    if ('skip' in prepared) {
      notices.push(`${cellName(cell.index)}: ${prepared.skip}: skipped.`);
      continue;
    }
    let leaks: boolean | 'clean' = 'clean';
    try {
      leaks = await errorLeaksOut(prepared.text);
    } catch {
      // The parser itself failed to load: analyzeText below says so for the whole program.
    }
    if (leaks === true) {
      notices.push(`${cellName(cell.index)} has a syntax error that runs past its end (an unclosed bracket or string): skipped; the other cells were read.`);
      continue;
    } else if (leaks === false) {
      notices.push(`${cellName(cell.index)} has syntax errors: read as far as possible.`);
    }
    const lineCount = prepared.text.split('\n').length;
    placed.push({ index: cell.index, startLine: line, lineCount });
    parts.push(prepared.text);
    line += lineCount;
  }
  return { text: parts.join('\n'), cells: placed, notices };
}

/** The cell position of a program position (the cell whose lines hold it; binary search over the starts). */
export function toCellPosition(program: Pick<NotebookProgram, 'cells'>, position: Position): CellPosition | undefined {
  const cells = program.cells;
  let lo = 0;
  let hi = cells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cell = cells[mid];
    if (position.line < cell.startLine) hi = mid - 1;
    else if (position.line >= cell.startLine + cell.lineCount) lo = mid + 1;
    else return { cell: cell.index, line: position.line - cell.startLine, column: position.column };
  }
  return undefined;
}

/** The program position of a cell position (for an editor position in a cell); undefined when the cell is not in the program. */
export function toProgramPosition(program: Pick<NotebookProgram, 'cells'>, position: CellPosition): Position | undefined {
  const cell = program.cells.find((c) => c.index === position.cell);
  if (!cell || position.line >= cell.lineCount) return undefined;
  return { line: cell.startLine + position.line, column: position.column };
}

function isPosition(value: unknown): value is Position {
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as Position).line === 'number' && typeof (value as Position).column === 'number';
}

/**
 * A copy of a program report with every position turned into a cell position ({cell, line, column}) and every
 * 1-based `line` of a layer or model made cell-relative, with its `cell` beside it. Walks the whole report, so a
 * range field added to the report later is mapped too.
 */
export function mapReportToCells(report: FileReport, program: Pick<NotebookProgram, 'cells'>, file: string): FileReport {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    if (isPosition(value)) return toCellPosition(program, value) ?? { cell: -1, line: value.line, column: value.column };
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = walk(field);
    // `line` (1-based) of a layer or a model sits next to its `range`: re-derive both from the mapped start.
    const range = out.range as { start?: CellPosition } | undefined;
    if (typeof out.line === 'number' && range?.start && typeof range.start.cell === 'number') {
      out.cell = range.start.cell;
      out.line = range.start.line + 1;
    }
    return out;
  };
  const mapped = walk(report) as FileReport;
  mapped.file = file;
  return mapped;
}

/** The notebook's cells from .ipynb JSON (nbformat 4; v3's worksheets too), or a reason it cannot be read. */
export function cellsFromIpynb(json: string): { cells: NotebookCell[]; notices: string[] } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { error: `the notebook is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { error: 'the notebook is not a JSON object with a "cells" list' };
  const nb = data as { cells?: unknown; worksheets?: { cells?: unknown }[]; metadata?: Record<string, unknown> };
  const raw = Array.isArray(nb.cells) ? nb.cells : Array.isArray(nb.worksheets) && Array.isArray(nb.worksheets[0]?.cells) ? nb.worksheets[0].cells : undefined;
  if (!raw) return { error: 'the notebook has no "cells" list (is it a Jupyter .ipynb file?)' };
  const metadata = nb.metadata ?? {};
  const kernel = (metadata.kernelspec as { language?: unknown } | undefined)?.language;
  const info = (metadata.language_info as { name?: unknown } | undefined)?.name;
  // A notebook without a declared language is taken as Python (Jupyter's default kernel).
  const notebookLanguage = typeof kernel === 'string' ? kernel : typeof info === 'string' ? info : 'python';
  const cells: NotebookCell[] = [];
  const notices: string[] = [];
  raw.forEach((entry: unknown, index: number) => {
    const cell = (entry && typeof entry === 'object' ? entry : {}) as { cell_type?: unknown; source?: unknown; input?: unknown; metadata?: Record<string, unknown> };
    const type = cell.cell_type;
    // Outputs are never looked at: only `source` (v4) or `input` (v3) is read.
    const source = cell.source ?? cell.input;
    const text = typeof source === 'string' ? source : Array.isArray(source) && source.every((s) => typeof s === 'string') ? source.join('') : undefined;
    if (type !== 'code' && type !== 'markdown' && type !== 'raw') {
      notices.push(`${cellName(index)} has no known cell_type: skipped.`);
      return;
    }
    if (text === undefined) {
      if (type === 'code') notices.push(`${cellName(index)} has no readable source: skipped.`);
      return;
    }
    // VS Code records a cell's language when it differs from the kernel's.
    const own = (cell.metadata?.vscode as { languageId?: unknown } | undefined)?.languageId;
    cells.push({ index, kind: type, language: type === 'code' ? (typeof own === 'string' ? own : notebookLanguage) : type, text });
  });
  return { cells, notices };
}

/** Analyses the cells as one program; the report's positions are cell positions. */
export async function analyzeNotebookCells(cells: readonly NotebookCell[], fileName: string, options: AnalyzeOptions = {}): Promise<FileReport> {
  const program = await buildNotebookProgram(cells).catch((error: unknown) => ({ text: '', cells: [], notices: [`Could not read the cells: ${error instanceof Error ? error.message : String(error)}`] }));
  if (!program.cells.length) {
    return { file: fileName, models: [], notices: [...program.notices, 'The notebook has no Python code cells to read.'] };
  }
  const report = await analyzeText(program.text, `${fileName}.py`, options);
  const mapped = mapReportToCells(report, program, fileName);
  mapped.notices = [...program.notices, ...mapped.notices];
  return mapped;
}

/**
 * Analyses an .ipynb file's text. The size limit applies to the code cells' source, not to the file: outputs
 * (images, logs) may make a notebook many MB whose code is small, and they are never parsed beyond JSON.
 */
export async function analyzeNotebook(json: string, fileName: string, options: AnalyzeOptions & { maxFileBytes?: number } = {}): Promise<FileReport> {
  const maxFileBytes = options.maxFileBytes ?? 20 * (options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (json.length > maxFileBytes || (json.length * 3 > maxFileBytes && utf8Length(json) > maxFileBytes)) {
    return { file: fileName, models: [], notices: [`Skipped: the notebook is larger than the limit of ${maxFileBytes} bytes for a notebook file.`] };
  }
  const read = cellsFromIpynb(json);
  if ('error' in read) return { file: fileName, models: [], notices: [`Not analysed: ${read.error}.`] };
  const report = await analyzeNotebookCells(read.cells, fileName, options);
  report.notices = [...read.notices, ...report.notices];
  return report;
}

/** "cell 3, line 4": how a person finds a position (both 1-based). */
export function cellLineText(position: CellPosition): string {
  return `cell ${position.cell + 1}, line ${position.line + 1}`;
}

export type { Range };
