#!/usr/bin/env node
// Builds everything the extension, the CLI and the webview need into dist/ (and the MNIST subset into media/).
//   node scripts/build.mjs            one build
//   node scripts/build.mjs --watch    rebuild bundles on change
//   node scripts/build.mjs --production   minified, no source maps (the packaged build)
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildMnistSubset } from './build-dataset.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
// --production (what `npm run package` uses): minified, no source maps, as the .vsix ships.
const production = process.env.NODE_ENV === 'production' || process.argv.includes('--production');

/** WASM files the bundles load at run time, copied next to them (the bundles cannot inline them). */
function copyWasm() {
  const treeSitterOut = join(dist, 'tree-sitter');
  mkdirSync(treeSitterOut, { recursive: true });
  const runtime = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
  copyFileSync(runtime, join(treeSitterOut, 'web-tree-sitter.wasm'));
  const grammars = dirname(require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'));
  for (const lang of ['python', 'typescript', 'tsx', 'javascript']) {
    copyFileSync(join(grammars, `tree-sitter-${lang}.wasm`), join(treeSitterOut, `tree-sitter-${lang}.wasm`));
  }
  const tfjsWasmOut = join(dist, 'tfjs-wasm');
  mkdirSync(tfjsWasmOut, { recursive: true });
  const tfjsWasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    copyFileSync(join(tfjsWasmDist, f), join(tfjsWasmOut, f));
  }
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * Node CJS bundles: ESM dependencies (web-tree-sitter) read `import.meta.url`, which esbuild leaves empty in CJS
 * output; point it at the bundle's own file URL.
 */
const nodeImportMeta = {
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: "const __bundleFileUrl = require('url').pathToFileURL(__filename).href;" },
};

/**
 * The extension loads the analysis engine (tree-sitter, the readers) from its own bundle, dist/analysis.js, on
 * first use (src/editor/engine.ts): activation then neither compiles nor runs it.
 */
const engineAsSiblingBundle = {
  name: 'engine-as-sibling-bundle',
  setup(build) {
    // A stub module that requires the sibling bundle when first called (a plain require, not an import()).
    // The analysis worker (dist/analysisWorker.js) requires the same sibling bundle: one copy of the engine ships.
    const importers = [join(root, 'src/editor/engine.ts'), join(root, 'src/analysis-worker/main.ts')];
    build.onResolve({ filter: /^\.\.\/analysis\/index$/ }, (args) =>
      importers.includes(args.importer) ? { path: 'analysis.js', namespace: 'engine-sibling' } : undefined,
    );
    build.onResolve({ filter: /^\.\/analysis\.js$/, namespace: 'engine-sibling' }, () => ({ path: './analysis.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'engine-sibling' }, () => ({ contents: "module.exports = require('./analysis.js');", loader: 'js' }));
  },
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    ...nodeImportMeta,
    entryPoints: { analysis: join(root, 'src/analysis/index.ts') },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    ...nodeImportMeta,
    plugins: [engineAsSiblingBundle],
    entryPoints: { extension: join(root, 'src/extension.ts') },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The extension's analysis worker thread (src/editor/analysisWorker.ts starts it): the engine off the host's thread.
    ...common,
    ...nodeImportMeta,
    plugins: [engineAsSiblingBundle],
    entryPoints: { analysisWorker: join(root, 'src/analysis-worker/main.ts') },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    ...nodeImportMeta,
    entryPoints: { cli: join(root, 'src/cli.ts') },
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // playwright-core drives Chromium for `xavier-lens compare`; it is a Node dependency, not bundled.
    external: ['vscode', 'playwright-core'],
  },
  {
    ...common,
    entryPoints: { webview: join(root, 'webview/main.ts') },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    loader: { '.css': 'css' },
  },
  {
    // The Inspect Layers report (editor work): toolkit data grids, no TF.js.
    ...common,
    entryPoints: { report: join(root, 'webview/report/main.ts') },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
  {
    // `xavier-lens compare`: the same training code as the panel, on a bare page in headless Chromium.
    ...common,
    entryPoints: { headless: join(root, 'webview/headless.ts') },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
];

copyWasm();
if (!existsSync(join(root, 'media/mnist-subset.bin.gz')) || process.argv.includes('--dataset')) {
  buildMnistSubset(join(root, 'media/mnist-subset.bin.gz'));
}

if (watch) {
  for (const options of targets) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('[build] watching for changes');
} else {
  const started = Date.now();
  await Promise.all(targets.map((options) => esbuild.build(options)));
  console.log(`[build] bundles written to dist/ in ${Date.now() - started} ms`);
}
