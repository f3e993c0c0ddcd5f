// The repository carries its own test data and every test finds it relative to the repository: a clone alone,
// with nothing beside it, passes `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MNIST_DIR, REPO_ROOT } from '../support/paths';

/** The checksums of the original MNIST distribution's files, as in test/data/mnist/README.md. */
const MNIST_SHA256: Record<string, string> = {
  't10k-images-idx3-ubyte.gz': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
  't10k-labels-idx1-ubyte.gz': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
  'train-labels-idx1-ubyte.gz': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
};

test('the MNIST files in test/data/mnist are the official ones (sha256), and its README states the same sums', () => {
  const readme = readFileSync(join(MNIST_DIR, 'README.md'), 'utf8');
  assert.match(readme, /CC BY-SA 3\.0/, 'the README states the licence');
  for (const [name, sum] of Object.entries(MNIST_SHA256)) {
    const actual = createHash('sha256').update(readFileSync(join(MNIST_DIR, name))).digest('hex');
    assert.equal(actual, sum, `${name}: sha256`);
    assert.ok(readme.includes(`| ${name} |`) && readme.includes(sum), `README lists ${name} with its sha256`);
  }
});

/**
 * Paths that only exist on one machine: an absolute home or work folder, or a folder beside the repository.
 * Written in pieces so that this file does not match itself.
 */
const MACHINE_PATH = ['\\.\\./' + 'shared', `['"\`]/(${['work', 'home', 'root', 'Users', 'mnt'].join('|')})/`].join('|');

test('no test, benchmark, script or source names a path outside the repository', () => {
  const git = spawnSync('git', ['grep', '-nE', MACHINE_PATH, '--', 'test', 'bench', 'scripts', '.ci', 'src', 'webview', 'package.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  // git grep exits 1 when nothing matches, 0 with matches, and above 1 on an error (e.g. not a checkout).
  assert.ok(git.status === 0 || git.status === 1, `git grep failed: ${git.error?.message ?? git.stderr}`);
  assert.equal(git.stdout, '', `paths outside the repository:\n${git.stdout}`);
});
