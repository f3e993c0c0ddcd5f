/**
 * Entry point of the source readers: text in, what the model code says out (see ../ir.ts).
 * Never throws for bad input: a reader failure becomes a notice and an empty result.
 */
import type { ParseResult } from '../ir';
import { readPython } from './python';
import { parseTree, type SourceLanguage } from './treeSitter';
import { readTypeScript } from './typescript';

export { setGrammarDirectory } from './treeSitter';
export type { SourceLanguage } from './treeSitter';

export async function parseSource(text: string, language: SourceLanguage): Promise<ParseResult> {
  const tree = await parseTree(text, language);
  try {
    return language === 'python' ? readPython(tree, text) : readTypeScript(tree, text);
  } catch (error) {
    // A reader bug must not take the editor down with it: say so and report nothing rather than half.
    const message = error instanceof Error ? error.message : String(error);
    return { models: [], notices: [`Could not read the model code (${message}).`] };
  } finally {
    tree.delete();
  }
}
