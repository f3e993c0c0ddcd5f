/**
 * Limits a training run must respect, checked before any step runs, and the translation of allocation
 * failures during a run into a message that says what to change. A batch size the data or the memory cannot
 * hold is a user setting, so the message names the setting and a value that works.
 */
import type { TrainingConfig } from '../../src/protocol';
import { layerOutputShapes, type Network } from './network';

/**
 * Bytes of activations one training step may hold. WASM32 memory ends at 4 GiB (Chromium's default WebGL
 * texture budgets are of the same order), and the engine also keeps the epoch's batches, the optimizer slots
 * and a second copy of every initializer's network; 1 GiB for one step's activations leaves room for those.
 */
export const STEP_MEMORY_BUDGET_BYTES = 1024 ** 3;

/**
 * Floats a step keeps per sample and layer output: the pre-activation, the activation and their two
 * gradients. A rough, deliberately generous multiplier: the check is meant to catch settings that are off by
 * orders of magnitude, not to predict the allocator.
 */
const FLOATS_PER_OUTPUT_IN_A_STEP = 4;

/** Estimated bytes of activations (and their gradients) of one training step on a batch of `batchSize`. */
export function stepActivationBytes(net: Network, batchSize: number): number {
  const inputFloats = 784;
  const outputFloats = layerOutputShapes(net, 1).reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
  return batchSize * (inputFloats + outputFloats * FLOATS_PER_OUTPUT_IN_A_STEP) * 4;
}

/**
 * Throws a message naming the batch size and the largest workable value when the batch cannot be made from
 * `trainCount` samples or its step would exceed `budgetBytes`.
 */
export function checkBatchSize(config: TrainingConfig, trainCount: number, net: Network, budgetBytes = STEP_MEMORY_BUDGET_BYTES): void {
  const batch = config.batchSize;
  if (batch > trainCount) {
    throw new Error(`batch size ${batch} is larger than the training set (${trainCount} samples): pick a batch size of at most ${trainCount} (32–256 is usual)`);
  }
  const bytes = stepActivationBytes(net, batch);
  if (bytes > budgetBytes) {
    const perSample = bytes / batch;
    const largest = Math.max(1, Math.floor(budgetBytes / perSample));
    throw new Error(
      `batch size ${batch} needs about ${formatBytes(bytes)} per training step for this model, more than the ${formatBytes(budgetBytes)} ` +
        `the panel allows: pick a batch size of at most ${largest}`,
    );
  }
}

/** Error texts of allocation failures: WASM heap growth, JS typed arrays, WebGL textures and TF.js's own checks. */
const OUT_OF_MEMORY = /out of memory|memory access out of bounds|cannot enlarge memory|maximum memory|array buffer allocation failed|invalid typed array length|failed to allocate|allocation failed|\bOOM\b|requested texture size|GL_OUT_OF_MEMORY/i;

export function isOutOfMemory(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return OUT_OF_MEMORY.test(text);
}

/**
 * The message a failed run reports: allocation failures become advice naming the batch size; anything else
 * keeps its own text.
 */
export function describeRunFailure(err: unknown, config: TrainingConfig, backend: string | undefined): string {
  const text = err instanceof Error ? err.message : String(err);
  if (!isOutOfMemory(err)) return text;
  const smaller = Math.max(1, Math.floor(config.batchSize / 4));
  return (
    `training ran out of memory with batch size ${config.batchSize} on the ${backend ?? 'current'} backend (${text.slice(0, 160)}): ` +
    `pick a smaller batch size (e.g. ${smaller}) or compare fewer initializers at once`
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
