/**
 * The tree-sitter loader: grammars from a folder named with setGrammarDirectory (as the bundles do with
 * dist/tree-sitter), a clear error naming the path when a file is missing, and one parser per language.
 * (node --test runs each file in its own process, so this file starts with a fresh loader.)
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSource, setGrammarDirectory } from '../../src/analysis/parse/index';
import { parserFor } from '../../src/analysis/parse/treeSitter';

const empty = mkdtempSync(join(tmpdir(), 'xavier-grammars-empty-'));
const folder = mkdtempSync(join(tmpdir(), 'xavier-grammars-'));
after(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('tree-sitter loader', () => {
  it('names the missing file when the grammar folder lacks it, and recovers once pointed at a good one', async () => {
    setGrammarDirectory(empty);
    await assert.rejects(parseSource('x = 1\n', 'python'), (error: Error) => error.message.includes(empty));
    copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(folder, 'web-tree-sitter.wasm'));
    for (const lang of ['python', 'typescript']) {
      copyFileSync(require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${lang}.wasm`), join(folder, `tree-sitter-${lang}.wasm`));
    }
    setGrammarDirectory(folder);
    const result = await parseSource('import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 3))\n', 'python');
    assert.equal(result.models[0].layers[0].type, 'Linear');
  });

  it('creates one parser per language, also under concurrent first use', async () => {
    const [a, b] = await Promise.all([parserFor('typescript'), parserFor('typescript')]);
    assert.equal(a, b);
    assert.equal(await parserFor('python'), await parserFor('python'));
    assert.notEqual(await parserFor('python'), a);
  });
});
