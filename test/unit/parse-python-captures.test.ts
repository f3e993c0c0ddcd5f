/**
 * The Python reader's starting points (pythonCaptures.ts): reading simple top-level statements from their
 * nodes must give exactly the captures of the whole-tree query, the oracle, on every kind of file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { QueryCapture } from 'web-tree-sitter';
import { mayHoldNestedMatch, modelCodeCaptures, modelCodeCapturesByQuery } from '../../src/analysis/parse/pythonCaptures';
import { parseTree } from '../../src/analysis/parse/treeSitter';

const root = join(__dirname, '..', '..');

/** Captures as the reader uses them: name and node, and which call each assignment target belongs to. */
function normalised(captures: QueryCapture[]): string[] {
  const out: string[] = [];
  let target: QueryCapture | undefined;
  for (const c of captures) {
    out.push(`${c.name}@${c.node.startIndex}:${c.node.id}`);
    if (c.name === 'target') target = c;
    else if (c.name === 'call' && target && target.patternIndex === c.patternIndex) out.push(`  assigned to ${target.node.id}`);
  }
  return out;
}

async function assertSameCaptures(text: string, label: string): Promise<void> {
  const tree = await parseTree(text, 'python');
  try {
    assert.deepEqual(normalised(modelCodeCaptures(tree, text)), normalised(modelCodeCapturesByQuery(tree)), label);
  } finally {
    tree.delete();
  }
}

const SNIPPETS: [string, string][] = [
  ['assignment, call, import', 'import keras\nfrom keras import layers\nm = keras.Sequential([layers.Dense(4)])\nm.add(layers.Dense(2))\n'],
  ['annotated and chained assignments', 'x: int = f(1)\na = b = g(2)\nc += h(3)\nd, e = k(4), k(5)\n'],
  ['nested application in an argument', 'y = layers.Dense(3)(layers.Dense(2)(x))\nprint(f(g)(h))\n'],
  ['applications at the top of statements', 'x = layers.Dense(3)(x)\nlayers.Dense(2)(x)\nz = A(1)(2)(x)\nw = layers.Concatenate()([a, b])\n'],
  ['application inside the applied layer', 'y = layers.Dense(f(g)(h))(x)\ny = layers.Dense(3)(x, training=f(g)(h))\n'],
  ['application split by a comment and a line continuation', 'y = foo(bar, Dense(3)  # units\n  (x))\nz = foo(Dense(3) \\\n(x))\n'],
  ['application as a keyword value', 'model = keras.Model(inputs=x, outputs=layers.Dense(3)(x))\n'],
  ['list comprehension', 'blocks = [nn.Linear(a, b) for a, b in pairs]\nseq = nn.Sequential(*[nn.ReLU() for _ in range(3)])\n'],
  ['definitions and blocks', 'class Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(2, 3)\n\nif __name__ == "__main__":\n    m = Net()\n    m.apply(init)\n'],
  ['several calls in one statement', 'f(1), g(2)\n'],
  ['statements on one line', 'a = f(1); b = g(2); import os\n'],
  ['comments between statements', '# header\nx = f(1)  # trailing\n# between\ny = g(2)\n'],
  ['non-ASCII before the model', 's = "Gewichtsinitialisierung — Größe"\nm = keras.Sequential([layers.Dense(4, name="schicht_ä")])\n'],
  ['words containing for', 'format_ = before(forward, fork=formal)\n'],
  ['return at module level', 'return f(1)\n'],
];

describe('Python model-code captures', () => {
  for (const [label, text] of SNIPPETS) {
    it(`match the whole-tree query: ${label}`, async () => {
      await assertSameCaptures(text, label);
    });
  }

  it('match the whole-tree query on every example and fixture', async () => {
    const files = [
      ...readdirSync(join(root, 'examples')).map((f) => join(root, 'examples', f)),
      ...readdirSync(join(root, 'test', 'fixtures', 'models')).map((f) => join(root, 'test', 'fixtures', 'models', f)),
    ].filter((f) => f.endsWith('.py'));
    assert.ok(files.length >= 8, `found only ${files.length} Python files`);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      await assertSameCaptures(text, file);
      // Every statement boundary: the prefix up to each line end (many of them have syntax errors, some not).
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) await assertSameCaptures(text.slice(0, end + 1), `${file} up to offset ${end}`);
    }
  });

  it('flags the texts where a nested match may hide, and not plain statements', () => {
    const flags = (text: string) => mayHoldNestedMatch(text, 0, text.length);
    assert.equal(flags('y = Dense(3)(x)'), true);
    assert.equal(flags('y = Dense(3)  # c\n   (x)'), true);
    assert.equal(flags('y = Dense(3)\\\n(x)'), true);
    assert.equal(flags('[f(x) for x in y]'), true);
    assert.equal(flags('m = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dropout(0.1)])'), false);
    assert.equal(flags('format_ = before(forward, fork=formal)'), false);
    assert.equal(flags('x = f(a)[0](b)'), false); // a subscript in between: not a call of a call
  });
});
