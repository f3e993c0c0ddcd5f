#!/usr/bin/env node
// `npm test`: build, typecheck, lint, then every test file under test/ in ONE run of node's test runner,
// so the run ends with a single closing summary (tests / pass / fail) that CI reads.
//   node scripts/test.mjs [--only unit|oracle|webview|e2e ...]   run a subset of test/<dir>/
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []));

function step(title, cmd, cmdArgs, env = process.env) {
  console.log(`\n== ${title}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
step('build', process.execPath, ['scripts/build.mjs']);
step('typecheck', npx, ['tsc', '-p', '.', '--noEmit']);
step('lint', npx, ['eslint', '.']);

let files = testFiles(join(root, 'test')).map((f) => relative(root, f)).sort();
if (only.length) files = files.filter((f) => only.some((o) => f.startsWith(`test/${o}/`)));
// The package test and the e2e tests use this vsix; XAVIER_LENS_VSIX_FRESH tells them not to package it again.
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
step('package', npm, ['run', '--silent', 'package']);
// code-server for the e2e tests lives in a cache outside the repo; installed once (a few minutes), then reused.
if (files.some((f) => f.startsWith('test/e2e/'))) step('code-server', process.execPath, ['scripts/install-code-server.mjs']);
// One test file at a time on any machine: each e2e file starts its own code-server and Chromium.
step('tests', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  ...process.env,
  XAVIER_LENS_VSIX_FRESH: '1',
});
