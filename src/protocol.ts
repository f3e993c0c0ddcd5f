/**
 * The one typed message protocol between the extension host (src/panel) and the training webview
 * (webview/). Both sides import this file. Every message that crosses is validated against these
 * types on arrival (see `isWebviewMessage` / `isHostMessage`, owned by the panel work) and dropped
 * with a log line when it does not fit.
 *
 * Owners: the training-engine work defines TrainingConfig / progress / results; the panel-UI work
 * defines the envelope messages. Extend here; do not duplicate these types elsewhere.
 */

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
