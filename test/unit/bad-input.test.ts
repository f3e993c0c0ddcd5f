/**
 * Bad inputs get a clear message and lose nothing. Covered here: non-UTF-8 text (CLI), a binary file named .py,
 * a model.json that is not JSON or has another schema, a file over the size limit.
 * Covered by teammates' tests and not repeated here: IDX wrong magic / wrong sizes / truncated gzip
 * (test/unit/data-idx.test.ts), an .npz without the expected arrays (test/unit/npy-npz.test.ts), the editor's
 * own size limit from xavierLens.analysis.maxFileSizeKB (test/unit/editor-cache.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzeText } from '../../src/analysis/index';
import { runInspect } from '../../src/cli/inspect';

const root = join(__dirname, '..', '..');
const seed = readFileSync(join(root, 'examples', 'seed_keras_mlp.py'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'xl-bad-input-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI with --json and returns the parsed report and the exit code, capturing stdout. */
async function inspectJson(file: string): Promise<{ code: number; report: { models: { layers: { weights: { fanIn: number }[] }[] }[]; notices: string[] } }> {
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void out.push(args.join(' '));
  try {
    const code = await runInspect([file, '--json']);
    return { code, report: JSON.parse(out.join('\n')) };
  } finally {
    console.log = log;
  }
}

test('non-UTF-8 text: the CLI says so and still reads every layer', async () => {
  // A Latin-1 comment (é as the single byte 0xE9) in the seed model: invalid UTF-8.
  const latin1 = Buffer.concat([Buffer.from('# mod\xe8le de r\xe9f\xe9rence\n', 'latin1'), Buffer.from(seed, 'utf8')]);
  const file = join(work, 'latin1_model.py');
  writeFileSync(file, latin1);
  const { code, report } = await inspectJson(file);
  assert.equal(code, 0);
  assert.match(report.notices[0], /not valid UTF-8/);
  assert.equal(report.models.length, 1, 'nothing lost');
  assert.deepEqual(report.models[0].layers.map((l) => l.weights[0]?.fanIn ?? null), [null, 784, 128, 64]);
});

test('a binary file named .py is not analysed, with a notice that says it is binary', async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0, 16]);
  const report = await analyzeText(new TextDecoder().decode(png), 'weights.py');
  assert.deepEqual(report.models, []);
  assert.equal(report.notices.length, 1);
  assert.match(report.notices[0], /weights\.py looks like a binary file \(it contains NUL bytes\)/);
  // Through the CLI too, from disk, with exit code 0 (the report is the answer).
  const file = join(work, 'compiled.py');
  writeFileSync(file, png);
  const { code, report: cli } = await inspectJson(file);
  assert.equal(code, 0);
  assert.ok(cli.notices.some((n) => /binary file/.test(n)), cli.notices.join(' | '));
});

test('a model.json that is not JSON: a notice per problem, no exception', async () => {
  for (const text of ['{not json', '', '\u00ff\u00fe{', ']]]']) {
    const report = await analyzeText(text, 'model.json');
    assert.deepEqual(report.models, [], JSON.stringify(text));
    assert.ok(report.notices.length >= 1, `a message for ${JSON.stringify(text)}`);
    assert.ok(report.notices.some((n) => /JSON|topology/.test(n)), report.notices.join(' | '));
  }  // A cut-off model.json: the model it starts is kept (empty so far) and the syntax errors are named.
  const cut = await analyzeText('{"modelTopology": {"class_name": "Sequential", "config": {"layers": [', 'model.json');
  assert.ok(cut.notices.some((n) => /syntax error/.test(n)), cut.notices.join(' | '));
  assert.ok(cut.models.every((m) => m.layers.length === 0));
});

test('a JSON file with another schema says it has no model topology', async () => {
  const others = [
    ['package.json', '{"name": "pkg", "version": "1.0.0", "dependencies": {"react": "^18"}}'],
    ['model.json', '[1, 2, 3]'],
    ['model.json', '{"modelTopology": {"class_name": "Foo", "config": 3}}'],
    ['model.json', '{"modelTopology": null, "weightsManifest": []}'],
  ];
  for (const [name, text] of others) {
    const report = await analyzeText(text, name);
    assert.deepEqual(report.models, [], text);
    assert.ok(report.notices.some((n) => /No Keras or TF\.js model topology/.test(n)), `${text}: ${report.notices.join(' | ')}`);
  }
});

test('a file over the size limit is skipped with a notice that gives the limit; the limit is configurable', async () => {
  const text = seed.repeat(10);
  const skipped = await analyzeText(text, 'big.py', { maxBytes: 1000 });
  assert.deepEqual(skipped.models, []);
  assert.deepEqual(skipped.notices, ['Skipped: the file is larger than the analysis limit of 1000 bytes.']);
  // The same text under a larger limit is read in full: the limit, not the content, skipped it.
  const read = await analyzeText(text, 'big.py', { maxBytes: text.length + 1 });
  assert.ok(read.models.length >= 1);
  assert.ok(!read.notices.some((n) => /Skipped/.test(n)));
  // Multi-byte text counts UTF-8 bytes, not characters: 400 × 'é' is 800 bytes.
  const accents = `# ${'é'.repeat(400)}\n`;
  assert.match((await analyzeText(accents, 'a.py', { maxBytes: 700 })).notices[0], /^Skipped/);
  assert.ok(!(await analyzeText(accents, 'a.py', { maxBytes: 900 })).notices.some((n) => /^Skipped/.test(n)));
});

test('the CLI caps the size with --max-bytes and says the file was skipped and why', async () => {
  const file = join(work, 'seed.py');
  writeFileSync(file, seed);
  const out: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void out.push(args.join(' '));
  try {
    assert.equal(await runInspect([file, '--json', '--max-bytes', '100']), 0);
  } finally {
    console.log = log;
  }
  const report = JSON.parse(out.join('\n')) as { models: unknown[]; notices: string[] };
  assert.deepEqual(report.models, []);
  assert.deepEqual(report.notices, ['Skipped: the file is larger than the analysis limit of 100 bytes.']);
});
