/**
 * Runs the webview's training code without VS Code: serves dist/ and media/ (and an optional IDX test-set
 * folder) on a loopback HTTP server, opens a bare page in headless Chromium (Debian's, via playwright-core)
 * that loads dist/headless.js, and drives `window.xavierHeadless`. Used by `xavier-lens compare`, the
 * webview tests and the benchmarks.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { TrainingConfig, TrainingEvent } from '../protocol';
import type { HeadlessRequest, HeadlessResponse } from '../../webview/headless';
import type { ComparisonOptions } from '../../webview/training/index';
import type { FitBaselineResult } from '../../webview/training/fit-baseline';

/** Chromium flags of the e2e doc: software WebGL2 through SwiftShader where there is no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  // A background page must keep full speed: timers and rAF throttling would distort samples/s.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.gz': 'application/octet-stream',
};

/** The repository/extension root: the nearest folder above `from` whose package.json is xavier-lens's. */
export function findPackageRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'xavier-lens') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the xavier-lens package root above ${from}`);
    dir = parent;
  }
}

/** Locates MNIST test-set IDX files in `dir` (gzipped or raw, MNIST/torchvision names). */
export function findTestIdx(dir: string): { images: string; labels: string } {
  const pick = (base: string) => [`${base}.gz`, base].map((n) => join(dir, n)).find((p) => existsSync(p));
  const images = pick('t10k-images-idx3-ubyte') ?? pick('t10k-images.idx3-ubyte');
  const labels = pick('t10k-labels-idx1-ubyte') ?? pick('t10k-labels.idx1-ubyte');
  if (!images || !labels) {
    throw new Error(`${dir}: no MNIST test set found (expected t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz])`);
  }
  return { images, labels };
}

const PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>xavier-lens headless</title></head><body><script src="/dist/headless.js"></script></body></html>';

/** Serves only named folders, only files inside them, only GET. */
function startServer(mounts: Record<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] }).end(PAGE);
      return;
    }
    const [, mount, ...rest] = url.pathname.split('/');
    const base = mounts[mount];
    const file = base ? resolve(base, decodeURIComponent(rest.join('/'))) : undefined;
    if (!base || !file || !file.startsWith(resolve(base) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

export interface HeadlessSessionOptions {
  /** Package root holding dist/ and media/ (default: found above this module / the working directory). */
  root?: string;
  /** Chromium executable (default: CHROME_PATH or /usr/bin/chromium). */
  chromePath?: string;
  /** Folder with the MNIST test set (IDX), evaluated after training when given. */
  testIdxDir?: string;
  /** Receives run-started / progress / epoch-end / run-finished / run-error events (and all others when verbose). */
  onEvent?: (event: TrainingEvent) => void;
  verboseEvents?: boolean;
}

/** One browser + server; several runs may go through it one after another. */
export class HeadlessSession {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly server: Server,
    private readonly baseUrl: string,
    private readonly test: { imagesUrl: string; labelsUrl: string } | undefined,
    private readonly verbose: boolean,
  ) {}

  static async open(options: HeadlessSessionOptions = {}): Promise<HeadlessSession> {
    const root = options.root ?? findPackageRoot(typeof __dirname !== 'undefined' ? __dirname : process.cwd());
    for (const need of ['dist/headless.js', 'dist/tfjs-wasm/tfjs-backend-wasm-simd.wasm', 'media/mnist-subset.bin.gz']) {
      if (!existsSync(join(root, need))) throw new Error(`${join(root, need)} is missing: run \`npm run build\` first`);
    }
    const mounts: Record<string, string> = { dist: join(root, 'dist'), media: join(root, 'media') };
    const testFiles = options.testIdxDir ? findTestIdx(options.testIdxDir) : undefined;
    if (testFiles) mounts['test-idx'] = dirname(testFiles.images);
    const executablePath = options.chromePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: set CHROME_PATH`);
    const server = await startServer(mounts);
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fileName = (p: string) => p.slice(p.lastIndexOf(sep) + 1);
    const test = testFiles && { imagesUrl: `${baseUrl}/test-idx/${fileName(testFiles.images)}`, labelsUrl: `${baseUrl}/test-idx/${fileName(testFiles.labels)}` };
    let browser: Browser | undefined;
    try {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') process.stderr.write(`[page ${msg.type()}] ${msg.text()}\n`);
      });
      await page.exposeFunction('xavierHeadlessEvent', (event: TrainingEvent) => options.onEvent?.(event));
      await page.goto(`${baseUrl}/`);
      await page.waitForFunction(() => typeof window.xavierHeadless === 'object', undefined, { timeout: 30000 }).catch(() => {
        throw new Error(`dist/headless.js did not start in Chromium${pageErrors.length ? `: ${pageErrors.join('; ')}` : ''}`);
      });
      return new HeadlessSession(browser, page, server, baseUrl, test, options.verboseEvents ?? false);
    } catch (err) {
      await browser?.close();
      server.close();
      throw err;
    }
  }

  private request(config: TrainingConfig, options?: ComparisonOptions): HeadlessRequest {
    const test = this.test;
    return {
      config,
      subsetUrl: `${this.baseUrl}/media/mnist-subset.bin.gz`,
      wasmBase: `${this.baseUrl}/dist/tfjs-wasm/`,
      ...(test ? { test } : {}),
      ...(options ? { options } : {}),
      verboseEvents: this.verbose,
    };
  }

  /** Trains `config` in the page; resolves with the result and the page's tensor counts around the run. */
  async run(config: TrainingConfig, options?: ComparisonOptions): Promise<HeadlessResponse> {
    return this.page.evaluate((req) => window.xavierHeadless.run(req), this.request(config, options));
  }

  /** TF.js's stock `model.fit` on the same network and data: the benchmark baseline for the hand-written step. */
  async fitBaseline(config: TrainingConfig): Promise<FitBaselineResult> {
    return this.page.evaluate((req) => window.xavierHeadless.fitBaseline(req), this.request(config));
  }

  /** Aborts the run in progress (the page's AbortController). */
  async stop(): Promise<void> {
    await this.page.evaluate(() => window.xavierHeadless.stop());
  }

  /** Test hook: loses the page's WebGL context mid-run (WEBGL_lose_context); false when the run is not on WebGL. */
  async loseWebGLContext(): Promise<boolean> {
    return this.page.evaluate(() => window.xavierHeadless.loseWebGLContext());
  }

  async numTensors(): Promise<number> {
    return this.page.evaluate(() => window.xavierHeadless.numTensors());
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Opens a session (with the test set wired when `testIdxDir` is given). */
export async function openHeadlessSession(options: HeadlessSessionOptions = {}): Promise<HeadlessSession> {
  return HeadlessSession.open(options);
}
