/**
 * Turning an initializer as written (a Keras string or class call, a TF.js name or factory call, a JSON
 * `{class_name, config}` object, a PyTorch `nn.init.*` call) into an InitializerSpec.
 */
import type { Argument, Framework, InitCall, Value } from './ir';
import {
  type FanMode,
  type InitializerSpec,
  type NamedInitializer,
  kerasVarianceScaling,
  torchGain,
} from './initializers';
import { ArgReader, numberOf, stringOf, valueText } from './values';
import { typeKey } from './layers/common';

/**
 * Lower case without underscores, of the last dotted part: `glorot_uniform`, `GlorotUniform`,
 * `initializers.glorotUniform` all read `glorotuniform` (the layer types' key, remembered there).
 */
function normalizedName(name: string): string {
  return typeKey(name.slice(name.lastIndexOf('.') + 1));
}

/** The arguments of an initializer named by a string (`'glorot_uniform'`): none. Shared, as it is only read. */
const NO_ARGUMENTS = new ArgReader([], []);

/** A numeric argument of an initializer, or its default. */
function numberArgument(args: ArgReader, key: string, fallback: number): number {
  return numberOf(args.value(key)) ?? fallback;
}

/** The named arguments of an initializer call: TF.js passes one config object, Keras keywords or positionals. */
function initializerArgs(args: readonly Argument[], signature: readonly string[]): ArgReader {
  const first = args[0];
  if (first && first.name === undefined && first.value.kind === 'object') {
    const entries = Object.entries(first.value.entries).map(([name, value]) => ({ ...first, name, value }));
    return new ArgReader(entries, signature);
  }
  return new ArgReader(args, signature);
}

/** Named arguments from a JSON `config` object. */
function configArgs(config: Value | undefined): ArgReader {
  if (config?.kind !== 'object') return new ArgReader([], []);
  const zero = { line: 0, column: 0 };
  const range = { start: zero, end: zero };
  return new ArgReader(Object.entries(config.entries).map(([name, value]) => ({ name, value, range, valueRange: range })), []);
}

function fanModeOf(text: string | undefined, fallback: FanMode): FanMode {
  switch (text === undefined ? undefined : normalizedName(text)) {
    case 'fanin': return 'fan_in';
    case 'fanout': return 'fan_out';
    case 'fanavg': return 'fan_avg';
    default: return fallback;
  }
}

const SIGNATURES: Record<string, string[]> = {
  randomnormal: ['mean', 'stddev', 'seed'],
  normal: ['mean', 'stddev', 'seed'],
  truncatednormal: ['mean', 'stddev', 'seed'],
  randomuniform: ['minval', 'maxval', 'seed'],
  uniform: ['minval', 'maxval', 'seed'],
  constant: ['value'],
  variancescaling: ['scale', 'mode', 'distribution', 'seed'],
  orthogonal: ['gain', 'seed'],
  identity: ['gain'],
};

/**
 * The spec of a Keras or TF.js initializer given by name and arguments. Keras corrects its truncated
 * normals (glorot_normal, he_normal, lecun_normal, VarianceScaling) by 0.8796…; TF.js 4.22 does not.
 */
export function kerasFamilyInitializer(name: string, args: ArgReader, framework: Framework): InitializerSpec {
  const corrected = framework !== 'tfjs';
  // No local helper closure: this runs for every weight, and a named closure is re-created (and, where esbuild
  // keeps names, renamed with defineProperty) on every call.
  switch (normalizedName(name)) {
    case 'glorotuniform': return kerasVarianceScaling('glorot', 'uniform', corrected);
    case 'glorotnormal': return kerasVarianceScaling('glorot', 'normal', corrected);
    case 'heuniform': return kerasVarianceScaling('he', 'uniform', corrected);
    case 'henormal': return kerasVarianceScaling('he', 'normal', corrected);
    case 'lecununiform': return kerasVarianceScaling('lecun', 'uniform', corrected);
    case 'lecunnormal': return kerasVarianceScaling('lecun', 'normal', corrected);
    case 'zeros': case 'zero': return { kind: 'constant', value: 0 };
    case 'ones': case 'one': return { kind: 'constant', value: 1 };
    case 'constant': return { kind: 'constant', value: numberArgument(args, 'value', 0) };
    case 'randomnormal': case 'normal': return { kind: 'normal', mean: numberArgument(args, 'mean', 0), std: numberArgument(args, 'stddev', 0.05) };
    case 'randomuniform': case 'uniform': return { kind: 'uniform', low: numberArgument(args, 'minval', -0.05), high: numberArgument(args, 'maxval', 0.05) };
    case 'truncatednormal': {
      const mean = numberArgument(args, 'mean', 0);
      const std = numberArgument(args, 'stddev', 0.05);
      return { kind: 'truncated_normal', mean, std, low: mean - 2 * std, high: mean + 2 * std };
    }
    case 'variancescaling': return varianceScalingSpec(args, framework);
    case 'orthogonal': return { kind: 'orthogonal', gain: numberArgument(args, 'gain', 1) };
    case 'identity': return { kind: 'identity', gain: numberArgument(args, 'gain', 1) };
    default: return { kind: 'unknown' };
  }
}

/**
 * VarianceScaling(scale, mode, distribution). Keras: default (1, fan_in, truncated_normal); 'normal' is
 * tf.keras 2's alias of truncated_normal; 'untruncated_normal' is plain. TF.js: default (1, fanIn, normal);
 * its apply() draws a truncated normal for 'normal' and a uniform for anything else.
 */
function varianceScalingSpec(args: ArgReader, framework: Framework): InitializerSpec {
  const scale = numberOf(args.value('scale')) ?? 1;
  const mode = fanModeOf(stringOf(args.value('mode')), 'fan_in');
  const distribution = normalizedName(stringOf(args.value('distribution')) ?? (framework === 'tfjs' ? 'normal' : 'truncated_normal'));
  if (framework === 'tfjs') {
    return distribution === 'normal'
      ? { kind: 'variance_scaling', scale, mode, distribution: 'truncated_normal', corrected: false }
      : { kind: 'variance_scaling', scale, mode, distribution: 'uniform', corrected: false };
  }
  if (distribution === 'uniform') return { kind: 'variance_scaling', scale, mode, distribution: 'uniform', corrected: true };
  if (distribution === 'untruncatednormal') return { kind: 'variance_scaling', scale, mode, distribution: 'normal', corrected: true };
  return { kind: 'variance_scaling', scale, mode, distribution: 'truncated_normal', corrected: true };
}

/** The name shown for an initializer written as a call or JSON object: class name and the numbers given. */
function callName(callee: string, args: ArgReader): string {
  const last = callee.slice(callee.lastIndexOf('.') + 1);
  const shown: string[] = [];
  for (const key of ['mean', 'stddev', 'minval', 'maxval', 'value', 'scale', 'mode', 'distribution', 'gain']) {
    const v = args.value(key);
    if (v && v.kind !== 'none') shown.push(`${key}=${valueText(v)}`);
  }
  return shown.length ? `${last}(${shown.join(', ')})` : last;
}

/**
 * A Keras/TF.js initializer argument (`kernel_initializer=...`, `kernelInitializer: ...`, or a JSON
 * initializer object) as a named spec; undefined when the value is None/absent (the default applies).
 */
export function readKerasFamilyInitializer(value: Value | undefined, framework: Framework): NamedInitializer | undefined {
  if (!value || value.kind === 'none') return undefined;
  switch (value.kind) {
    case 'string': return { name: value.value, spec: kerasFamilyInitializer(value.value, NO_ARGUMENTS, framework) };
    case 'call': {
      const name = value.callee.slice(value.callee.lastIndexOf('.') + 1);
      const args = initializerArgs(value.args, SIGNATURES[normalizedName(name)] ?? []);
      return { name: callName(value.callee, args), spec: kerasFamilyInitializer(name, args, framework) };
    }
    case 'object': {
      const className = stringOf(value.entries['class_name'] ?? value.entries['className']);
      if (!className) return { name: valueText(value), spec: { kind: 'unknown' } };
      const args = configArgs(value.entries['config']);
      return { name: callName(className, args), spec: kerasFamilyInitializer(className, args, framework) };
    }
    default:
      return { name: valueText(value), spec: { kind: 'unknown' } };
  }
}

/** A gain argument: a number, or `nn.init.calculate_gain('relu'[, param])` evaluated as PyTorch does. */
function gainOf(v: Value | undefined, fallback: number): number | undefined {
  if (!v) return fallback;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'call' && normalizedName(v.callee) === 'calculategain') {
    const args = new ArgReader(v.args, ['nonlinearity', 'param']);
    const nonlinearity = stringOf(args.value('nonlinearity'));
    return nonlinearity === undefined ? undefined : torchGain(nonlinearity, numberOf(args.value('param'))) ?? undefined;
  }
  return undefined;
}

const TORCH_SIGNATURES: Record<string, string[]> = {
  xavieruniform: ['gain'],
  xaviernormal: ['gain'],
  kaiminguniform: ['a', 'mode', 'nonlinearity'],
  kaimingnormal: ['a', 'mode', 'nonlinearity'],
  uniform: ['a', 'b'],
  normal: ['mean', 'std'],
  truncnormal: ['mean', 'std', 'a', 'b'],
  constant: ['val'],
  orthogonal: ['gain'],
};

/** The init call's arguments after the tensor it fills (readers may or may not include that tensor). */
/** In-place tensor methods (`torch.Tensor.normal_` …): their parameters, which differ from nn.init's (`uniform_(from, to)`). */
const TENSOR_METHOD_SIGNATURES: Record<string, string[]> = {
  normal: ['mean', 'std'],
  uniform: ['from', 'to'],
  fill: ['value'],
  zero: [],
};

function argumentsAfterTensor(args: readonly Argument[]): Argument[] {
  const first = args[0];
  const tensorWritten = first !== undefined && first.name === undefined && first.value.kind === 'symbolic';
  return tensorWritten ? args.slice(1) : args.filter((a) => a.name !== 'tensor');
}

/** A PyTorch `nn.init.*` call as a named spec (`xavier_uniform_(gain=…)` = variance scaling with scale gain²). */
export function readTorchInitCall(call: Pick<InitCall, 'fn' | 'args' | 'tensorMethod'>): NamedInitializer {
  const fn = call.fn.slice(call.fn.lastIndexOf('.') + 1);
  const key = normalizedName(fn);
  const args = call.tensorMethod
    ? new ArgReader([...call.args], TENSOR_METHOD_SIGNATURES[key] ?? [])
    : new ArgReader(argumentsAfterTensor(call.args), TORCH_SIGNATURES[key] ?? []);
  const shownArgs = args.args.map((a) => (a.name ? `${a.name}=${valueText(a.value)}` : valueText(a.value))).join(', ');
  const name = `${fn}(${shownArgs})`;
  // An argument left out takes PyTorch's default; one written but not evaluable (`std=cfg.std`) is unknown, never the default.
  let unreadable = false;
  const num = (k: string, fallback: number) => {
    const value = args.value(k);
    if (value === undefined) return fallback;
    const n = numberOf(value);
    if (n === undefined) unreadable = true;
    return n ?? NaN;
  };
  const spec = ((): InitializerSpec => {
    if (call.tensorMethod) {
      switch (key) {
        case 'normal': return { kind: 'normal', mean: num('mean', 0), std: num('std', 1) };
        case 'uniform': return { kind: 'uniform', low: num('from', 0), high: num('to', 1) };
        case 'zero': return { kind: 'constant', value: 0 };
        case 'fill': {
          const value = numberOf(args.value('value'));
          return value === undefined ? { kind: 'unknown' } : { kind: 'constant', value };
        }
        default: return { kind: 'unknown' };
      }
    }
    switch (key) {
      case 'xavieruniform': case 'xaviernormal': {
        const gain = gainOf(args.value('gain'), 1);
        if (gain === undefined) return { kind: 'unknown' };
        return { kind: 'variance_scaling', scale: gain * gain, mode: 'fan_avg', distribution: key === 'xavieruniform' ? 'uniform' : 'normal', corrected: false };
      }
      case 'kaiminguniform': case 'kaimingnormal': {
        const nonlinearity = stringOf(args.value('nonlinearity')) ?? 'leaky_relu';
        const gain = torchGain(nonlinearity, num('a', 0));
        if (gain === null) return { kind: 'unknown' };
        const mode = fanModeOf(stringOf(args.value('mode')), 'fan_in');
        return { kind: 'variance_scaling', scale: gain * gain, mode, distribution: key === 'kaiminguniform' ? 'uniform' : 'normal', corrected: false };
      }
      case 'uniform': return { kind: 'uniform', low: num('a', 0), high: num('b', 1) };
      case 'normal': return { kind: 'normal', mean: num('mean', 0), std: num('std', 1) };
      case 'truncnormal': return { kind: 'truncated_normal', mean: num('mean', 0), std: num('std', 1), low: num('a', -2), high: num('b', 2) };
      case 'constant': {
        const value = numberOf(args.value('val'));
        return value === undefined ? { kind: 'unknown' } : { kind: 'constant', value };
      }
      case 'zeros': return { kind: 'constant', value: 0 };
      case 'ones': return { kind: 'constant', value: 1 };
      case 'orthogonal': {
        const gain = gainOf(args.value('gain'), 1);
        return gain === undefined ? { kind: 'unknown' } : { kind: 'orthogonal', gain };
      }
      case 'eye': case 'dirac': return { kind: 'identity', gain: 1 };
      default: return { kind: 'unknown' };
    }
  })();
  return { name, spec: unreadable ? { kind: 'unknown' } : spec };
}
