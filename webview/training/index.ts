/**
 * Training engine of the initializer comparison (no DOM, no UI): the panel UI (webview/main.ts) and the
 * headless runner (webview/headless.ts) both call it.
 *
 * API
 * - `selectBackend(choice, wasmPaths)` → `BackendInfo {backend, reason, simd?, renderer?}`: activates a TF.js
 *   backend ('auto' = hardware WebGL, else WASM SIMD, else CPU) and says why. `wasmPaths` is the folder URL of
 *   dist/tfjs-wasm/ ending in '/' (in the webview: `webview.asWebviewUri(.../dist/tfjs-wasm/)`).
 *   `runComparison` calls it itself; call it directly only to show the backend before a run.
 * - `runComparison(config, data, onEvent, signal, options?)` → `Promise<ComparisonResult>`: trains one network
 *   per `config.initializers` entry, all from `config.seed`, on the same fixed-seed split and batch order,
 *   interleaved chunk by chunk so that all curves grow together. `data.train` is the labelled pool (the bundled
 *   subset from `decodeSubset`, or full MNIST from `parseIdxPair`) split train/validation by `valFraction`
 *   (default 0.2, i.e. 8,000/2,000 for the subset); `data.test`, when given, is evaluated after training.
 *   Events (`TrainingEvent` in src/protocol.ts), in order: run-started; then per chunk and initializer
 *   batch-loss + progress, each initializer's first chunk followed by its layer-stats at epoch 0 (of the
 *   initial weights); per epoch epoch-end (with the epoch's training wall time) + layer-stats; finally
 *   run-finished (or run-error, and the promise rejects). Aborting `signal` stops within one chunk (well under a
 *   second) and resolves with `stopped: true` and the results so far. Every tensor the run made is disposed
 *   before the promise settles (tf.memory().numTensors returns to its value before the call).
 *   One run at a time: a second concurrent call rejects.
 *   If the WebGL context is lost mid-run, the run moves to WASM (else CPU) and continues from each initializer's
 *   last completed chunk, announced by a backend-changed event; the result then names the new backend
 *   (./recovery: the watch, and the snapshots taken after every chunk while on WebGL).
 * - Presets and the user-model converter live in src/training-spec.ts (SEED_MODEL, DEEP_TANH_MODEL,
 *   PRESET_DEFAULTS, modelSpecFromReport); initializer labels/formulas in INITIALIZER_INFO (./initializers).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../../src/data/dataset';
import {
  INITIALIZER_IDS,
  type BackendInfo,
  type ComparisonResult,
  type InitializerId,
  type InitializerResult,
  type TrainingConfig,
  type TrainingEvent,
} from '../../src/protocol';
import { resetBackends, selectAfterContextLoss, selectBackend, type WasmPaths } from './backend';
import { disposeBatch, disposeBatches, epochBatches, limitRows, sliceBatch, splitDataset, toArrays, type ArraySet, type EpochBatches } from './data';
import { releaseAbandonedTape } from './failures';
import { FusedAdamOptimizer } from './fusedAdam';
import { buildNetwork, forward, trainingStep, type Network, type Weights, weightsOf } from './network';
import { checkBatchSize, describeRunFailure, isOutOfMemory } from './limits';
import { deriveSeed } from './random';
import { ContextLossWatch, restoreTraining, snapshotTraining, type TrainingSnapshot } from './recovery';
import { LayerStatsProbe } from './stats';

export { selectBackend, probeWebGL, type WasmPaths } from './backend';
export { INITIALIZER_INFO, CONSTANT_INIT_VALUE } from './initializers';

export interface ComparisonData {
  /** Labelled images to split into training and validation sets. */
  train: ImageDataset;
  /** Optional held-out set (e.g. the official MNIST test set), evaluated once after training. */
  test?: ImageDataset;
  /** Share of `train` held out for validation (default 0.2). */
  valFraction?: number;
}

export interface ComparisonOptions {
  wasmPaths?: WasmPaths;
  /** Samples each initializer trains before the loop reads the loss back, reports, and yields (default 1024). */
  chunkSamples?: number;
  /** Probe batch size for layer statistics (default 500, taken from the validation set); 0 disables layer-stats. */
  probeSize?: number;
  /** Evaluation batch size (default 1000). */
  evalBatch?: number;
  /** Train on only the first N samples of the training split (quick checks and tests; validation is unchanged). */
  trainLimit?: number;
  /** Bytes of activations one step may need before the run is refused up front (default STEP_MEMORY_BUDGET_BYTES). */
  stepMemoryBudget?: number;
}

export type EventSink = (event: TrainingEvent) => void;

/** Longest stretch of training steps without yielding to the event loop (keeps Stop and the UI responsive). */
const MAX_BUSY_MS = 100;

/** Resolves on the next macrotask: MessageChannel avoids setTimeout's 4 ms clamp when nested. */
function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export function validateConfig(config: TrainingConfig): void {
  const bad = (msg: string) => {
    throw new Error(`invalid training configuration: ${msg}`);
  };
  if (!config.initializers.length) bad('pick at least one initializer');
  for (const id of config.initializers) if (!INITIALIZER_IDS.includes(id)) bad(`unknown initializer '${id}'`);
  if (new Set(config.initializers).size !== config.initializers.length) bad('an initializer is listed twice');
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1)) bad(`epochs must be a whole number ≥ 1 (got ${config.epochs})`);
  if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1)) bad(`batch size must be a whole number ≥ 1 (got ${config.batchSize})`);
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate))) bad(`learning rate must be > 0 (got ${config.learningRate})`);
  if (!Number.isInteger(config.seed)) bad(`seed must be a whole number (got ${config.seed})`);
}

/** One initializer's network, optimizer and running totals. */
class InitializerRun {
  readonly net: Network;
  readonly optimizer: tf.Optimizer;
  readonly initialKernels: tf.Tensor[];
  readonly initialBiases: tf.Tensor[];
  probe?: LayerStatsProbe;
  seconds = 0;
  samples = 0;
  steps = 0;
  epochLossSum = 0;
  epochLossCount = 0;
  diverged = false;
  lastVal = { accuracy: NaN, loss: NaN };
  lastTrainLoss = NaN;

  constructor(readonly id: InitializerId, config: TrainingConfig) {
    this.net = buildNetwork(config.model, id, config.activation, config.seed, id);
    this.optimizer = config.optimizer === 'adam' ? new FusedAdamOptimizer(config.learningRate) : tf.train.sgd(config.learningRate);
    this.initialKernels = this.net.layers.map((l) => tf.clone(l.kernel));
    this.initialBiases = this.net.layers.map((l) => tf.clone(l.bias));
  }

  /** The weights the network started from (for the epoch-0 statistics, taken after training has begun). */
  initialWeights(): Weights {
    return { kernels: this.initialKernels, biases: this.initialBiases };
  }

  /**
   * One training step (./network trainingStep). Returns the loss as a tensor: reading it back is left to the
   * caller, once per chunk, so no step waits on the backend.
   */
  step(x: tf.Tensor2D, y: tf.Tensor2D, dropoutSeed: number): tf.Scalar {
    return trainingStep(this.net, this.optimizer, x, y, dropoutSeed);
  }

  /**
   * Builds this run's tensors again on the active backend after the old one died with a lost WebGL context:
   * the network and optimizer at `saved` (its last completed chunk) or, with no snapshot yet, at
   * initialisation; the initial weights from the seed (the initializers draw from seeded JS generators, so
   * they come out the same on every backend). The running totals stay: they only ever count completed chunks.
   */
  async rebuild(config: TrainingConfig, saved: TrainingSnapshot | undefined): Promise<void> {
    const fresh = new InitializerRun(this.id, config);
    try {
      if (saved) await restoreTraining(saved, fresh.net.variables, fresh.optimizer);
    } catch (err) {
      fresh.dispose();
      throw err;
    }
    // Every tensor the constructor makes: the fields are readonly for all but this swap.
    Object.assign(this, { net: fresh.net, optimizer: fresh.optimizer, initialKernels: fresh.initialKernels, initialBiases: fresh.initialBiases });
    this.probe = undefined;
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
    tf.dispose([...this.initialKernels, ...this.initialBiases]);
  }
}

/** Mean loss and accuracy of `net` over `set`, in batches; one readback at the end. */
async function evaluate(net: Network, set: ArraySet, batch: number): Promise<{ loss: number; accuracy: number }> {
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < set.count; start += batch) {
      const size = Math.min(batch, set.count - start);
      const b = sliceBatch(set, start, size);
      parts.push(
        tf.tidy(() => {
          const { x, y, labels } = b;
          const logits = forward(net, weightsOf(net), x, { training: false });
          const lossSum = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.SUM);
          const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
          return tf.stack([lossSum, correct]);
        }),
      );
      disposeBatch(b);
    }
    const total = tf.tidy(() => tf.sum(tf.stack(parts), 0));
    const [lossSum, correct] = await total.data();
    total.dispose();
    return { loss: lossSum / set.count, accuracy: correct / set.count };
  } finally {
    tf.dispose(parts);
  }
}

let running = false;

export async function runComparison(
  config: TrainingConfig,
  data: ComparisonData,
  onEvent: EventSink,
  signal?: AbortSignal,
  options: ComparisonOptions = {},
): Promise<ComparisonResult> {
  if (running) throw new Error('a comparison is already running; stop it first');
  running = true;
  const started = now();
  let backend: BackendInfo | undefined;
  const runs: InitializerRun[] = [];
  let split: { train: ArraySet; val: ArraySet } | undefined;
  let test: ArraySet | undefined;
  let probe: ReturnType<typeof sliceBatch> | undefined;
  let batches: EpochBatches | undefined;
  let baseline = 0;
  let failure: unknown;
  /**
   * Frees every tensor the run holds: this epoch's batches, each initializer's tensors, the probe batch. With
   * `tolerate` (after a failure, or on a lost WebGL context, when the backend may refuse) each free runs on its
   * own and a refusal is swallowed, so one does not skip the rest; without it a refusal is thrown at once.
   */
  const freeAll = (tolerate: boolean) => {
    const attempt = (free: () => void) => {
      try {
        free();
      } catch (err) {
        if (!tolerate) throw err;
      }
    };
    attempt(() => disposeBatches(batches));
    batches = undefined;
    for (const run of runs) attempt(() => run.dispose());
    attempt(() => disposeBatch(probe));
    probe = undefined;
  };
  /** Present while the run is on WebGL; each run's last completed chunk is then kept in `snapshots`. */
  let watch: ContextLossWatch | undefined;
  const snapshots = new Map<InitializerRun, TrainingSnapshot>();
  try {
    validateConfig(config);
    backend = await selectBackend(config.backend, options.wasmPaths);
    watch = ContextLossWatch.start();
    baseline = tf.memory().numTensors;
    split = splitDataset(data.train, config.seed, data.valFraction ?? 0.2);
    const { val } = split;
    const train = options.trainLimit ? limitRows(split.train, options.trainLimit) : split.train;
    if (data.test) test = toArrays(data.test);
    for (const id of config.initializers) runs.push(new InitializerRun(id, config));
    checkBatchSize(config, train.count, runs[0].net, options.stepMemoryBudget);

    const probeSize = Math.min(options.probeSize ?? 500, val.count);
    const attachProbes = () => {
      if (probeSize === 0) return;
      probe = sliceBatch(val, 0, probeSize);
      for (const run of runs) run.probe = new LayerStatsProbe(run.net, probe.x, probe.y, run.initialKernels);
    };
    attachProbes();

    const batchesPerEpoch = Math.ceil(train.count / config.batchSize);
    const chunkBatches = Math.max(1, Math.round((options.chunkSamples ?? 1024) / config.batchSize));
    const totalSteps = batchesPerEpoch * config.epochs * runs.length;
    let stepsDone = 0;
    let trainingSeconds = 0;
    onEvent({ type: 'run-started', backend, initializers: [...config.initializers], epochs: config.epochs, batchesPerEpoch, trainSize: train.count, valSize: val.count });

    /** A readback that gives up when the WebGL context is lost (its readbacks never settle then). */
    const readback = <T>(values: Promise<T>, what: string): Promise<T> => (watch ? watch.race(values, what) : values);

    /**
     * The WebGL context died: frees what it held, starts WASM (else CPU) and builds every run again from its
     * last completed chunk, with the probe batch and this epoch's batches (a pure function of seed and epoch).
     */
    const moveOffLostContext = async (epoch: number) => {
      const previous = backend!.backend;
      watch?.abandonReadbacks();
      watch?.stop();
      watch = undefined;
      const hadBatches = batches !== undefined;
      // A dead context may refuse even its deletes; resetBackends drops what is left.
      freeAll(true);
      resetBackends();
      backend = await selectAfterContextLoss(options.wasmPaths);
      baseline = tf.memory().numTensors;
      for (const run of runs) await run.rebuild(config, snapshots.get(run));
      snapshots.clear();
      attachProbes();
      if (hadBatches) batches = epochBatches(train, config.batchSize, config.seed, epoch);
      // Batches every initializer has completed (a diverged one stopped counting when it diverged).
      const live = runs.filter((r) => !r.diverged);
      const step = Math.min(...(live.length ? live : runs).map((r) => r.steps));
      const batch = Math.max(0, step - (epoch - 1) * batchesPerEpoch);
      const name = backend.backend === 'wasm' ? `WASM${backend.simd ? ' (SIMD)' : ''}` : 'the CPU backend';
      const where = batch >= batchesPerEpoch ? `at the end of epoch ${epoch}` : `in epoch ${epoch} at batch ${batch + 1} of ${batchesPerEpoch}`;
      const message = `The WebGL context was lost (a GPU reset or a driver problem) ${where}: training continues on ${name} from the last completed batch.`;
      console.warn(`[xavier-lens] ${message}`);
      onEvent({ type: 'backend-changed', backend, previous, epoch, step, message });
    };

    /** Runs `work`; if the WebGL context is lost meanwhile, moves the run off it and runs `work` again. */
    const surviving = async <T>(epoch: number, work: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await work();
        } catch (err) {
          if (!watch?.lost) throw err;
          await moveOffLostContext(epoch);
        }
      }
    };

    const emitStats = async (run: InitializerRun, epoch: number, weights?: Weights) => {
      if (!run.probe) return;
      onEvent({ type: 'layer-stats', initializer: run.id, epoch, layers: await readback(run.probe.compute(weights), 'layer statistics') });
    };
    // Each run's epoch-0 statistics are computed from its kept initial weights right after its first chunk, not
    // before training: the first loss point then waits for no probe at all (the first probe on a fresh backend
    // measured ≈0.6 s in headless Chromium).
    const initialStatsSent = new Set<InitializerRun>();

    let stopped = false;
    const aborted = () => signal?.aborted === true;

    /** Batches [chunkStart, chunkEnd) of `run`: their losses, once read back, and on WebGL a snapshot after them. */
    const trainChunk = async (run: InitializerRun, epoch: number, chunkStart: number, chunkEnd: number) => {
      const t0 = now();
      const pending: tf.Scalar[] = [];
      let samples = 0;
      let sliceStart = t0;
      try {
        for (let b = chunkStart; b < chunkEnd; b++) {
          const { x, y } = batches!.batch(b);
          pending.push(run.step(x, y, deriveSeed(config.seed, 3, epoch, b)));
          // After a loss the steps would run as no-ops: stop at once.
          watch?.throwIfLost('training step');
          samples += x.shape[0];
          // On a slow or busy machine a chunk can take seconds: give the event loop (Stop, UI) a turn on time too.
          if (now() - sliceStart > MAX_BUSY_MS && b + 1 < chunkEnd) {
            await yieldToEventLoop();
            sliceStart = now();
            if (aborted()) break;
          }
        }
        const stacked = tf.stack(pending);
        let losses: number[];
        try {
          losses = Array.from(await readback(stacked.data(), 'reading the losses'));
        } finally {
          stacked.dispose();
        }
        // What training continues from should the context be lost later (kept in JS memory, which survives it).
        if (watch) snapshots.set(run, await snapshotTraining(run.net.variables, run.optimizer, watch));
        return { losses, samples, seconds: (now() - t0) / 1000 };
      } finally {
        // Also when a step fails (e.g. out of memory): the losses of the steps before it are tensors too.
        tf.dispose(pending);
      }
    };
    for (let epoch = 1; epoch <= config.epochs && !stopped; epoch++) {
      const epochStarted = now();
      batches = epochBatches(train, config.batchSize, config.seed, epoch);
      for (const run of runs) {
        run.epochLossSum = 0;
        run.epochLossCount = 0;
      }
      for (let chunkStart = 0; chunkStart < batchesPerEpoch && !stopped; chunkStart += chunkBatches) {
        const chunkEnd = Math.min(batchesPerEpoch, chunkStart + chunkBatches);
        for (const run of runs) {
          if (aborted()) {
            stopped = true;
            break;
          }
          if (run.diverged) {
            stepsDone += chunkEnd - chunkStart;
            continue;
          }
          const { losses, samples, seconds: dt } = await surviving(epoch, () => trainChunk(run, epoch, chunkStart, chunkEnd));
          run.seconds += dt;
          trainingSeconds += dt;
          run.samples += samples;
          run.steps += losses.length;
          stepsDone += losses.length;
          const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
          if (!Number.isFinite(mean)) run.diverged = true;
          run.epochLossSum += losses.reduce((a, b) => a + b, 0);
          run.epochLossCount += losses.length;
          onEvent({ type: 'batch-loss', initializer: run.id, step: run.steps, epoch, loss: mean, losses });
          const overallRate = stepsDone / Math.max(trainingSeconds, 1e-9);
          onEvent({
            type: 'progress', initializer: run.id, epoch, batch: chunkEnd, batchesPerEpoch,
            samplesPerSec: run.samples / Math.max(run.seconds, 1e-9),
            etaSec: (totalSteps - stepsDone) / overallRate,
          });
          if (!initialStatsSent.has(run)) {
            initialStatsSent.add(run);
            await surviving(epoch, () => emitStats(run, 0, run.initialWeights()));
          }
          await yieldToEventLoop();
        }
      }
      disposeBatches(batches);
      batches = undefined;
      if (stopped) break;
      const epochSeconds = (now() - epochStarted) / 1000;
      for (const run of runs) {
        if (aborted()) {
          stopped = true;
          break;
        }
        run.lastVal = await surviving(epoch, () => readback(evaluate(run.net, val, options.evalBatch ?? 1000), 'validation'));
        run.lastTrainLoss = run.epochLossCount ? run.epochLossSum / run.epochLossCount : NaN;
        onEvent({ type: 'epoch-end', initializer: run.id, epoch, valAccuracy: run.lastVal.accuracy, valLoss: run.lastVal.loss, trainLoss: run.lastTrainLoss, epochSeconds });
        await surviving(epoch, () => emitStats(run, epoch));
        await yieldToEventLoop();
      }
    }

    const results: InitializerResult[] = [];
    for (const run of runs) {
      const result: InitializerResult = {
        initializer: run.id,
        finalValAccuracy: run.lastVal.accuracy,
        finalValLoss: run.lastVal.loss,
        finalTrainLoss: run.lastTrainLoss,
        seconds: run.seconds,
        samplesPerSec: run.samples / Math.max(run.seconds, 1e-9),
      };
      if (run.diverged) result.diverged = true;
      if (test && !stopped) {
        const t = await surviving(config.epochs, () => readback(evaluate(run.net, test!, options.evalBatch ?? 1000), 'test set'));
        result.testAccuracy = t.accuracy;
        result.testLoss = t.loss;
      }
      results.push(result);
    }
    const comparison: ComparisonResult = {
      backend, config, results, stopped,
      totalSeconds: (now() - started) / 1000,
      trainSize: train.count, valSize: val.count,
      ...(test ? { testSize: test.count } : {}),
    };
    onEvent({ type: 'run-finished', result: comparison });
    return comparison;
  } catch (err) {
    failure = err;
    // A gradient computation that threw (a probe's tf.grads too) leaves its tape's saved tensors behind.
    releaseAbandonedTape();
    const message = describeRunFailure(err, config, backend?.backend);
    onEvent({ type: 'run-error', message });
    throw message === (err instanceof Error ? err.message : String(err)) ? err : new Error(message, { cause: err });
  } finally {
    // After a failure the backend may be unusable, so a refused free is then tolerated.
    freeAll(failure !== undefined);
    watch?.stop();
    if (failure && isOutOfMemory(failure)) {
      // Measured: after the WASM heap runs out, every later call on that module fails ("memory access out of
      // bounds"), even a batch of 32. A fresh backend is the only way to keep the panel usable.
      resetBackends();
      console.warn(`[xavier-lens] ${backend?.backend ?? 'the'} backend ran out of memory; it was reset for the next run`);
    } else if (backend && tf.memory().numTensors !== baseline) {
      console.warn(`[xavier-lens] tensor leak: ${tf.memory().numTensors - baseline} tensors left after the run`);
    }
    running = false;
  }
}
