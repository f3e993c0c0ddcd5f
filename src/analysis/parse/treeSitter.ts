/**
 * The one place that loads tree-sitter: the WASM runtime once, then each grammar once, on first use.
 *
 * Where the .wasm files live depends on who runs the engine: the bundles in dist/ call
 * `setGrammarDirectory(<dist>/tree-sitter)` (the build copies the runtime and grammars there); tests and
 * scripts that run the sources directly fall back to the npm packages, found with require.resolve.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type SourceLanguage = 'python' | 'typescript' | 'tsx' | 'javascript';

let grammarDirectory: string | undefined;
let runtimeReady: Promise<void> | undefined;
const languages = new Map<SourceLanguage, Promise<Language>>();
const parsers = new Map<SourceLanguage, Parser>();

/** Points the loader at a folder holding web-tree-sitter.wasm and tree-sitter-<language>.wasm. */
export function setGrammarDirectory(dir: string): void {
  if (grammarDirectory === dir) return;
  grammarDirectory = dir;
  // Grammars already loaded stay valid; only files not loaded yet come from the new folder.
}

function packageResolver(): NodeJS.Require {
  // Under tsx (CommonJS) and in the esbuild CJS bundles `require` exists; elsewhere resolve from the cwd.
  return typeof require === 'function' ? require : createRequire(join(process.cwd(), 'noop.js'));
}

function runtimeWasmPath(): string {
  if (grammarDirectory) return join(grammarDirectory, 'web-tree-sitter.wasm');
  return packageResolver().resolve('web-tree-sitter/web-tree-sitter.wasm');
}

function grammarWasmPath(language: SourceLanguage): string {
  const file = `tree-sitter-${language}.wasm`;
  if (grammarDirectory) return join(grammarDirectory, file);
  return packageResolver().resolve(`@vscode/tree-sitter-wasm/wasm/${file}`);
}

function missing(what: string, path: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`Could not load the tree-sitter ${what} from ${path}: ${reason}`);
}

function initRuntime(): Promise<void> {
  if (!runtimeReady) {
    const wasm = runtimeWasmPath();
    // Checked first: the Emscripten loader would print its own abort message before failing.
    if (!existsSync(wasm)) return Promise.reject(missing('runtime', wasm, new Error('no such file')));
    runtimeReady = Parser.init({ locateFile: () => wasm }).catch((error: unknown) => {
      runtimeReady = undefined; // let a later call retry (e.g. after setGrammarDirectory)
      throw missing('runtime', wasm, error);
    });
  }
  return runtimeReady;
}

function loadLanguage(language: SourceLanguage): Promise<Language> {
  let loading = languages.get(language);
  if (!loading) {
    loading = initRuntime().then(() => {
      const path = grammarWasmPath(language);
      if (!existsSync(path)) throw missing(`${language} grammar`, path, new Error('no such file'));
      return Language.load(path).catch((error: unknown) => {
        throw missing(`${language} grammar`, path, error);
      });
    });
    loading.catch(() => languages.delete(language));
    languages.set(language, loading);
  }
  return loading;
}

/** A parser for `language`, created once and reused (parsing is synchronous, so sharing is safe). */
export async function parserFor(language: SourceLanguage): Promise<Parser> {
  const existing = parsers.get(language);
  if (existing) return existing;
  const lang = await loadLanguage(language);
  let parser = parsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(language, parser);
  }
  return parser;
}

/** Parses `text`; the caller owns the tree and must call `tree.delete()` (trees live in WASM memory). */
export async function parseTree(text: string, language: SourceLanguage): Promise<Tree> {
  const parser = await parserFor(language);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language}`);
  return tree;
}
