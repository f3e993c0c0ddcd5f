#!/usr/bin/env node
// Installs code-server (VS Code served to a browser) for the e2e tests and `npm start`, into a cache folder
// OUTSIDE the repo keyed by version, so a second run (and every CI run with a warm cache) costs nothing.
//   node scripts/install-code-server.mjs           install if missing, print the binary's path
//   node scripts/install-code-server.mjs --path    print the binary's path (exit 1 when not installed)
// Recipe and its reasons: docs/e2e-in-real-vscode.md. 4.100.x is the last code-server line on Node 20.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The ripgrep release that code-server's @vscode/ripgrep@1.15.11 postinstall downloads (offline: we pre-seed its cache). */
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** ${XDG_CACHE_HOME:-~/.cache}/xavier-lens/code-server-<version>; XAVIER_LENS_CODE_SERVER_DIR overrides it. */
export function codeServerDir() {
  if (process.env.XAVIER_LENS_CODE_SERVER_DIR) return resolve(process.env.XAVIER_LENS_CODE_SERVER_DIR);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'xavier-lens', `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return join(codeServerDir(), 'node_modules', '.bin', 'code-server');
}

/**
 * Arguments that install a .vsix into a private profile (`npm start` and the e2e harness both run VS Code with
 * their own user-data and extensions folders, never the user's).
 */
export function installExtensionArgs({ userDataDir, extensionsDir, vsix }) {
  return ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
}

/** Arguments that serve VS Code on loopback only, without login, telemetry or update checks, opening `folder`. */
export function serveArgs({ port, userDataDir, extensionsDir, folder }) {
  return [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    folder,
  ];
}

const readyMarker = () => join(codeServerDir(), '.ready');

/** True when a previous install finished and was verified (the marker is written last). */
export function isCodeServerInstalled() {
  const marker = readyMarker();
  return existsSync(marker) && existsSync(codeServerBin()) && readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION;
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

/** code-server's ripgrep postinstall looks in $TMPDIR/<cache>/ before downloading; give it Debian's rg there. */
function seedRipgrepCache(tmp) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => existsSync(p));
  if (!rg) {
    console.warn('[code-server] no ripgrep found (apt-get install ripgrep); its postinstall will try the network.');
    return;
  }
  const cacheDir = join(tmp, RIPGREP_CACHE_DIR);
  const tarball = join(cacheDir, RIPGREP_TARBALL);
  if (existsSync(tarball)) return;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(tmp, 'xl-rg-'));
  copyFileSync(rg, join(staging, 'rg'));
  run('tar', ['-czf', tarball, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

/** Installs code-server if it is not ready yet; returns the path of its binary. Throws on failure. */
export function ensureCodeServer({ quiet = false } = {}) {
  const dir = codeServerDir();
  if (isCodeServerInstalled()) return codeServerBin();
  const started = Date.now();
  if (!quiet) console.log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes, once)`);
  mkdirSync(dir, { recursive: true });
  rmSync(readyMarker(), { force: true });
  const tmp = process.env.TMPDIR || tmpdir();
  seedRipgrepCache(tmp);
  // A package.json of its own, so this install never touches the project's dependencies or lock file.
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'xavier-lens-code-server-cache', private: true, description: 'code-server for Xavier Lens e2e tests' }, null, 2),
  );
  const env = {
    ...process.env,
    TMPDIR: tmp,
    // As root, code-server's postinstall refuses without unsafe_perm; node-pty's postinstall runs `npx node-gyp`.
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    // npm 11 blocks dependency install scripts unless package.json's allowScripts names them. code-server is
    // nothing but its install scripts: its postinstall runs further `npm install`s inside lib/vscode, whose
    // native modules (node-pty, @parcel/watcher, kerberos, spdlog, ...) must build. Those nested installs read
    // no allowScripts of ours, so scripts are allowed for this cache folder's install only, through the
    // environment that the nested npm processes inherit. The project's own install keeps npm's default.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  verifyCodeServer();
  writeFileSync(readyMarker(), `${CODE_SERVER_VERSION}\n`);
  if (!quiet) console.log(`[code-server] ready in ${Math.round((Date.now() - started) / 1000)} s: ${codeServerBin()}`);
  return codeServerBin();
}

/** `code-server --version` must print our version: a half-finished install (missing native modules) fails here. */
function verifyCodeServer() {
  const r = spawnSync(codeServerBin(), ['--version'], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 || !r.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server did not start after install (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--path')) {
    if (!isCodeServerInstalled()) {
      console.error(`code-server ${CODE_SERVER_VERSION} is not installed in ${codeServerDir()}`);
      process.exit(1);
    }
    console.log(codeServerBin());
  } else {
    try {
      console.log(ensureCodeServer());
    } catch (err) {
      console.error(`[code-server] ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    }
  }
}
