/** What a layer definition turns a constructor call into: its canonical config, weights and shapes. */
import type { Argument, Framework } from '../ir';
import type { SDim, SShape } from '../dims';
import type { NamedInitializer, WeightRole } from '../initializers';

export type LayerKind =
  | 'input' | 'dense' | 'conv' | 'conv_transpose' | 'depthwise_conv' | 'separable_conv' | 'embedding' | 'rnn'
  | 'batch_norm' | 'layer_norm' | 'group_norm' | 'flatten' | 'reshape' | 'pool' | 'global_pool' | 'adaptive_pool'
  | 'dropout' | 'activation' | 'prelu' | 'zero_padding' | 'merge' | 'instance_norm' | 'local_response_norm' | 'attention'
  | 'bilinear' | 'unknown';

/** One weight tensor as the framework stores it. */
export interface WeightDef {
  /** The framework's own name: `kernel`, `recurrent_kernel`, `bias`, `weight`, `weight_ih_l0`. */
  name: string;
  role: WeightRole;
  shape: SDim[];
  /** Keras/TF.js: the keyword (snake_case) that sets this weight's initializer, e.g. `kernel_initializer`. */
  initializerArg?: string;
  /** Keras/TF.js moving statistics: counted in params (as count_params does) but not trained. */
  trainable?: boolean;
  /** Name of the weight whose fans the initializer uses (PyTorch's default bias uses the weight's fan_in). */
  fansOf?: string;
  /**
   * PyTorch: the initializer the module's own reset_parameters applies to this weight, where it depends on the
   * module's arguments or differs from the defaults by role (PReLU's init=, MultiheadAttention's xavier_uniform_).
   */
  init?: NamedInitializer;
}

/** The analysis of one layer call. */
export interface LayerAnalysis {
  kind: LayerKind;
  /** Canonical configuration (units, filters, kernelSize, strides, padding, …) with the framework's defaults filled in. */
  config: Record<string, unknown>;
  inputShape: SShape;
  outputShape: SShape;
  weights: WeightDef[];
  /** Activation applied by the layer itself (or, for activation layers, the one they apply). */
  activation: string | null;
  notes: string[];
  /** PyTorch RNNs: hidden_size, which their default initializer uses. */
  hiddenSize?: SDim;
}

/** What a layer definition gets: the call's arguments and the shapes flowing into it. */
export interface LayerInput {
  framework: Framework;
  type: string;
  args: readonly Argument[];
  /** Output shapes of the inbound layers (one for most layers, several for merges); null entries when unknown. */
  inputs: SShape[];
}

export type LayerDefinition = (input: LayerInput) => LayerAnalysis;
