// End-to-end harness: the packaged extension in a real VS Code (code-server 4.100.3) driven by Debian's Chromium
// through playwright-core. Recipe and pitfalls: docs/e2e-in-real-vscode.md.
//
// Usage (one VS Code per test; `withVsCode` always stops it, and screenshots the failure first):
//
//   import { test } from 'node:test';
//   import { withVsCode } from './harness';
//
//   test('hover shows the Xavier limit', () =>
//     withVsCode({ testName: 'editor-hover' }, async (vs) => {
//       await vs.openFile('seed_keras_mlp.py');
//       const hover = await vs.hoverOver('Dense(128');
//       assert.match(hover, /fan_in/);
//       await vs.screenshot('hover');
//     }));
//
// API of the session (`VsCode`):
//   page, browser                   playwright objects, for anything the helpers below do not cover
//   workspaceDir                    temp copy of examples/ (plus options.files): tests may edit it freely
//   resultsDir                      test-results/<testName>/: screenshots, code-server.log, browser-console.log, logs/
//   openFile(name)                  Ctrl+P quick open; resolves when its tab is active and its rendering settled
//   waitForEditorToSettle()         waits until the editor's DOM is quiet (colouring, CodeLens, decorations)
//   runCommand(title)               F1 + title + Enter, e.g. 'Xavier Lens: Inspect Layers in Active File'
//   paletteEntries(query)           labels the Command Palette lists for a query (then closes it)
//   goToLine(n)                     Ctrl+G, so that line is rendered (Monaco renders only visible lines)
//   textPosition(text, occurrence)  on-screen centre of a text in the active editor (DOM Range, U+00A0-safe)
//   hoverOver(text, occurrence)     moves the mouse there, returns the hover's text
//   editorText()                    the rendered lines of the active editor (U+00A0 normalised to spaces)
//   waitForText(text, options)      waits until the workbench (or options.frame) shows the text
//   notifications()                 texts of the visible notification toasts
//   waitForNotification(text)       waits for a toast containing text, returns its full text
//   webview(index)                  the inner frame of the index-th webview (iframe.webview → iframe#active-frame)
//   screenshot(step)                test-results/<testName>/NN-step.png, NN counting up per session
//   stop()                          closes Chromium, stops code-server by its pid, removes temp dirs (idempotent)
//
// Options (`VsCodeOptions`): testName (required), settings (merged over the defaults below, e.g.
// { 'security.workspace.trust.enabled': true } for a restricted-mode test), workspace (folder to copy, default
// examples/), files ({ relative path: content } written into the workspace copy), viewport.
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium); CI=true makes a missing code-server an error instead of
// installing it; XAVIER_LENS_KEEP_E2E=1 keeps the temp dirs for debugging; XAVIER_LENS_E2E_TIMEOUT_MS sets the
// wait for each UI step (default 60 s).
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot, ensureVsix } from '../support/vsix';
import * as installer from '../../scripts/install-code-server.mjs';

export interface VsCodeOptions {
  /** Folder name under test-results/ for this test's screenshots and logs. */
  testName: string;
  /** User settings merged over the harness defaults (trust off, no welcome page, no tips, no telemetry). */
  settings?: Record<string, unknown>;
  /** Folder copied as the workspace; default examples/. */
  workspace?: string;
  /** Extra files written into the workspace copy: relative path → content. */
  files?: Record<string, string>;
  viewport?: { width: number; height: number };
}

const DEFAULT_SETTINGS: Record<string, unknown> = {
  // Without these a trust dialog and a welcome page cover the editor (see the e2e doc).
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  // A steady cursor: screenshots do not depend on the blink phase, and the editor's DOM goes quiet.
  'editor.cursorBlinking': 'solid',
};

/** Chromium flags from the e2e doc; the last two give WebGL2 through SwiftShader when there is no GPU. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];

// Generous: a loaded 2-core machine can take tens of seconds for what usually takes one.
const STARTUP_TIMEOUT_MS = 180_000;
const UI_TIMEOUT_MS = Number(process.env.XAVIER_LENS_E2E_TIMEOUT_MS || 60_000);

/** Monaco renders spaces as U+00A0: normalise before comparing text. */
export function normaliseSpaces(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return path;
}

/** In CI a missing code-server fails the run (.ci/run installs it first); elsewhere the harness installs it once. */
function codeServerBinary(): string {
  if (installer.isCodeServerInstalled()) return installer.codeServerBin();
  if (process.env.CI === 'true') {
    throw new Error(
      `code-server ${installer.CODE_SERVER_VERSION} is not installed in ${installer.codeServerDir()}: ` +
        'run `node scripts/install-code-server.mjs` (CI must install it before the tests).',
    );
  }
  return installer.ensureCodeServer();
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function sanitise(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'step';
}

async function waitForHealthz(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`code-server exited early (code ${server.exitCode}); see code-server.log`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

export class VsCode {
  readonly page: Page;
  readonly browser: Browser;
  readonly workspaceDir: string;
  readonly resultsDir: string;
  readonly url: string;
  private readonly server: ChildProcess;
  private readonly tempRoot: string;
  private readonly userDataDir: string;
  private readonly logStreams: WriteStream[];
  private step = 0;
  private stopped = false;

  constructor(init: {
    page: Page;
    browser: Browser;
    server: ChildProcess;
    url: string;
    tempRoot: string;
    workspaceDir: string;
    userDataDir: string;
    resultsDir: string;
    logStreams: WriteStream[];
  }) {
    this.page = init.page;
    this.browser = init.browser;
    this.server = init.server;
    this.url = init.url;
    this.tempRoot = init.tempRoot;
    this.workspaceDir = init.workspaceDir;
    this.userDataDir = init.userDataDir;
    this.resultsDir = init.resultsDir;
    this.logStreams = init.logStreams;
  }

  /** Saves test-results/<testName>/NN-<step>.png and returns its path. */
  async screenshot(step: string): Promise<string> {
    this.step += 1;
    const path = join(this.resultsDir, `${String(this.step).padStart(2, '0')}-${sanitise(step)}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits until its tab is the active one. */
  async openFile(name: string): Promise<void> {
    const base = name.split('/').pop() as string;
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(name);
    await this.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: base })
      .first()
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await this.page.keyboard.press('Enter');
    await this.page
      .locator('.tabs-container .tab.active', { hasText: base })
      .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await this.waitForEditorToSettle();
  }

  /**
   * Waits until the active editor's rendering has not changed for quietMs: right after opening, syntax colouring
   * arrives from a worker and CodeLenses/decorations from extensions, a few seconds later on a 2-core machine.
   */
  async waitForEditorToSettle(quietMs = 800, timeoutMs = 15_000): Promise<void> {
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      const now = await editor.evaluate((el) =>
        ['.view-lines', '.view-zones', '.contentWidgets', '.view-overlays']
          .map((sel) => el.querySelector(sel)?.innerHTML ?? '')
          .join('\u0000'),
      );
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) {
        return;
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** Runs a command by its palette title (category included, e.g. 'Xavier Lens: Inspect Layers in Active File'). */
  async runCommand(title: string): Promise<void> {
    await this.openPalette(title);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** The labels the Command Palette lists for a query; the palette is closed again afterwards. */
  async paletteEntries(query: string): Promise<string[]> {
    await this.openPalette(query);
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    // The list filters as it is typed: wait until it stops changing.
    let labels: string[] = [];
    for (let i = 0; i < 20; i++) {
      await this.page.waitForTimeout(150);
      const next = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).map(normaliseSpaces);
      if (next.join('\n') === labels.join('\n') && next.length > 0) break;
      labels = next;
    }
    return labels;
  }

  /** Closes the Command Palette (or any quick input) if it is open. */
  async closePalette(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    }
  }

  /** Moves the cursor to a line (Ctrl+G) so that Monaco renders it. */
  async goToLine(line: number): Promise<void> {
    await this.page.locator('.editor-instance .monaco-editor').first().click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** The active editor's rendered lines, top to bottom, with U+00A0 turned back into spaces. */
  async editorText(): Promise<string> {
    const lines = await this.page.locator('.editor-instance .monaco-editor .view-lines').first().evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('.view-line')]
        .map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return normaliseSpaces(lines.join('\n'));
  }

  /**
   * The on-screen centre of the occurrence-th rendered appearance of text in the active editor. Found with a DOM
   * Range over the line's text nodes (a token may span several syntax-coloured spans).
   */
  async textPosition(text: string, occurrence = 0): Promise<{ x: number; y: number }> {
    const found = await this.page.locator('.editor-instance .monaco-editor .view-lines').first().evaluate(
      (root, args) => {
        const lines = [...root.querySelectorAll<HTMLElement>('.view-line')].sort(
          (a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'),
        );
        let seen = 0;
        for (const line of lines) {
          const nodes: Text[] = [];
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
          const full = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
          let at = full.indexOf(args.text);
          while (at >= 0) {
            if (seen === args.occurrence) {
              // No named helper functions in here: tsx would wrap them in a __name() the page does not have.
              const ends: [Text, number][] = [];
              for (const [offset, isEnd] of [[at, false], [at + args.text.length, true]] as const) {
                let rest = offset;
                let hit: [Text, number] | undefined;
                for (const n of nodes) {
                  if (rest < n.data.length || (isEnd && rest === n.data.length)) {
                    hit = [n, rest];
                    break;
                  }
                  rest -= n.data.length;
                }
                ends.push(hit ?? [nodes[nodes.length - 1], nodes[nodes.length - 1].data.length]);
              }
              const range = document.createRange();
              range.setStart(...ends[0]);
              range.setEnd(...ends[1]);
              const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
              return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
            }
            seen += 1;
            at = full.indexOf(args.text, at + 1);
          }
        }
        return null;
      },
      { text: normaliseSpaces(text), occurrence },
    );
    if (!found) {
      throw new Error(`"${text}" (occurrence ${occurrence}) is not among the rendered lines; goToLine() first?\n${await this.editorText()}`);
    }
    return found;
  }

  /** Hovers the mouse over text in the active editor and returns the hover widget's text. */
  async hoverOver(text: string, occurrence = 0): Promise<string> {
    const { x, y } = await this.textPosition(text, occurrence);
    // Move away first so a hover already showing for the same spot is re-triggered.
    await this.page.mouse.move(5, 5);
    await this.page.mouse.move(x, y, { steps: 4 });
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ has: this.page.locator('.monaco-hover-content') }).first();
    await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    // Hovers from several providers arrive one after another, after a "Loading..." placeholder: wait until the
    // content has stayed the same for half a second.
    const deadline = Date.now() + UI_TIMEOUT_MS;
    let content = '';
    let stableFor = 0;
    while (Date.now() < deadline && stableFor < 3) {
      await this.page.waitForTimeout(150);
      const next = normaliseSpaces(await hover.innerText()).trim();
      stableFor = next === content && next.length > 0 && !/^Loading\.\.\.$/m.test(next) ? stableFor + 1 : 0;
      content = next;
    }
    return content;
  }

  /** Waits until the workbench (or a given frame, e.g. webview()) shows the text; U+00A0-safe. */
  async waitForText(text: string, options: { frame?: Frame; timeoutMs?: number } = {}): Promise<void> {
    const target = options.frame ?? this.page;
    await target.waitForFunction(
      (wanted) => (document.body?.innerText ?? '').replace(/\u00a0/g, ' ').includes(wanted),
      normaliseSpaces(text),
      { timeout: options.timeoutMs ?? UI_TIMEOUT_MS },
    );
  }

  /** Texts of the notification toasts on screen now. */
  async notifications(): Promise<string[]> {
    const toasts = this.page.locator('.notifications-toasts .notification-toast');
    return (await toasts.allInnerTexts()).map((t) => normaliseSpaces(t).trim());
  }

  /** Waits for a notification toast containing text and returns its whole text. */
  async waitForNotification(text: string, timeoutMs = UI_TIMEOUT_MS): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return normaliseSpaces(await toast.innerText()).trim();
  }

  /** The DOM of the index-th webview: its outer iframe.webview holds the page in iframe#active-frame. */
  async webview(index = 0, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
    const outer = this.page.locator('iframe.webview').nth(index);
    await outer.waitFor({ state: 'attached', timeout: timeoutMs });
    const outerFrame = await (await outer.elementHandle())?.contentFrame();
    if (!outerFrame) throw new Error('webview outer frame not available');
    const inner = outerFrame.locator('iframe#active-frame');
    await inner.waitFor({ state: 'attached', timeout: timeoutMs });
    const frame = await (await inner.elementHandle())?.contentFrame();
    if (!frame) throw new Error('webview inner frame (iframe#active-frame) not available');
    await frame.waitForLoadState('domcontentloaded', { timeout: timeoutMs });
    return frame;
  }

  /** Closes Chromium, stops code-server (its own process group), keeps logs, removes temp dirs. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.browser.close().catch(() => undefined);
    await stopServer(this.server);
    for (const s of this.logStreams) s.end();
    copyLogs(join(this.userDataDir, 'logs'), join(this.resultsDir, 'logs'));
    if (process.env.XAVIER_LENS_KEEP_E2E !== '1') rmSync(this.tempRoot, { recursive: true, force: true });
  }

  private async focusWorkbench(): Promise<void> {
    await this.closePalette();
  }

  private async openPalette(query: string): Promise<void> {
    await this.closePalette();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${query}`);
  }
}

/**
 * code-servers still running, with their temp dirs: if the test process ends without stop() (a timeout, a crash),
 * they die with it and the temp dirs go too.
 */
const liveServers = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [server, tempRoot] of liveServers) {
    try {
      if (server.pid !== undefined) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (process.env.XAVIER_LENS_KEEP_E2E !== '1') rmSync(tempRoot, { recursive: true, force: true });
  }
});

/** SIGTERM to code-server's process group (it was started detached, so the group is its own), SIGKILL if it lingers. */
async function stopServer(server: ChildProcess): Promise<void> {
  liveServers.delete(server);
  if (server.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
  if (timedOut) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  }
}

function copyLogs(from: string, to: string): void {
  if (!existsSync(from)) return;
  try {
    cpSync(from, to, { recursive: true });
  } catch {
    // logs are a debugging aid; never fail a test over them
  }
}

/** Starts a fresh VS Code (code-server + Chromium) with the packaged extension installed on a workspace copy. */
export async function startVsCode(options: VsCodeOptions): Promise<VsCode> {
  const executablePath = chromiumPath();
  const codeServer = codeServerBinary();
  const vsix = ensureVsix();

  const resultsDir = join(repoRoot, 'test-results', sanitise(options.testName));
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  const tempRoot = mkdtempSync(join(tmpdir(), 'xl-e2e-'));
  const userDataDir = join(tempRoot, 'user-data');
  const extensionsDir = join(tempRoot, 'extensions');
  const workspaceDir = join(tempRoot, 'workspace');
  const logStreams: WriteStream[] = [];
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const source = options.workspace ?? join(repoRoot, 'examples');
    if (existsSync(source)) cpSync(source, workspaceDir, { recursive: true });
    mkdirSync(workspaceDir, { recursive: true });
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(workspaceDir, rel)), { recursive: true });
      writeFileSync(join(workspaceDir, rel), content);
    }
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2),
    );

    const install = spawnSync(
      codeServer,
      installer.installExtensionArgs({ userDataDir, extensionsDir, vsix }),
      { encoding: 'utf8', timeout: 120_000 },
    );
    writeFileSync(join(resultsDir, 'install-extension.log'), `${install.stdout ?? ''}\n${install.stderr ?? ''}`);
    if (install.status !== 0 || !readdirSync(extensionsDir).some((d) => d.startsWith('xavier-lens.xavier-lens-'))) {
      throw new Error(`installing ${vsix} failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
    }

    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const serverLog = createWriteStream(join(resultsDir, 'code-server.log'));
    logStreams.push(serverLog);
    server = spawn(
      codeServer,
      installer.serveArgs({ port, userDataDir, extensionsDir, folder: workspaceDir }),
      // Its own process group, so stop() ends code-server and its children by this one pid.
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    liveServers.set(server, tempRoot);
    server.stdout?.pipe(serverLog, { end: false });
    server.stderr?.pipe(serverLog, { end: false });
    await waitForHealthz(url, server, STARTUP_TIMEOUT_MS);

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const consoleLog = createWriteStream(join(resultsDir, 'browser-console.log'));
    logStreams.push(consoleLog);
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));

    await page.goto(`${url}/?folder=${encodeURIComponent(workspaceDir)}`, { waitUntil: 'domcontentloaded', timeout: STARTUP_TIMEOUT_MS });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS });
    // The Explorer lists the workspace once the workbench has restored it.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: STARTUP_TIMEOUT_MS });
    return new VsCode({ page, browser, server, url, tempRoot, workspaceDir, userDataDir, resultsDir, logStreams });
  } catch (err) {
    await browser?.close().catch(() => undefined);
    if (server) await stopServer(server);
    for (const s of logStreams) s.end();
    copyLogs(join(userDataDir, 'logs'), join(resultsDir, 'logs'));
    if (process.env.XAVIER_LENS_KEEP_E2E !== '1') rmSync(tempRoot, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Runs body against a fresh VS Code and always stops it; on failure saves NN-failure.png first, then rethrows.
 */
export async function withVsCode<T>(options: VsCodeOptions, body: (vs: VsCode) => Promise<T>): Promise<T> {
  const vs = await startVsCode(options);
  try {
    return await body(vs);
  } catch (err) {
    await vs.screenshot('failure').catch(() => undefined);
    throw err;
  } finally {
    await vs.stop();
  }
}
