/**
 * Adam with the per-variable update fused into one kernel on the WASM backend.
 *
 * Why: TF.js's AdamOptimizer spends about twelve element-wise ops per variable and step (each a full pass over
 * the weights plus the engine's per-op bookkeeping). For the seed MLP on WASM that measured ≈45% of a batch-32
 * training step. One pass that reads w, g, m, v and writes w', m', v' does the same arithmetic at a fraction of
 * the cost. Backends without the kernel (WebGL, CPU) run the same formula as TF.js ops.
 *
 * The arithmetic and the saved state are TF.js's own (tfjs-core adam_optimizer.ts), so a run can move between
 * this class and tf.train.adam, and between backends, through getWeights/setWeights:
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   w ← w − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)        t = 1, 2, … (the step being applied)
 * Weights: [iterations, m of each variable…, v of each variable…], named `<variable>/m` and `<variable>/v`.
 */
import * as tf from '@tensorflow/tfjs';

/** Kernel name of the fused update (inputs w, g, m, v; attrs AdamStepAttrs; outputs w', m', v'). */
export const FUSED_ADAM_KERNEL = 'XavierLensFusedAdam';

interface AdamStepAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ for the step being applied. */
  correction1: number;
  correction2: number;
}

/** The slice of tfjs-backend-wasm's BackendWasm this kernel uses (outputs on the WASM heap, views of it). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * The element-wise update, with the bias corrections folded into two constants (one division per element
 * instead of three), in float64: lr·(m/c₁)/(√(v/c₂) + ε) = stepSize·m/(√v + eps) with stepSize = lr·√c₂/c₁
 * and eps = ε·√c₂. A function of its own with typed-array parameters, so V8 compiles one tight loop for it.
 */
function adamPass(
  W: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array,
  W1: Float32Array, M1: Float32Array, V1: Float32Array,
  beta1: number, beta2: number, stepSize: number, eps: number,
): void {
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  const n = W.length;
  for (let i = 0; i < n; i++) {
    const grad = G[i];
    const mi = beta1 * M[i] + a1 * grad;
    const vi = beta2 * V[i] + a2 * grad * grad;
    M1[i] = mi;
    V1[i] = vi;
    W1[i] = W[i] - (stepSize * mi) / (Math.sqrt(vi) + eps);
  }
}

/** One pass over the heap: reads w, g, m, v and writes the three new tensors (never in place: see below). */
function wasmFusedAdam({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const heap = backend as WasmHeapBackend;
  const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = attrs as unknown as AdamStepAttrs;
  const { w, g, m, v } = inputs as Record<'w' | 'g' | 'm' | 'v', tf.TensorInfo>;
  // New outputs rather than in-place writes: XNNPACK caches packed weights per tensor, and clones/variables share
  // buffers, so a tensor's contents must never change. All outputs are allocated before any view is taken,
  // because an allocation can grow the heap and detach earlier views.
  const outW = heap.makeOutput(w.shape, 'float32');
  const outM = heap.makeOutput(w.shape, 'float32');
  const outV = heap.makeOutput(w.shape, 'float32');
  const rootC2 = Math.sqrt(correction2);
  adamPass(
    heap.typedArrayFromHeap(w), heap.typedArrayFromHeap(g), heap.typedArrayFromHeap(m), heap.typedArrayFromHeap(v),
    heap.typedArrayFromHeap(outW), heap.typedArrayFromHeap(outM), heap.typedArrayFromHeap(outV),
    beta1, beta2, (learningRate * rootC2) / correction1, epsilon * rootC2,
  );
  return [outW, outM, outV];
}

/** Registers the fused kernel for the WASM backend (once; safe to call again). */
export function registerFusedAdamKernels(): void {
  if (!tf.getKernel(FUSED_ADAM_KERNEL, 'wasm')) {
    tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: 'wasm', kernelFunc: wasmFusedAdam as unknown as tf.KernelFunc });
  }
}

/** A named tensor as tf.Optimizer's getWeights/setWeights exchange them (tfjs does not export the type). */
export type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

interface Moment {
  originalName: string;
  variable: tf.Variable;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'XavierLensFusedAdam';
  }

  private firstMoments: Moment[] = [];
  private secondMoments: Moment[] = [];
  readonly epsilon: number;

  constructor(readonly learningRate: number, readonly beta1 = 0.9, readonly beta2 = 0.999, epsilon?: number) {
    super();
    registerFusedAdamKernels();
    // As tf.train.adam: the backend's epsilon (1e-7 for float32, 1e-4 where WebGL runs in float16).
    this.epsilon = epsilon ?? tf.backend().epsilon();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.keys(variableGradients).map((name) => [name, variableGradients[name]] as const);
    const t = this.iterations + 1;
    const attrs: AdamStepAttrs = {
      learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** t, correction2: 1 - this.beta2 ** t,
    };
    const fused = tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        this.firstMoments[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.secondMoments[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = this.firstMoments[i].variable;
        const v = this.secondMoments[i].variable;
        const [w1, m1, v1] = fused
          ? (tf.engine().runKernel(FUSED_ADAM_KERNEL, { w: value, g: gradient, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[])
          : adamWithOps(value, gradient, m, v, attrs);
        m.assign(m1);
        v.assign(v1);
        value.assign(w1);
      });
    });
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const moments = [...this.firstMoments, ...this.secondMoments];
    return [await this.saveIterations(), ...moments.map((v) => ({ name: v.originalName, tensor: v.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const count = rest.length / 2;
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((v) => v.variable));
    this.firstMoments = rest.slice(0, count).map((v) => ({ originalName: v.name, variable: v.tensor.variable(false) }));
    this.secondMoments = rest.slice(count, 2 * count).map((v) => ({ originalName: v.name, variable: v.tensor.variable(false) }));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((v) => v.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }
}

/** The same update as TF.js ops, for backends without the fused kernel. */
function adamWithOps(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, a: AdamStepAttrs): tf.Tensor[] {
  const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
  const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
  const step = tf.div(tf.div(m1, a.correction1), tf.add(tf.sqrt(tf.div(v1, a.correction2)), a.epsilon));
  return [tf.sub(w, tf.mul(step, a.learningRate)), m1, v1];
}
