/**
 * Surviving the loss of the WebGL context during a run (a GPU reset, a driver crash, the browser reclaiming
 * the GPU for another tab): every texture, so every tensor on the WebGL backend, dies with it. The run keeps
 * going on WASM from each initializer's last completed chunk, rebuilt from a copy in JS memory.
 *
 * - `ContextLossWatch` notices the loss. Measured in Chromium: after the loss nothing throws; the steps run as
 *   no-ops and a readback (`tensor.data()`) never settles, because TF.js polls a fence that can no longer
 *   pass. So the training loop asks the watch after each step and races every readback against the loss.
 * - `snapshotTraining` copies a network's variables and its optimizer's state (through tf.Optimizer's own
 *   getWeights) to JS arrays after each completed chunk; `restoreTraining` writes them into a run rebuilt on
 *   the new backend. Only WebGL runs take snapshots: they are the only ones that can lose their memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './fusedAdam';

/** TF.js's GPGPU context of the active backend; undefined when the active backend is not WebGL. */
function activeGPGPU(): tf.GPGPUContext | undefined {
  if (tf.getBackend() !== 'webgl') return undefined;
  return (tf.backend() as tf.MathBackendWebGL).getGPGPUContext();
}

/** The WebGL context TF.js's active backend computes with; undefined when the active backend is not WebGL. */
export function activeWebGLContext(): WebGLRenderingContext | undefined {
  return activeGPGPU()?.gl;
}

/** Thrown where the training loop finds that the WebGL context it ran on is gone. */
export class ContextLostError extends Error {
  constructor(where: string) {
    super(`the WebGL context was lost (${where})`);
    this.name = 'ContextLostError';
  }
}

/**
 * Watches the active WebGL context for loss. Loss is sticky here even when the browser restores the context
 * later: the tensors died either way.
 */
export class ContextLossWatch {
  private lostFlag = false;
  private readonly whenLost: Promise<void>;
  private notify: () => void = () => undefined;
  private readonly onLost = () => {
    this.lostFlag = true;
    this.notify();
  };

  private readonly gl: WebGLRenderingContext;

  private constructor(private readonly gpgpu: tf.GPGPUContext) {
    this.gl = gpgpu.gl;
    const { gl } = this;
    this.whenLost = new Promise((resolve) => {
      this.notify = resolve;
    });
    // TF.js's own listener on this canvas calls preventDefault (so the browser may restore the context); ours only listens.
    gl.canvas.addEventListener('webglcontextlost', this.onLost as EventListener);
    if (gl.isContextLost()) this.onLost();
  }

  /** A watch over the active backend's context, or undefined when the active backend is not WebGL. */
  static start(): ContextLossWatch | undefined {
    const gpgpu = activeGPGPU();
    return gpgpu ? new ContextLossWatch(gpgpu) : undefined;
  }

  get lost(): boolean {
    if (!this.lostFlag && this.gl.isContextLost()) this.onLost();
    return this.lostFlag;
  }

  /** For after a readback: a value read once the context was gone is not the tensor's value. */
  throwIfLost(where: string): void {
    if (this.lost) throw new ContextLostError(where);
  }

  /** `readback`'s value, or a ContextLostError as soon as the context is lost (its readbacks never settle then). */
  race<T>(readback: Promise<T>, where: string): Promise<T> {
    // The losing promise may still reject later, inside a dead backend: nobody waits for it any more.
    readback.catch(() => undefined);
    return Promise.race([
      readback,
      this.whenLost.then((): never => {
        throw new ContextLostError(where);
      }),
    ]);
  }

  /**
   * After a loss: ends TF.js's wait for the readbacks the dead context can never finish. TF.js polls a fence
   * per pending readback every few milliseconds until it passes; on a lost context none ever does (measured:
   * 224 polls a second, for as long as the page lives). The queue is private to TF.js's GPGPUContext, hence
   * the cast; emptying it ends the loop, and `race` has already given those readbacks up.
   */
  abandonReadbacks(): void {
    const queue = (this.gpgpu as unknown as { itemsToPoll?: unknown[] }).itemsToPoll;
    if (Array.isArray(queue)) queue.length = 0;
  }

  stop(): void {
    this.gl.canvas.removeEventListener('webglcontextlost', this.onLost as EventListener);
  }
}

/** One tensor copied to JS memory. */
interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** A network's variables and its optimizer's state (e.g. Adam's iteration count and moments) at a chunk's end. */
export interface TrainingSnapshot {
  variables: SavedTensor[];
  optimizer: SavedTensor[];
}

/**
 * Copies `variables` and `optimizer`'s state to JS arrays. The readbacks run side by side: measured on
 * SwiftShader for the seed MLP (328k floats with Adam's moments), 45–84 ms per 1,024-sample chunk of
 * 1.3–1.7 s, against 112–136 ms for one concatenated readback. Throws ContextLostError when the context is
 * lost before or while it reads.
 */
export async function snapshotTraining(variables: tf.Variable[], optimizer: tf.Optimizer, watch: ContextLossWatch): Promise<TrainingSnapshot> {
  const state = await optimizer.getWeights();
  try {
    const named: NamedTensor[] = [...variables.map((v) => ({ name: v.name, tensor: v })), ...state];
    for (const { name, tensor } of named) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`cannot save ${name}: dtype ${tensor.dtype}`);
    }
    const values = await watch.race(Promise.all(named.map(({ tensor }) => tensor.data())), 'saving the training state');
    watch.throwIfLost('saving the training state');
    const saved = named.map(({ name, tensor }, i): SavedTensor => ({
      name, shape: [...tensor.shape], dtype: tensor.dtype as SavedTensor['dtype'], values: values[i] as SavedTensor['values'],
    }));
    return { variables: saved.slice(0, variables.length), optimizer: saved.slice(variables.length) };
  } finally {
    // getWeights returns the optimizer's own variables plus tensors made for the call (the iteration count).
    tf.dispose(state.map((s) => s.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
}

/** Writes `snapshot` into a network and optimizer built again on the active backend (same layers, same order). */
export async function restoreTraining(snapshot: TrainingSnapshot, variables: tf.Variable[], optimizer: tf.Optimizer): Promise<void> {
  if (snapshot.variables.length !== variables.length) {
    throw new Error(`cannot restore ${snapshot.variables.length} saved variables into a network of ${variables.length}`);
  }
  snapshot.variables.forEach((saved, i) => {
    const target = variables[i];
    if (saved.shape.join() !== target.shape.join()) throw new Error(`cannot restore ${saved.name} [${saved.shape}] into ${target.name} [${target.shape}]`);
    tf.tidy(() => target.assign(tf.tensor(saved.values, saved.shape, saved.dtype)));
  });
  const state: NamedTensor[] = snapshot.optimizer.map((saved) => ({ name: saved.name, tensor: tf.tensor(saved.values, saved.shape, saved.dtype) }));
  try {
    await optimizer.setWeights(state);
  } finally {
    // setWeights keeps what it needs as variables of its own (they share the data, which stays alive).
    tf.dispose(state.map((s) => s.tensor));
  }
}
