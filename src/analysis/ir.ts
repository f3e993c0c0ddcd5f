/**
 * The intermediate representation between the source readers (src/analysis/parse/*) and the
 * numeric engine (initializers, shapes, report). Readers only say what is written; they never
 * compute fans or shapes. The engine only reads this IR; it never sees a syntax tree.
 *
 * Positions are 0-based (line and UTF-16 column, as tree-sitter reports them for JS strings and
 * as VS Code uses them).
 */

export type Framework = 'keras' | 'pytorch' | 'tfjs';

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A value read from source, resolved as far as static reading allows. */
export type Value =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  /** Python tuple or list, JS array. */
  | { kind: 'list'; items: Value[] }
  /** JS object literal (e.g. a TF.js config) or a JSON object. */
  | { kind: 'object'; entries: Record<string, Value> }
  /** A call used as a value, e.g. `initializers.HeNormal(seed=1)`, `tf.initializers.randomNormal({stddev: 0.01})`. */
  | { kind: 'call'; callee: string; args: Argument[] }
  /** Anything that could not be resolved: kept as its source text (e.g. `hidden`, `cfg.width`), never guessed. */
  | { kind: 'symbolic'; text: string };

export interface Argument {
  /** Keyword name (Python `units=`), or the key of a TF.js config object; undefined for positional arguments. */
  name?: string;
  value: Value;
  /** Where the whole argument (`units=128`, `units: 128`, `128`) is written. */
  range: Range;
  /** Where the value alone is written (for quick fixes that replace it). */
  valueRange: Range;
}

/** One layer constructor call as written in source. */
export interface LayerCall {
  /** The constructor's own name, as the framework spells it: `Dense`, `Conv2D`, `Linear`, `dense` (TF.js), `conv2d`. */
  type: string;
  /** The callee as written: `layers.Dense`, `tf.keras.layers.Dense`, `nn.Linear`, `tf.layers.dense`. */
  callee: string;
  /** Positional arguments first, then keyword ones. For TF.js the single config object is flattened into named arguments. */
  args: Argument[];
  /** The whole call expression. */
  range: Range;
  /** The argument list including its parentheses (TF.js: the config object literal including braces, or the parens when there is none). */
  argsRange: Range;
  /** The name it is bound to where there is one: `fc1` for `self.fc1 = nn.Linear(...)`, `x` for `x = Dense(8)(x)`, a Keras `name=` argument. */
  name?: string;
  /**
   * Functional graphs only: indices (into the same model's `layers`) of the layers whose outputs this
   * layer is applied to. Undefined means "the previous layer in the list" (sequential order); an Input
   * layer has [].
   */
  inbound?: number[];
  /** The call has no closing bracket (half-typed): only the arguments on its first line were read. */
  unfinished?: true;
}

/** A call of a PyTorch `nn.init.*` function (or similar) that sets a parameter explicitly. */
export interface InitCall {
  /** The init function as written, e.g. `nn.init.xavier_uniform_`, `torch.nn.init.kaiming_normal_`. */
  fn: string;
  /** The module attribute it targets (`fc1` in `self.fc1.weight`), or undefined when applied by type. */
  targetLayer?: string;
  /** Layer type it applies to when written as `if isinstance(m, nn.Linear): nn.init.xavier_uniform_(m.weight)`. */
  targetType?: string;
  /**
   * Text the layer's class name must contain, when written as `if m.__class__.__name__.find('Conv') != -1:` (or
   * `'Conv' in classname`): PyTorch's own class names are the layer types (`ConvTranspose2d`, `BatchNorm2d`).
   */
  targetTypeContains?: string;
  /** Set for an in-place tensor method (`m.weight.data.normal_(0, 0.02)`, `.zero_()`, `.fill_(1)`), whose arguments are not nn.init's. */
  tensorMethod?: boolean;
  /**
   * Set on the init calls of a block expanded into its parent: the path of the child (`layer1`) whose layers alone
   * the call reaches. A by-type call in `Block.__init__` sets Block's layers, not the parent's.
   */
  scope?: string;
  /** `weight` or `bias` (or another parameter name). */
  param: string;
  args: Argument[];
  range: Range;
}

/**
 * One step of a PyTorch `forward()` read as a chain over the module's layers (pythonForward.ts). `line` is
 * 1-based. Pool sizes and strides are as written (PyTorch's stride defaults to the kernel size).
 */
export type ForwardOp =
  | { op: 'module'; name: string; line: number }
  | { op: 'activation'; fn: string; line: number }
  | { op: 'pool'; kind: 'max' | 'avg'; kernelSize: number | [number, number]; stride?: number | [number, number]; line: number }
  | { op: 'dropout'; p: number; line: number }
  | { op: 'flatten'; features?: number; line: number };

/** A forward() read as a chain, or the line that could not be followed and why. */
export type ForwardChain = { ops: ForwardOp[] } | { refused: { line: number; code: string; why: string } };

export interface ParsedModel {
  framework: Framework;
  /** Variable name (`model`), class name (`Net`), or a generated one (`model@12`). */
  name: string;
  kind: 'sequential' | 'functional' | 'module';
  /** Where the model is defined: the Sequential(...) call, the class, the tf.model(...) call. */
  range: Range;
  /** Layers in definition order (nested PyTorch Sequentials are flattened, children keep their own ranges). */
  layers: LayerCall[];
  /** `model.build(input_shape=...)` or a model-level input shape, when written. */
  inputShape?: Value;
  /** PyTorch: explicit `nn.init.*` calls found in the module (in `__init__` or an init-weights method). */
  initCalls?: InitCall[];
  /**
   * PyTorch modules: where a quick fix may insert `nn.init...` lines — the end of the `__init__` body —
   * and the indentation used there.
   */
  initInsertion?: { position: Position; indent: string };
  /** PyTorch modules with a `forward` method: what it does, or why it cannot be followed. */
  forward?: ForwardChain;
}

export interface ParseResult {
  models: ParsedModel[];
  /** Problems worth telling the user (e.g. "syntax errors: analysed what could be read"), never thrown. */
  notices: string[];
}
