/**
 * Entry of dist/headless.js: the page `xavier-lens compare` (and the webview tests) open in headless
 * Chromium. It runs the panel's own training code (./training) and exposes it as `window.xavierHeadless`;
 * events go to `window.xavierHeadlessEvent`, a function the Node side installs with page.exposeFunction.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../src/data/dataset';
import { parseIdxPair } from '../src/data/idx';
import { decodeSubset } from '../src/data/subset';
import type { ComparisonResult, TrainingConfig, TrainingEvent } from '../src/protocol';
import { runComparison, type ComparisonOptions } from './training/index';
import { fitBaseline } from './training/fit-baseline';
import { activeWebGLContext } from './training/recovery';

export interface HeadlessRequest {
  config: TrainingConfig;
  /** URL of media/mnist-subset.bin.gz. */
  subsetUrl: string;
  /** Folder URL of dist/tfjs-wasm/, ending in '/'. */
  wasmBase: string;
  test?: { imagesUrl: string; labelsUrl: string };
  options?: ComparisonOptions;
  /** Forward batch-loss/progress events too (the CLI's progress line needs progress; tests mostly do not). */
  verboseEvents?: boolean;
}

export interface HeadlessResponse {
  result: ComparisonResult;
  /** The engine's tensor count before and after the run. */
  tensorsBefore: number;
  tensorsAfter: number;
}

declare global {
  interface Window {
    xavierHeadless: {
      run(request: HeadlessRequest): Promise<HeadlessResponse>;
      stop(): void;
      numTensors(): number;
      fitBaseline(request: HeadlessRequest): ReturnType<typeof fitBaseline>;
      /** Test hook: loses the WebGL context TF.js computes with, as a GPU reset would; false when not on WebGL. */
      loseWebGLContext(): boolean;
    };
    xavierHeadlessEvent?: (event: TrainingEvent) => Promise<void>;
  }
}

const cache = new Map<string, Promise<ImageDataset>>();

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function loadSubset(url: string): Promise<ImageDataset> {
  if (!cache.has(url)) cache.set(url, fetchBytes(url).then((b) => decodeSubset(b, url.split('/').pop())));
  return cache.get(url)!;
}

function loadTest(imagesUrl: string, labelsUrl: string): Promise<ImageDataset> {
  const key = `${imagesUrl}|${labelsUrl}`;
  if (!cache.has(key)) {
    cache.set(key, Promise.all([fetchBytes(imagesUrl), fetchBytes(labelsUrl)]).then(([i, l]) =>
      parseIdxPair(i, l, { images: imagesUrl.split('/').pop(), labels: labelsUrl.split('/').pop() })));
  }
  return cache.get(key)!;
}

let controller: AbortController | undefined;

window.xavierHeadless = {
  async run(request) {
    const [train, test] = await Promise.all([
      loadSubset(request.subsetUrl),
      request.test ? loadTest(request.test.imagesUrl, request.test.labelsUrl) : Promise.resolve(undefined),
    ]);
    controller = new AbortController();
    // The engine's own count: readable before any backend is initialised (tf.memory() is not).
    const tensorsBefore = tf.engine().state.numTensors;
    const send = (event: TrainingEvent) => {
      if (!request.verboseEvents && (event.type === 'batch-loss' || event.type === 'layer-stats')) return;
      void window.xavierHeadlessEvent?.(event);
    };
    const result = await runComparison(request.config, { train, test }, send, controller.signal, { wasmPaths: request.wasmBase, ...request.options });
    controller = undefined;
    return { result, tensorsBefore, tensorsAfter: tf.engine().state.numTensors };
  },
  stop() {
    controller?.abort();
  },
  numTensors: () => tf.engine().state.numTensors,
  async fitBaseline(request) {
    return fitBaseline(request.config, await loadSubset(request.subsetUrl), request.wasmBase);
  },
  loseWebGLContext() {
    const lose = activeWebGLContext()?.getExtension('WEBGL_lose_context');
    lose?.loseContext();
    return Boolean(lose);
  },
};
