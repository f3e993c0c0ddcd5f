/**
 * How the benchmarks reach the analysis engine and the tree-sitter loader. They are imported by computed path so
 * that the bench still runs (and says "not available") before a teammate's module exists; the shapes below are
 * the parts of their APIs the benchmarks use, checked at run time.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LayerLike {
  line: number;
  name: string;
  type: string;
}
export interface FileReportLike {
  models: { name: string; layers: LayerLike[] }[];
  notices?: string[];
}
export type AnalyzeText = (text: string, fileName: string) => FileReportLike | Promise<FileReportLike>;

interface TreeLike {
  delete(): void;
}
interface ParserLike {
  parse(text: string): TreeLike | null;
}
export type ParserFor = (language: string) => Promise<ParserLike>;

export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

async function importExport<T>(relativePath: string, exportName: string): Promise<Loaded<T>> {
  const file = join(repoRoot, relativePath);
  if (!existsSync(file)) return { ok: false, reason: `${relativePath} does not exist yet` };
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `${relativePath} failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  const value = module[exportName];
  if (typeof value !== 'function') return { ok: false, reason: `${relativePath} exports no ${exportName}()` };
  return { ok: true, value: value as T };
}

export const loadAnalyzeText = () => importExport<AnalyzeText>('src/analysis/index.ts', 'analyzeText');
export const loadParserFor = () => importExport<ParserFor>('src/analysis/parse/treeSitter.ts', 'parserFor');

/** The tree-sitter grammar that reads a file, or 'json' for model topologies (read with JSON.parse). */
export function grammarOf(fileName: string): string | null {
  switch (extname(fileName).toLowerCase()) {
    case '.py':
      return 'python';
    case '.ts':
    case '.mts':
    case '.cts':
      return 'typescript';
    case '.tsx':
      return 'tsx';
    case '.js':
    case '.mjs':
    case '.cjs':
      return 'javascript';
    case '.json':
      return 'json';
    default:
      return null;
  }
}

export function layerCount(report: FileReportLike): number {
  return report.models.reduce((n, m) => n + m.layers.length, 0);
}

/** `--name value` from argv. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
