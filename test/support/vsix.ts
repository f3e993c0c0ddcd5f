// The packaged extension (xavier-lens.vsix) shared by the package test and the e2e harness.
// `npm test` packages once before the tests and sets XAVIER_LENS_VSIX_FRESH=1; a test file run on its own
// packages the current tree itself, so it never checks a stale vsix.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const vsixPath = join(repoRoot, 'xavier-lens.vsix');

let packagedThisProcess = false;

/** Returns the path of an up-to-date xavier-lens.vsix, running `npm run package` when needed. */
export function ensureVsix(): string {
  const fresh = process.env.XAVIER_LENS_VSIX_FRESH === '1' || packagedThisProcess;
  if (fresh && existsSync(vsixPath)) return vsixPath;
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsixPath)) {
    throw new Error(`npm run package failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  packagedThisProcess = true;
  return vsixPath;
}
