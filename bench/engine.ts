/**
 * How the benchmarks reach the analysis engine and its tree-sitter loader: from the bundle the extension ships
 * (dist/analysis.js), so the figures are those of the code users run, not of the sources run through tsx. The
 * shapes below are the parts of its API the benchmarks use, checked at run time.
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

/** The engine as the extension ships it: the bundle dist/analysis.js (built by run.mjs), grammars from dist/tree-sitter/. */
const ENGINE_BUNDLE = 'dist/analysis.js';
let engineModule: Promise<Record<string, unknown>> | undefined;

async function loadEngineBundle(): Promise<Record<string, unknown>> {
  const file = join(repoRoot, ENGINE_BUNDLE);
  if (!existsSync(file)) throw new Error(`${ENGINE_BUNDLE} does not exist: run \`node scripts/build.mjs\``);
  const imported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  // A CommonJS bundle: its exports are on the namespace and on `default`.
  const module = { ...(imported.default as Record<string, unknown> | undefined), ...imported };
  if (typeof module.setGrammarDirectory === 'function') (module.setGrammarDirectory as (dir: string) => void)(join(repoRoot, 'dist', 'tree-sitter'));
  return module;
}

async function importExport<T>(exportName: string): Promise<Loaded<T>> {
  let module: Record<string, unknown>;
  try {
    module = await (engineModule ??= loadEngineBundle());
  } catch (error) {
    return { ok: false, reason: `${ENGINE_BUNDLE} failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
  const value = module[exportName];
  if (typeof value !== 'function') return { ok: false, reason: `${ENGINE_BUNDLE} exports no ${exportName}()` };
  return { ok: true, value: value as T };
}

export const loadAnalyzeText = () => importExport<AnalyzeText>('analyzeText');
export const loadParserFor = () => importExport<ParserFor>('parserFor');

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
