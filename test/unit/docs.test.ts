// Every document the code, tests and README cite by path (`docs/initializers.md`) is in the repository: a clone
// alone must hold the specification the engine's comments point to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

const CITED_DOC = String.raw`docs/[A-Za-z0-9_-]+\.md`;

test('every docs/*.md cited in the repository exists in it', () => {
  const git = spawnSync('git', ['grep', '-ohE', CITED_DOC, '--', '.'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.ok(git.status === 0 || git.status === 1, `git grep failed: ${git.error?.message ?? git.stderr}`);
  const cited = [...new Set(git.stdout.split('\n').filter(Boolean))].sort();
  assert.ok(cited.includes('docs/initializers.md'), `the engine cites its specification: found ${cited.join(', ')}`);
  const missing = cited.filter((doc) => !existsSync(join(REPO_ROOT, doc)));
  assert.deepEqual(missing, [], `cited but not in the repository: ${missing.join(', ')}`);
});
