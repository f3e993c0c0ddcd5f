/**
 * Picks the TF.js backend and says why. 'auto' prefers hardware WebGL; a software rasteriser (SwiftShader,
 * llvmpipe: what a GPU-less machine or headless Chromium gives) is slower than WASM SIMD on the CPU, so then
 * WASM is used, and plain-JS CPU only when WASM cannot start.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendChoice, BackendInfo } from '../../src/protocol';
import { registerWasmGradientKernels } from './wasmKernels';

/** Where the copied tfjs-backend-wasm binaries live: a folder URL ending in '/' (webview URI, or http:// in headless). */
export type WasmPaths = string | { 'tfjs-backend-wasm.wasm': string; 'tfjs-backend-wasm-simd.wasm': string; 'tfjs-backend-wasm-threaded-simd.wasm': string };

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

export interface WebGLProbe {
  available: boolean;
  renderer?: string;
  software: boolean;
}

/** Looks at WebGL without TF.js: is there a context, and does its unmasked renderer name a software rasteriser? */
export function probeWebGL(): WebGLProbe {
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') return { available: false, software: false };
  const canvas: HTMLCanvasElement | OffscreenCanvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | WebGL2RenderingContext | null;
  if (!gl) return { available: false, software: false };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { available: true, renderer, software: SOFTWARE_RENDERER.test(renderer) };
}

let wasmPathsSet: string | undefined;

async function tryWasm(wasmPaths: WasmPaths | undefined): Promise<{ ok: true; simd: boolean } | { ok: false; why: string }> {
  if (!wasmPaths) return { ok: false, why: 'no location for the WASM binaries was given' };
  const key = JSON.stringify(wasmPaths);
  // setWasmPaths must come before the backend first initialises; later calls would be ignored or throw.
  if (wasmPathsSet === undefined) {
    setWasmPaths(wasmPaths as Parameters<typeof setWasmPaths>[0]);
    wasmPathsSet = key;
  }
  try {
    // Before the first run on WASM: the convolution filter gradient it lacks (./wasmKernels).
    registerWasmGradientKernels();
    if (!(await tf.setBackend('wasm'))) return { ok: false, why: 'the WASM backend failed to initialise' };
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return { ok: true, simd };
  } catch (err) {
    return { ok: false, why: `the WASM backend failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function useCpu(reason: string): Promise<BackendInfo> {
  await tf.setBackend('cpu');
  return { backend: 'cpu', reason };
}

function wasmInfo(simd: boolean, why: string): BackendInfo {
  return { backend: 'wasm', simd, reason: `${why}: using WASM (${simd ? 'SIMD' : 'no SIMD'}, single thread)` };
}

/** WASM when it starts, else the plain-JS CPU backend; `why` says why WebGL is not the one. */
async function wasmElseCpu(why: string, wasmPaths: WasmPaths | undefined): Promise<BackendInfo> {
  const w = await tryWasm(wasmPaths);
  if (w.ok) return wasmInfo(w.simd, why);
  return useCpu(`${why}, and ${w.why}: using the plain-JS CPU backend`);
}

/**
 * Activates a backend for `choice` and explains the outcome. Explicit choices that fail fall back
 * (WebGL → WASM → CPU) with the failure in the reason rather than throwing.
 */
export async function selectBackend(choice: BackendChoice, wasmPaths?: WasmPaths): Promise<BackendInfo> {
  if (choice === 'cpu') return useCpu('CPU backend requested');
  if (choice === 'wasm') {
    const w = await tryWasm(wasmPaths);
    if (w.ok) return wasmInfo(w.simd, 'WASM backend requested');
    return useCpu(`WASM requested but ${w.why}: using the plain-JS CPU backend`);
  }
  const gl = probeWebGL();
  if (choice === 'webgl') {
    if (gl.available && (await tf.setBackend('webgl').catch(() => false))) {
      return { backend: 'webgl', renderer: gl.renderer, reason: `WebGL backend requested (renderer: ${gl.renderer}${gl.software ? ', software' : ''})` };
    }
    return wasmElseCpu('WebGL requested but unavailable', wasmPaths);
  }
  // auto
  let why: string;
  if (!gl.available) why = 'WebGL is not available';
  else if (gl.software) why = `WebGL is software-rendered (${gl.renderer}), slower than WASM`;
  else if (await tf.setBackend('webgl').catch(() => false)) {
    return { backend: 'webgl', renderer: gl.renderer, reason: `hardware WebGL (${gl.renderer})` };
  } else why = `WebGL (${gl.renderer}) failed to initialise`;
  return wasmElseCpu(why, wasmPaths);
}

/**
 * The backend a run moves to when its WebGL context is lost: WASM, else CPU, with the loss in the reason.
 * Call after `resetBackends()`, which drops the dead WebGL backend.
 */
export async function selectAfterContextLoss(wasmPaths?: WasmPaths): Promise<BackendInfo> {
  return wasmElseCpu('the WebGL context was lost during training', wasmPaths);
}

/**
 * Throws every backend away (their factories stay registered, so the next `selectBackend` starts a fresh
 * one) and TF.js's tensor bookkeeping with them. For after an out-of-memory failure or a lost WebGL context,
 * whose backend cannot be used again; the webview's TF.js belongs to the training engine alone, and a run
 * frees its own tensors first, so what this drops is only what the dead backend could no longer free.
 */
export function resetBackends(): void {
  tf.engine().reset();
}
