/**
 * The one typed message protocol between the extension host (src/panel) and the training webview
 * (webview/). Both sides import this file. Every message that crosses is validated against these
 * types on arrival (see `isWebviewToHostMessage` / `isHostToWebviewMessage`, owned by the panel work) and dropped
 * with a log line when it does not fit.
 *
 * Owners: the training-engine work defines TrainingConfig / progress / results; the panel-UI work
 * defines the envelope messages. Extend here; do not duplicate these types elsewhere.
 */

import type { ImageDataset } from './data/dataset';

/** Initializers the comparison offers (ids are stable: used in CSV/JSON exports and the CLI). */
export const INITIALIZER_IDS = [
  'zeros',
  'constant',
  'uniform_0.1',
  'normal_0.1',
  'normal_0.01',
  'standard_uniform',
  'xavier_uniform',
  'xavier_normal',
  'he_normal',
  'lecun_normal',
] as const;
export type InitializerId = (typeof INITIALIZER_IDS)[number];

export type ActivationChoice = 'model' | 'relu' | 'tanh' | 'sigmoid';
export type OptimizerChoice = 'adam' | 'sgd';
export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** A layer the webview can build in TF.js (a subset of the engine's LayerReport.config, canonical names). */
export interface TrainableLayerSpec {
  type: 'flatten' | 'dense' | 'conv2d' | 'maxPooling2d' | 'averagePooling2d' | 'dropout';
  units?: number;
  filters?: number;
  kernelSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  poolSize?: number | [number, number];
  rate?: number;
  activation?: string;
  /** Where the user's file defines the layer (e.g. "conv1: nn.Conv2d, line 14"), for messages naming it. */
  source?: string;
}

export interface ModelSpec {
  /** 'seed' and 'deep-tanh' are presets; 'custom' comes from the user's file. */
  id: 'seed' | 'deep-tanh' | 'custom';
  label: string;
  /** Input is always MNIST 28×28×1. */
  layers: TrainableLayerSpec[];
}

export interface TrainingConfig {
  model: ModelSpec;
  initializers: InitializerId[];
  activation: ActivationChoice;
  optimizer: OptimizerChoice;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  backend: BackendChoice;
}

// ---------------------------------------------------------------------------------------------------
// Training engine → UI events (owner: training-engine work). The webview's training code emits these
// through the `onEvent` callback of `runComparison` (webview/training/index.ts); the panel UI plots
// them and may forward them to the host unchanged. All numbers are plain JS numbers (no tensors).
// ---------------------------------------------------------------------------------------------------

/** Which backend actually runs, and why it was chosen (e.g. "WebGL renderer is SwiftShader (software): using WASM SIMD"). */
export interface BackendInfo {
  backend: 'webgl' | 'wasm' | 'cpu';
  reason: string;
  /** WASM only: whether the SIMD binary loaded. */
  simd?: boolean;
  /** WebGL only: the unmasked renderer string, when readable. */
  renderer?: string;
}

/** A small histogram computed in TF.js: `counts[i]` values fall in [edges[i], edges[i+1]). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Per-layer statistics on a fixed probe batch (Glorot & Bengio 2010, figures 6/7). */
export interface LayerStats {
  /** TF.js layer name, e.g. `dense_1` (stable across epochs within one run). */
  name: string;
  /** Activation function of the layer ('relu', 'tanh', 'sigmoid', 'softmax', 'linear'). */
  activation: string;
  units: number;
  actMean: number;
  actStd: number;
  /**
   * Share of saturated units on the probe batch, in [0, 1]: tanh |a| > 0.99; sigmoid a < 0.01 or a > 0.99;
   * relu: dead share (units that output 0 for every probe sample); linear/softmax: 0.
   */
  saturated: number;
  /** Std of the back-propagated gradient dL/d(pre-activation) of this layer on the probe batch. */
  gradStd: number;
  /** Std of dL/dW for the layer's kernel on the probe batch. */
  weightGradStd: number;
  weightHistInit: Histogram;
  weightHistNow: Histogram;
  /** Activation-value histogram on the probe batch (Glorot & Bengio fig. 6 style). */
  actHist: Histogram;
}

export interface InitializerResult {
  initializer: InitializerId;
  finalValAccuracy: number;
  finalValLoss: number;
  finalTrainLoss: number;
  /** Present when a test set was given (the official MNIST test set in the CLI / tests). */
  testAccuracy?: number;
  testLoss?: number;
  /** Wall time spent training this initializer (its share of the interleaved run). */
  seconds: number;
  samplesPerSec: number;
  /** True when the loss became NaN/Infinity and the run for this initializer was stopped early. */
  diverged?: boolean;
}

export interface ComparisonResult {
  backend: BackendInfo;
  config: TrainingConfig;
  results: InitializerResult[];
  /** True when an AbortSignal stopped the run before the last epoch. */
  stopped: boolean;
  totalSeconds: number;
  trainSize: number;
  valSize: number;
  testSize?: number;
}

export type TrainingEvent =
  | { type: 'run-started'; backend: BackendInfo; initializers: InitializerId[]; epochs: number; batchesPerEpoch: number; trainSize: number; valSize: number }
  | { type: 'progress'; initializer: InitializerId; epoch: number; batch: number; batchesPerEpoch: number; samplesPerSec: number; etaSec: number }
  /**
   * Throttled: one event per initializer per chunk (≈1,024 samples); `losses` are that chunk's per-batch losses
   * (the last one is batch number `step`, counted from 1 over the whole run), `loss` their mean.
   */
  | { type: 'batch-loss'; initializer: InitializerId; step: number; epoch: number; loss: number; losses: number[] }
  /**
   * `epochSeconds`: wall time of this epoch's training in the page (every initializer's batches of the epoch, their
   * loss readbacks, events and yields; not the validation pass or layer statistics that follow), the same for each
   * initializer's event of the epoch. With one initializer it is that network's epoch time (the benchmarks use it).
   */
  | { type: 'epoch-end'; initializer: InitializerId; epoch: number; valAccuracy: number; valLoss: number; trainLoss: number; epochSeconds?: number }
  /** Sent at init (epoch 0) and after every epoch. */
  | { type: 'layer-stats'; initializer: InitializerId; epoch: number; layers: LayerStats[] }
  | { type: 'run-finished'; result: ComparisonResult }
  | { type: 'run-error'; message: string }
  /**
   * The run moved to another backend because the WebGL context was lost (a GPU reset, a driver crash): every
   * initializer continues on `backend` from its last completed chunk. `epoch` is the epoch training continues
   * in (0: before the first), `step` the batches every initializer had completed (counted from 1 as in
   * batch-loss), `message` the notice to show. Results and the run-finished backend are the new backend's.
   */
  | { type: 'backend-changed'; backend: BackendInfo; previous: BackendInfo['backend']; epoch: number; step: number; message: string };

// ---------------------------------------------------------------------------------------------------
// Envelope: the messages that cross between the extension host (src/panel) and the webview
// (owner: panel-UI work). Anything that arrives is checked with `isWebviewToHostMessage` /
// `isHostToWebviewMessage` below before it is used; a message that does not fit is dropped and logged.
// ---------------------------------------------------------------------------------------------------

/**
 * One split of a dataset as raw bytes (the data module's ImageDataset): `pixels` holds `count` grey images
 * of rows×cols (always 28×28 here) row-major 0–255, `labels` the digits 0–9.
 */
export type DatasetSplit = ImageDataset;

/**
 * A split as it crosses postMessage: the bytes as bare ArrayBuffers, the one binary type every webview
 * host (desktop and code-server / web) transfers as such; the page wraps them in Uint8Arrays again.
 */
export interface WireDatasetSplit {
  count: number;
  rows: number;
  cols: number;
  pixels: ArrayBuffer;
  labels: ArrayBuffer;
}

/** A dataset read from disk by the host ("Load full MNIST…") and sent to the webview as transferable bytes. */
export interface DatasetPayload {
  /** Shown in the panel, e.g. "Full MNIST (IDX: ~/data/MNIST/raw)". */
  label: string;
  source: 'idx' | 'npz';
  train: WireDatasetSplit;
  /** The held-out test split when the user gave one (IDX t10k files, or x_test/y_test in an .npz). */
  test?: WireDatasetSplit;
}

/** The model found in the user's file, offered in the panel's model dropdown. */
export interface FileModelOffer {
  /** e.g. "model.py: Sequential at line 12". */
  label: string;
  /** Present when every layer can be built in TF.js. */
  spec?: ModelSpec;
  /** Why it cannot be trained (names the layer that stops it), when `spec` is absent. */
  problem?: string;
}

/** What the host keeps so that a reloaded webview shows the same run (results live in the host). */
export interface PanelSnapshot {
  /** The settings of the last run started, to restore the controls. */
  config?: TrainingConfig;
  /** Every training event of the last run, in order (replayed into the charts). */
  events: TrainingEvent[];
  /** Label of the dataset the last run used. */
  datasetLabel?: string;
}

export type ExportFormat = 'csv' | 'json' | 'markdown';

export type HostToWebviewMessage =
  /** Sent once after `ready`: where the bundled assets are and what to restore. */
  | { type: 'init'; subsetUrl: string; wasmBaseUrl: string; fileModel?: FileModelOffer; snapshot?: PanelSnapshot }
  /** The command was run again for another file/model while the panel is open. */
  | { type: 'file-model'; fileModel: FileModelOffer }
  | { type: 'dataset'; dataset: DatasetPayload }
  /** "Load full MNIST…" failed: `file` names the file, `message` the problem; the data already loaded stays. */
  | { type: 'dataset-error'; file: string; message: string }
  /** Start a run with these settings (or the panel's current settings when absent). */
  | { type: 'start'; config?: TrainingConfig }
  | { type: 'stop' }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

export type WebviewToHostMessage =
  | { type: 'ready' }
  /** A run began with this configuration: the host starts a fresh event log. */
  | { type: 'start'; config: TrainingConfig; datasetLabel: string }
  /** The user pressed Stop. */
  | { type: 'stop' }
  | { type: 'training-event'; event: TrainingEvent }
  | { type: 'load-dataset-request' }
  | { type: 'export-request'; format: ExportFormat }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

// --- runtime checks -----------------------------------------------------------------------------------
// Hand-written guards (no schema library in the webview bundle). Each map below is typed as a complete
// record over the union's `type` tags, so adding a message or event type without its check fails tsc.

type Rec = Record<string, unknown>;
type Check = (x: unknown) => boolean;

const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isString = (x: unknown): x is string => typeof x === 'string';
/** Any JS number, NaN included: a diverged run reports NaN losses and they must still arrive. */
const isNumber = (x: unknown): x is number => typeof x === 'number';
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const isBoolean = (x: unknown): x is boolean => typeof x === 'boolean';
const optional = (check: Check): Check => (x) => x === undefined || check(x);
const arrayOf = (check: Check, maxLength = 1_000_000): Check => (x) => Array.isArray(x) && x.length <= maxLength && x.every(check);
const oneOf = (values: readonly string[]): Check => (x) => typeof x === 'string' && values.includes(x);
const isPositiveSize = (x: unknown): boolean => isCount(x) && (x as number) > 0;
const isSizeOrPair = (x: unknown): boolean => isPositiveSize(x) || (Array.isArray(x) && x.length === 2 && x.every(isPositiveSize));

/** True when every listed field of `x` passes its check (fields not listed are ignored). */
function fields(x: unknown, checks: Record<string, Check>): x is Rec {
  if (!isRecord(x)) return false;
  for (const key of Object.keys(checks)) if (!checks[key](x[key])) return false;
  return true;
}

const LAYER_TYPES: Record<TrainableLayerSpec['type'], true> = {
  flatten: true, dense: true, conv2d: true, maxPooling2d: true, averagePooling2d: true, dropout: true,
};
const MODEL_IDS: Record<ModelSpec['id'], true> = { seed: true, 'deep-tanh': true, custom: true };
const ACTIVATIONS: Record<ActivationChoice, true> = { model: true, relu: true, tanh: true, sigmoid: true };
const OPTIMIZERS: Record<OptimizerChoice, true> = { adam: true, sgd: true };
const BACKEND_CHOICES: Record<BackendChoice, true> = { auto: true, webgl: true, wasm: true, cpu: true };
const BACKENDS: Record<BackendInfo['backend'], true> = { webgl: true, wasm: true, cpu: true };
const EXPORT_FORMATS: Record<ExportFormat, true> = { csv: true, json: true, markdown: true };

const isInitializerId = oneOf(INITIALIZER_IDS);

const isLayerSpec: Check = (x) =>
  fields(x, {
    type: oneOf(Object.keys(LAYER_TYPES)),
    units: optional(isPositiveSize),
    filters: optional(isPositiveSize),
    kernelSize: optional(isSizeOrPair),
    strides: optional(isSizeOrPair),
    padding: optional(oneOf(['valid', 'same'])),
    poolSize: optional(isSizeOrPair),
    rate: optional((r) => isFiniteNumber(r) && r >= 0 && r < 1),
    activation: optional(isString),
    source: optional(isString),
  });

export function isModelSpec(x: unknown): x is ModelSpec {
  return fields(x, { id: oneOf(Object.keys(MODEL_IDS)), label: isString, layers: arrayOf(isLayerSpec, 256) }) && (x.layers as unknown[]).length > 0;
}

/** A configuration the training code can run: sizes in range, at least one initializer, no duplicates. */
export function isTrainingConfig(x: unknown): x is TrainingConfig {
  return (
    fields(x, {
      model: isModelSpec,
      initializers: arrayOf(isInitializerId, INITIALIZER_IDS.length),
      activation: oneOf(Object.keys(ACTIVATIONS)),
      optimizer: oneOf(Object.keys(OPTIMIZERS)),
      learningRate: (v) => isFiniteNumber(v) && v > 0 && v <= 10,
      batchSize: (v) => isCount(v) && v >= 1 && v <= 65_536,
      epochs: (v) => isCount(v) && v >= 1 && v <= 1000,
      seed: (v) => Number.isSafeInteger(v),
      backend: oneOf(Object.keys(BACKEND_CHOICES)),
    }) &&
    (x.initializers as unknown[]).length > 0 &&
    new Set(x.initializers as unknown[]).size === (x.initializers as unknown[]).length
  );
}

const isBackendInfo: Check = (x) =>
  fields(x, { backend: oneOf(Object.keys(BACKENDS)), reason: isString, simd: optional(isBoolean), renderer: optional(isString) });

const isHistogram: Check = (x) =>
  fields(x, { edges: arrayOf(isNumber, 10_000), counts: arrayOf(isCount, 10_000) }) &&
  (x.edges as unknown[]).length === (x.counts as unknown[]).length + 1;

const isLayerStats: Check = (x) =>
  fields(x, {
    name: isString,
    activation: isString,
    units: isCount,
    actMean: isNumber,
    actStd: isNumber,
    saturated: isNumber,
    gradStd: isNumber,
    weightGradStd: isNumber,
    weightHistInit: isHistogram,
    weightHistNow: isHistogram,
    actHist: isHistogram,
  });

const isInitializerResult: Check = (x) =>
  fields(x, {
    initializer: isInitializerId,
    finalValAccuracy: isNumber,
    finalValLoss: isNumber,
    finalTrainLoss: isNumber,
    testAccuracy: optional(isNumber),
    testLoss: optional(isNumber),
    seconds: isNumber,
    samplesPerSec: isNumber,
    diverged: optional(isBoolean),
  });

const isComparisonResult: Check = (x) =>
  fields(x, {
    backend: isBackendInfo,
    config: isTrainingConfig,
    results: arrayOf(isInitializerResult, INITIALIZER_IDS.length),
    stopped: isBoolean,
    totalSeconds: isNumber,
    trainSize: isCount,
    valSize: isCount,
    testSize: optional(isCount),
  });

const EVENT_CHECKS: { [K in TrainingEvent['type']]: Record<string, Check> } = {
  'run-started': {
    backend: isBackendInfo,
    initializers: arrayOf(isInitializerId, INITIALIZER_IDS.length),
    epochs: isCount,
    batchesPerEpoch: isCount,
    trainSize: isCount,
    valSize: isCount,
  },
  progress: { initializer: isInitializerId, epoch: isCount, batch: isCount, batchesPerEpoch: isCount, samplesPerSec: isNumber, etaSec: isNumber },
  'batch-loss': { initializer: isInitializerId, step: isCount, epoch: isCount, loss: isNumber, losses: arrayOf(isNumber, 100_000) },
  'epoch-end': {
    initializer: isInitializerId, epoch: isCount, valAccuracy: isNumber, valLoss: isNumber, trainLoss: isNumber,
    epochSeconds: optional((v) => isFiniteNumber(v) && v >= 0),
  },
  'layer-stats': { initializer: isInitializerId, epoch: isCount, layers: arrayOf(isLayerStats, 256) },
  'run-finished': { result: isComparisonResult },
  'run-error': { message: isString },
  'backend-changed': { backend: isBackendInfo, previous: oneOf(Object.keys(BACKENDS)), epoch: isCount, step: isCount, message: isString },
};

export function isTrainingEvent(x: unknown): x is TrainingEvent {
  if (!isRecord(x) || !isString(x.type) || !Object.hasOwn(EVENT_CHECKS, x.type)) return false;
  return fields(x, EVENT_CHECKS[x.type as TrainingEvent['type']]);
}

/** Bytes as they arrive through postMessage: a typed-array view or a bare ArrayBuffer. */
/**
 * Bytes as they arrive through postMessage: an ArrayBuffer or a Uint8Array view. Checked by their built-in
 * tag, not `instanceof`, which fails for objects made in another frame's realm.
 */
const tagOf = (x: unknown) => Object.prototype.toString.call(x);
const isBytes: Check = (x) => tagOf(x) === '[object ArrayBuffer]' || tagOf(x) === '[object Uint8Array]';

const isDatasetSplit: Check = (x) => {
  if (!fields(x, { pixels: isBytes, labels: isBytes, count: isPositiveSize, rows: (r) => r === 28, cols: (c) => c === 28 })) return false;
  const count = x.count as number;
  return (x.pixels as Uint8Array | ArrayBuffer).byteLength === count * 28 * 28 && (x.labels as Uint8Array | ArrayBuffer).byteLength === count;
};

const isDatasetPayload: Check = (x) =>
  fields(x, { label: isString, source: oneOf(['idx', 'npz']), train: isDatasetSplit, test: optional(isDatasetSplit) });

const isFileModelOffer: Check = (x) =>
  fields(x, { label: isString, spec: optional(isModelSpec), problem: optional(isString) }) && (x.spec !== undefined || x.problem !== undefined);

const isPanelSnapshot: Check = (x) =>
  fields(x, { config: optional(isTrainingConfig), events: arrayOf(isTrainingEvent), datasetLabel: optional(isString) });

const HOST_TO_WEBVIEW_CHECKS: { [K in HostToWebviewMessage['type']]: Record<string, Check> } = {
  init: { subsetUrl: isString, wasmBaseUrl: isString, fileModel: optional(isFileModelOffer), snapshot: optional(isPanelSnapshot) },
  'file-model': { fileModel: isFileModelOffer },
  dataset: { dataset: isDatasetPayload },
  'dataset-error': { file: isString, message: isString },
  start: { config: optional(isTrainingConfig) },
  stop: {},
  notice: { level: oneOf(['info', 'error']), message: isString },
};

const WEBVIEW_TO_HOST_CHECKS: { [K in WebviewToHostMessage['type']]: Record<string, Check> } = {
  ready: {},
  start: { config: isTrainingConfig, datasetLabel: isString },
  stop: {},
  'training-event': { event: isTrainingEvent },
  'load-dataset-request': {},
  'export-request': { format: oneOf(Object.keys(EXPORT_FORMATS)) },
  log: { level: oneOf(['info', 'warn', 'error']), message: isString },
};

/** Checks a message that arrived in the extension host from the webview. */
export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (!isRecord(x) || !isString(x.type) || !Object.hasOwn(WEBVIEW_TO_HOST_CHECKS, x.type)) return false;
  return fields(x, WEBVIEW_TO_HOST_CHECKS[x.type as WebviewToHostMessage['type']]);
}

/** Checks a message that arrived in the webview from the extension host. */
export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  if (!isRecord(x) || !isString(x.type) || !Object.hasOwn(HOST_TO_WEBVIEW_CHECKS, x.type)) return false;
  return fields(x, HOST_TO_WEBVIEW_CHECKS[x.type as HostToWebviewMessage['type']]);
}

/** A short description of a message for log lines (never the whole payload, which may be megabytes). */
export function describeMessage(x: unknown): string {
  if (!isRecord(x)) {
    const kind = x === null ? 'null' : typeof x;
    return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} value`; // "an undefined value", "an object value"
  }
  const type = isString(x.type) ? `'${x.type.slice(0, 40)}'` : 'no type';
  // For datasets, what the bytes arrived as is the usual question.
  const train = isRecord(x.dataset) && isRecord(x.dataset.train) ? x.dataset.train : undefined;
  const size = (b: unknown) => (isRecord(b) || b instanceof Object ? String((b as { byteLength?: unknown }).byteLength) : '?');
  const bytes = train
    ? `, train: count ${String(train.count)}, ${String(train.rows)}×${String(train.cols)}, pixels ${tagOf(train.pixels)} of ${size(train.pixels)} bytes, labels ${tagOf(train.labels)} of ${size(train.labels)} bytes`
    : '';
  return `{type: ${type}, keys: ${Object.keys(x).slice(0, 8).join(', ')}${bytes}}`;
}

// ---------------------------------------------------------------------------------------------------
// Inspect Layers report (owner: editor work): the host (src/editor/reportPanel.ts) ↔ the report webview
// (webview/report/main.ts). Same rules: checked on arrival with the guards below, dropped and logged otherwise.
// ---------------------------------------------------------------------------------------------------

/** One row of the layer table, already formatted for reading (4 significant digits, symbols where unknown). */
export interface ReportRow {
  /** 1-based line of the layer, revealed on click. */
  line: number;
  /** 0-based column where the layer's call begins. */
  column: number;
  /** Notebooks: the 0-based index of the cell the layer is in (line and column are in that cell). */
  cell?: number;
  cells: {
    layer: string;
    line: string;
    shape: string;
    fanIn: string;
    fanOut: string;
    initializer: string;
    xavierUniform: string;
    xavierNormal: string;
    he: string;
    params: string;
  };
}

export interface ReportModel {
  title: string;
  name: string;
  line: number;
  rows: ReportRow[];
  /** "3 layers (3 with weights) · 109,386 params". */
  totals: string;
  totalParams: string;
}

export type ReportHostMessage =
  /** The report for `fileName`; `empty` says plainly why there is nothing to show. */
  | { type: 'report'; fileName: string; models: ReportModel[]; notices: string[]; empty?: string }
  | { type: 'copied' };

export type ReportWebviewMessage =
  | { type: 'ready' }
  /** A row was clicked: reveal that line (1-based) in the file. */
  | { type: 'reveal'; line: number; column: number; cell?: number }
  | { type: 'copy-markdown' };

const REPORT_WEBVIEW_CHECKS: Record<ReportWebviewMessage['type'], Record<string, Check>> = {
  ready: {},
  reveal: { line: isPositiveSize, column: isCount, cell: optional(isCount) },
  'copy-markdown': {},
};

/** Checks a message that arrived in the host from the report webview. */
export function isReportWebviewMessage(x: unknown): x is ReportWebviewMessage {
  if (!isRecord(x) || !isString(x.type) || !Object.hasOwn(REPORT_WEBVIEW_CHECKS, x.type)) return false;
  return fields(x, REPORT_WEBVIEW_CHECKS[x.type as ReportWebviewMessage['type']]);
}

const isReportRow: Check = (x) =>
  fields(x, { line: isPositiveSize, column: isCount, cell: optional(isCount), cells: (c) => isRecord(c) && Object.values(c).every(isString) });
const isReportModel: Check = (x) =>
  fields(x, { title: isString, name: isString, line: isCount, rows: arrayOf(isReportRow, 100_000), totals: isString, totalParams: isString });

const REPORT_HOST_CHECKS: Record<ReportHostMessage['type'], Record<string, Check>> = {
  report: { fileName: isString, models: arrayOf(isReportModel, 10_000), notices: arrayOf(isString, 10_000), empty: optional(isString) },
  copied: {},
};

/** Checks a message that arrived in the report webview from the host. */
export function isReportHostMessage(x: unknown): x is ReportHostMessage {
  if (!isRecord(x) || !isString(x.type) || !Object.hasOwn(REPORT_HOST_CHECKS, x.type)) return false;
  return fields(x, REPORT_HOST_CHECKS[x.type as ReportHostMessage['type']]);
}
