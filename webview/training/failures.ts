/**
 * What a failed training step leaves behind, and what its error says.
 *
 * - TF.js's `engine.gradients` keeps a clone of every tensor a kernel saves for its gradient (`keep`, outside
 *   any tidy) and frees them only after a backward pass that completes. When the forward or backward pass
 *   throws (a kernel the backend lacks, an allocation failure), the tape with those clones stays on
 *   `engine.state.activeTape` and the next tf.grads replaces it: the clones leak (27 tensors for a failed CNN
 *   step). `releaseAbandonedTape` frees them.
 * - A kernel error names a kernel, not the user's layer. `LayerTrace` follows a step through the network: in
 *   the forward pass it is told which layer runs; in the backward pass identity markers placed on each layer's
 *   output (whose gradient runs just before that layer's own) say which layer's gradient is being computed.
 */
import * as tf from '@tensorflow/tfjs';

interface EngineState {
  activeTape: { saved?: tf.Tensor[] }[] | null;
  gradientDepth: number;
}

/** Frees the saved tensors of a tape that a failed gradient computation left behind; returns how many. */
export function releaseAbandonedTape(): number {
  const state = tf.engine().state as unknown as EngineState;
  // While a gradient computation is running (depth > 0) the tape is in use, not abandoned.
  if (!state.activeTape || state.gradientDepth !== 0) return 0;
  let freed = 0;
  for (const node of state.activeTape) {
    for (const t of node.saved ?? []) {
      if (!t.isDisposed) {
        t.dispose();
        freed++;
      }
    }
  }
  state.activeTape = null;
  return freed;
}

export type StepPhase = 'forward pass' | 'backward pass' | 'optimizer update';

/** Where a training step is: which layer (by its label), in which phase. */
export class LayerTrace {
  layer = 'the input';
  phase: StepPhase = 'forward pass';

  enter(layer: string, phase: StepPhase): void {
    this.layer = layer;
    this.phase = phase;
  }

  /**
   * `h` unchanged (a reshape to its own shape shares the data), recorded on the tape so that its gradient
   * announces `layer`: the backward pass reaches a layer's output just before it differentiates the layer.
   */
  mark<T extends tf.Tensor>(h: T, layer: string): T {
    const marker = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.reshape(args[0] as tf.Tensor, (args[0] as tf.Tensor).shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        this.enter(layer, 'backward pass');
        const g = dy as tf.Tensor;
        return [tf.reshape(g, g.shape)];
      },
    }));
    return marker(h) as T;
  }

  /** The error a failed step reports: the layer, the phase and the backend, then TF.js's own text. */
  explain(err: unknown, backend: string): Error {
    const text = err instanceof Error ? err.message : String(err);
    return new Error(`training failed in ${this.layer}, ${this.phase}, on the ${backend} backend: ${text}`, { cause: err });
  }
}
