/**
 * `xavier-lens inspect FILE... [--json]`: the engine's report of each file, as a table for people or, with
 * --json, exactly the FileReport JSON (one object for one file, an array for several). A Jupyter notebook
 * (.ipynb) is read as one program of its code cells; its positions are {cell, line, column} in its cells.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeText, formatFileTable, setGrammarDirectory } from '../analysis/index';
import type { FileReport } from '../analysis/types';
import { analyzeNotebook } from '../analysis/notebook';

export const INSPECT_USAGE = 'usage: xavier-lens inspect FILE... [--json] [--max-bytes N]';

interface InspectOptions {
  files: string[];
  json: boolean;
  maxBytes?: number;
}

/** Parses the arguments; a string is a usage error to print. */
export function parseInspectArgs(args: readonly string[]): InspectOptions | string {
  const options: InspectOptions = { files: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') options.json = true;
    else if (arg === '--max-bytes') {
      const value = Number(args[++i]);
      if (!Number.isFinite(value) || value <= 0) return `--max-bytes needs a positive number\n${INSPECT_USAGE}`;
      options.maxBytes = value;
    } else if (arg === '--help' || arg === '-h') return INSPECT_USAGE;
    else if (arg.startsWith('--')) return `unknown option ${arg}\n${INSPECT_USAGE}`;
    else options.files.push(arg);
  }
  return options.files.length ? options : `no FILE given\n${INSPECT_USAGE}`;
}

/** Only the report's fields: JSON.stringify drops undefined, so the shape stays the FileReport's. */
function toJson(reports: FileReport[]): string {
  return JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2);
}

export async function runInspect(args: string[]): Promise<number> {
  const options = parseInspectArgs(args);
  if (typeof options === 'string') {
    console.error(options);
    return options === INSPECT_USAGE ? 0 : 2;
  }
  // In the bundle (dist/cli.js) the grammars are in dist/tree-sitter; run from sources, the loader finds the npm packages.
  if (__filename.endsWith('cli.js')) setGrammarDirectory(join(__dirname, 'tree-sitter'));
  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of options.files) {
    let text: string;
    let notUtf8 = false;
    try {
      const bytes = await readFile(file);
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        // Still read it (layers are ASCII), with U+FFFD for the bad bytes, and say so.
        notUtf8 = true;
        text = new TextDecoder('utf-8').decode(bytes);
      }
    } catch (error) {
      unreadable = true;
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`xavier-lens: cannot read ${file}: ${reason}`);
      reports.push({ file, models: [], notices: [`Cannot read the file: ${reason}`] });
      continue;
    }
    const report = file.toLowerCase().endsWith('.ipynb')
      ? await analyzeNotebook(text, file, { maxBytes: options.maxBytes })
      : await analyzeText(text, file, { maxBytes: options.maxBytes });
    if (notUtf8) report.notices.unshift('The file is not valid UTF-8: the bytes that are not were read as U+FFFD; layers read as far as possible.');
    reports.push(report);
  }
  if (options.json) console.log(toJson(reports));
  else console.log(reports.map(formatFileTable).join('\n\n'));
  return unreadable ? 1 : 0;
}
