/**
 * `xavier-lens inspect`: --json prints exactly the FileReport (one object, or an array for several files), the
 * table is readable, and the exit codes are 0 ok, 1 a file unreadable, 2 usage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../src/analysis/index';

const ROOT = join(__dirname, '..', '..');

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('inspect --json prints the engine\'s FileReport for one file and an array for several', async () => {
  const one = cli('inspect', 'examples/seed_keras_mlp.py', '--json');
  assert.equal(one.code, 0, one.stderr);
  const expected = JSON.parse(JSON.stringify(await analyzeText(readFileSync(join(ROOT, 'examples/seed_keras_mlp.py'), 'utf8'), 'examples/seed_keras_mlp.py')));
  assert.deepEqual(JSON.parse(one.stdout), expected);

  const two = cli('inspect', '--json', 'examples/seed_keras_mlp.py', 'examples/pytorch_mlp_sequential.py');
  assert.equal(two.code, 0, two.stderr);
  const reports = JSON.parse(two.stdout);
  assert.ok(Array.isArray(reports));
  assert.deepEqual(reports.map((r: { file: string }) => r.file), ['examples/seed_keras_mlp.py', 'examples/pytorch_mlp_sequential.py']);
});

test('the table names every layer and its numbers to 4 significant digits', () => {
  const run = cli('inspect', 'examples/seed_keras_mlp.py');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /glorot_uniform/);
  assert.match(run.stdout, /0\.08111/);
  assert.doesNotMatch(run.stdout, /0\.0811107/);
});

test('exit codes: 1 when a file cannot be read, 2 for usage errors', () => {
  const missing = cli('inspect', 'no/such/file.py', '--json');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read/);
  assert.equal(JSON.parse(missing.stdout).file, 'no/such/file.py');
  assert.equal(cli('inspect').code, 2);
  assert.equal(cli('inspect', '--frobnicate', 'x.py').code, 2);
  assert.equal(cli('nonsense').code, 2);
  assert.equal(cli().code, 2);
});
