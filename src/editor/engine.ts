/**
 * Loads the analysis engine on first use. The dynamic imports keep tree-sitter (and its WASM) off the
 * activation path: esbuild bundles them but runs their module code only when this is first called.
 */
import type { AnalysisEngine } from './analysisCache';

/** `grammarDirectory` is the extension's dist/tree-sitter, where the build copies the runtime and grammars. */
export async function loadAnalysisEngine(grammarDirectory: string): Promise<AnalysisEngine> {
  const { analyzeText, setGrammarDirectory } = await import('../analysis/index');
  setGrammarDirectory(grammarDirectory);
  return { analyzeText: (text, fileName, options) => analyzeText(text, fileName, options) };
}
