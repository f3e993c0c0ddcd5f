/**
 * The engine's public API: a file's text in, a FileReport out. Pure TypeScript (no editor API), used by the
 * CLI, the editor adapters and the benchmarks. Never throws: problems become notices.
 */
import type { ParseResult } from './ir';
import type { FileReport } from './types';
import { parseJsonModel } from './parse/json';
import { parseSource, type SourceLanguage } from './parse/index';
import { reportModel } from './report';
import { modelDisplayName } from './format';
import { sourceBoundsNotice, type InputBounds } from './inputBounds';

export type * from './types';
export { setGrammarDirectory } from './parse/index';
/** The engine's own tree-sitter loader: tools that time the bare parse (`npm run bench`) use the same parsers. */
export { parserFor } from './parse/treeSitter';
export { MAX_BRACKET_DEPTH, MAX_LINE_LENGTH } from './inputBounds';
export { formatFileMarkdown, formatFileTable, formatModelMarkdown, formatNumber, formatShape, formatWhere, modelDisplayName, wasNotRead } from './format';

/** Files larger than this are skipped with a notice unless the caller sets another limit. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export interface AnalyzeOptions extends InputBounds {
  /** Skip (with a notice) texts larger than this many bytes (UTF-8). Default 5 MiB. */
  maxBytes?: number;
}

export type InputLanguage = SourceLanguage | 'json';

/** The reader for a file name, by extension: .py, .ts, .tsx, .js/.mjs/.cjs/.jsx, .json; undefined otherwise. */
export function languageOf(fileName: string): InputLanguage | undefined {
  const dot = fileName.lastIndexOf('.');
  const extension = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  switch (extension) {
    case 'py': case 'pyi': return 'python';
    case 'ts': case 'mts': case 'cts': return 'typescript';
    case 'tsx': return 'tsx';
    case 'js': case 'mjs': case 'cjs': case 'jsx': return 'javascript';
    case 'json': return 'json';
    default: return undefined;
  }
}

/** UTF-8 byte length without Node's Buffer (the engine may run in a browser). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function message(error: unknown): string {
  // A reader that recurses (jsonc-parser) overflows the stack on absurdly nested input: say what that means.
  if (error instanceof RangeError && error.message.includes('call stack')) return 'it is nested too deeply to read';
  return error instanceof Error ? error.message : String(error);
}

/** Analyses one file's text. The language comes from `fileName`'s extension. */
export async function analyzeText(text: string, fileName: string, options: AnalyzeOptions = {}): Promise<FileReport> {
  // A notebook's JSON carries outputs that do not count against the size limit: notebook.ts applies its own.
  // Imported on demand: notebook.ts itself imports this module.
  if (fileName.toLowerCase().endsWith('.ipynb')) return (await import('./notebook')).analyzeNotebook(text, fileName, options);
  const report: FileReport = { file: fileName, models: [], notices: [] };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Length in UTF-16 units is a lower bound of the UTF-8 size; count bytes exactly only near the limit.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    report.notices.push(`Skipped: the file is larger than the analysis limit of ${maxBytes} bytes.`);
    return report;
  }
  const language = languageOf(fileName);
  if (!language) {
    report.notices.push(`Not analysed: ${fileName} is not a Python, TypeScript, JavaScript or JSON file.`);
    return report;
  }
  // Source code never holds a NUL: such a file is binary (a .pyc, weights, an image) under a code file's name.
  if (text.includes('\u0000')) {
    report.notices.push(`Not analysed: ${fileName} looks like a binary file (it contains NUL bytes), not ${language === 'json' ? 'JSON' : 'source code'}.`);
    return report;
  }
  // Source files only: shapes of text on which tree-sitter itself is slow (see inputBounds.ts).
  const outOfBounds = language === 'json' ? undefined : sourceBoundsNotice(text, options);
  if (outOfBounds) {
    report.notices.push(outOfBounds);
    return report;
  }
  let parsed: ParseResult;
  try {
    parsed = language === 'json' ? parseJsonModel(text) : await parseSource(text, language);
  } catch (error) {
    report.notices.push(`Could not read the file: ${message(error)}`);
    return report;
  }
  report.notices.push(...parsed.notices);
  for (const model of parsed.models) {
    try {
      report.models.push(reportModel(model));
    } catch (error) {
      // An engine bug on one model must not hide the others.
      report.notices.push(`Could not analyse ${modelDisplayName(model)} (line ${model.range.start.line + 1}): ${message(error)}`);
    }
  }
  return report;
}
