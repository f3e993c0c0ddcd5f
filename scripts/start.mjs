#!/usr/bin/env node
// `npm start`: build, then open a real VS Code with the extension loaded on examples/.
//   - desktop VS Code when `code` is on PATH: `code --extensionDevelopmentPath=<repo> examples/`;
//   - otherwise code-server (VS Code in the browser, installed once into a cache by scripts/install-code-server.mjs)
//     with a freshly packaged .vsix installed into .e2e/start/extensions, printing the URL; runs until Ctrl+C.
//     (code-server has no --extensionDevelopmentPath, so the packaged extension is what it loads.)
// Environment: XAVIER_LENS_BROWSER=1 uses code-server even when `code` exists; PORT picks the port (default 8080,
// or a free one when 8080 is taken).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setInterval, clearInterval } from 'node:timers';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, installExtensionArgs, serveArgs } from './install-code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(title, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function portIsFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

async function choosePort() {
  const wanted = Number(process.env.PORT || 8080);
  if (await portIsFree(wanted)) return wanted;
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

if (onPath('code') && process.env.XAVIER_LENS_BROWSER !== '1') {
  run('build', process.execPath, ['scripts/build.mjs']);
  console.log('[start] opening desktop VS Code with the extension in development mode on examples/');
  run('code', 'code', [`--extensionDevelopmentPath=${root}`, examples]);
} else {
  // Packaging builds first; the vsix is exactly what users install.
  run('build and package', npm, ['run', '--silent', 'package']);
  const codeServer = ensureCodeServer();
  const state = join(root, '.e2e', 'start');
  const userDataDir = join(state, 'user-data');
  const extensionsDir = join(state, 'extensions');
  const settings = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settings)) {
    // First run only (later the user's own changes are kept): no trust dialog or welcome page over the examples.
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(settings, JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' }, null, 2));
  }
  run('install the extension', codeServer, installExtensionArgs({ userDataDir, extensionsDir, vsix: join(root, 'xavier-lens.vsix') }));
  const port = await choosePort();
  const server = spawn(codeServer, serveArgs({ port, userDataDir, extensionsDir, folder: examples }), { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(examples)}`;
  // Announce the URL once the server answers, so a click never lands on "connection refused".
  const started = Date.now();
  const announce = setInterval(async () => {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) {
        clearInterval(announce);
        console.log(`\n[start] Xavier Lens in VS Code (code-server): open ${url}\n[start] Ctrl+C stops it.\n`);
      }
    } catch {
      if (Date.now() - started > 120_000) {
        clearInterval(announce);
        console.error('[start] code-server did not answer within 2 minutes');
      }
    }
  }, 300);
  const stop = () => {
    clearInterval(announce);
    if (server.exitCode === null) server.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code, signal) => {
    clearInterval(announce);
    process.exit(signal ? 0 : (code ?? 0));
  });
}
