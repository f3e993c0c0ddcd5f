/**
 * Named arguments read from their text (literals.ts, through `literalKeywordArgument` for Python and
 * `literalPair` for TypeScript) against the same arguments read from their nodes (`keywordArgument`, `pair`:
 * the tree-sitter oracle): equal wherever the text path answers, and the text path declines whatever is not
 * one plain literal or name.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Argument } from '../../src/analysis/ir';
import { PythonValues, TsValues } from '../../src/analysis/parse/values';
import { parseTree, type SourceLanguage } from '../../src/analysis/parse/treeSitter';
import type { Node } from 'web-tree-sitter';

const root = join(__dirname, '..', '..');

interface Reader {
  language: SourceLanguage;
  nodeType: string;
  byText(node: Node, scopes: Node[]): Argument | undefined;
  byNodes(node: Node, scopes: Node[]): Argument | undefined;
}

const python: Reader = {
  language: 'python',
  nodeType: 'keyword_argument',
  byText: (node, scopes) => new PythonValues().literalKeywordArgument(node, scopes, 0),
  byNodes: (node, scopes) => new PythonValues().keywordArgument(node, scopes, 0),
};

const typescript: Reader = {
  language: 'typescript',
  nodeType: 'pair',
  byText: (node, scopes) => new TsValues().literalPair(node, scopes, 0),
  byNodes: (node, scopes) => new TsValues().pair(node, scopes, 0),
};

/** Compares both ways on every named argument of `text`; returns how many the text path answered and declined. */
async function compareBothWays(reader: Reader, text: string, label: string): Promise<{ answered: number; declined: number }> {
  const tree = await parseTree(text, reader.language);
  try {
    const scopes = [tree.rootNode];
    let answered = 0;
    let declined = 0;
    for (const node of tree.rootNode.descendantsOfType(reader.nodeType)) {
      if (!node) continue;
      const quick = reader.byText(node, scopes);
      if (!quick) {
        declined++;
        continue;
      }
      answered++;
      assert.deepEqual(quick, reader.byNodes(node, scopes), `${label}: ${node.text}`);
    }
    return { answered, declined };
  } finally {
    tree.delete();
  }
}

function corpus(extension: string): string[] {
  return [
    ...readdirSync(join(root, 'examples')).map((f) => join(root, 'examples', f)),
    ...readdirSync(join(root, 'test', 'fixtures', 'models')).map((f) => join(root, 'test', 'fixtures', 'models', f)),
  ].filter((f) => f.endsWith(extension));
}

for (const [reader, extension] of [[python, '.py'], [typescript, '.ts']] as const) {
  describe(`${reader.language} named arguments read from their text`, () => {
    it('equal the node reading on every example and fixture, and on every line-prefix of them', async () => {
      let answered = 0;
      for (const file of corpus(extension)) {
        const text = readFileSync(file, 'utf8');
        answered += (await compareBothWays(reader, text, file)).answered;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) await compareBothWays(reader, text.slice(0, end + 1), `${file} up to ${end}`);
      }
      assert.ok(answered >= 30, `the text path answered only ${answered} arguments`);
    });
  });
}

const pythonAnswers = [
  'units=64', 'rate=0.5', 'rate=.5', 'rate=1.', 'epsilon=1e-3', 'epsilon=2.5E+4', 'n=0', 'use_bias=False', 'flag=True', 'x=None',
  'activation="relu"', "activation='relu'", 'name=""', "padding=u'same'", 'pattern=r"a.b"', 'doc="""one line"""', "doc=''''''",
  'units = 64', 'units=\t64', 'units=hidden', 'initializer=init', 'name="schicht_ä"', 'name="名前"', 'name="🙂 emoji"',
];
const pythonDeclines = [
  'units=-1', 'units=0x10', 'units=1_000', 'units=007', 'units=1j', 'units=1e999', 'units=2 ** 3', 'units=(64)', 'units=hidden.size',
  'name="a" "b"', 'name=f"x{y}"', 'name=b"x"', 'name="a\\"b"', "name='it''s'", 'name="""a\nb"""', 'name=rb"x"',
  'units  # the width\n = 64', 'units=\\\n64', 'units=\n64', 'units=lambda', 'units=not_a_call()',
];
const typescriptAnswers = [
  'units: 64', 'rate: 0.5', 'rate: .5', 'epsilon: 1e-3', 'useBias: false', 'trainable: true', 'seed: null', 'seed: undefined',
  "activation: 'relu'", 'activation: "relu"', "name: ''", 'units: HIDDEN', "name: 'schicht_ä'", "name: '🙂 emoji'", 'units:64',
];
const typescriptDeclines = [
  'units: -1', 'units: 0x10', 'units: 1_000', 'units: 10n', 'units: 1e999', 'units: 2 * 3', 'units: (64)', 'units: cfg.units',
  'name: `relu`', "name: 'a\\'b'", "'units': 64", '[key]: 64', 'units /* w */: 64', 'units: /* w */ 64', 'units:\n64',
  'units: this', 'units: 64 as number', "name: r'x'",
];

const cases: [Reader, string, string[], boolean][] = [
  [python, 'hidden = 32\ninit = "he_normal"\nf(%)\n', pythonAnswers, true],
  [python, 'f(%)\n', pythonDeclines, false],
  [typescript, "const HIDDEN = 32;\nf({ % });\n", typescriptAnswers, true],
  [typescript, 'f({ % });\n', typescriptDeclines, false],
];
for (const [reader, template, list, answers] of cases) {
  describe(`${reader.language}: ${answers ? 'answers as the nodes do' : 'declines (read from the nodes)'}`, () => {
    for (const argument of list) {
      it(JSON.stringify(argument), async () => {
        const counts = await compareBothWays(reader, template.replace('%', argument), argument);
        if (answers) assert.deepEqual(counts, { answered: 1, declined: 0 });
        else assert.equal(counts.answered, 0, `answered ${argument}`);
      });
    }
  });
}
