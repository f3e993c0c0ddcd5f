/**
 * Initializer findings: the pure rules behind the editor's diagnostics. They read a FileReport and
 * say which initializer choices are known to hurt training, why (with the layer's own numbers), and
 * which initializer to write instead. No editor code here: src/editor/diagnostics.ts shows them and
 * src/editor/quickFix.ts turns a finding's `suggestion` into an edit.
 *
 * The reasoning is the variance argument of Glorot & Bengio (2010) and He et al. (2015): a layer
 * multiplies the variance of its input signal by about fan_in · Var(w) (times ½ after a ReLU). Kept
 * near 1, the signal neither vanishes nor saturates the units through a deep stack.
 */
import type { FileReport, LayerReport, ModelReport, Range, WeightReport } from './types';

export type FindingCode =
  | 'constant-kernel'
  | 'small-fixed-scale-saturating'
  | 'xavier-on-deep-relu'
  | 'he-on-saturating'
  | 'pytorch-default-on-deep-relu';

/** Framework-neutral name of the initializer a quick fix writes. */
export type SuggestedInitializer = 'he_normal' | 'glorot_uniform';

export interface Finding {
  code: FindingCode;
  /** The whole message: "<which layer(s)>: <detail>". */
  message: string;
  /** The message without the layer it names (for places that already show the layer, like its hover card). */
  detail: string;
  /** How many layers share this spot in the source (a loop that makes several layers). */
  layerCount: number;
  /** Where to show it: the explicit initializer value when written, else the layer call. */
  range: Range;
  modelIndex: number;
  layerIndex: number;
  /** The weight the finding is about (`kernel`, `weight`). */
  weightName: string;
  suggestion: SuggestedInitializer;
  /** The activation family the suggestion is for (PyTorch's `nonlinearity=` argument). */
  nonlinearity: 'relu' | 'tanh' | 'sigmoid' | 'linear';
}

/**
 * How many weight layers with the same activation family make a stack "deep": from three on,
 * a per-layer variance factor of ½ (Xavier under ReLU) already compounds to ⅛ at the output.
 */
export const DEEP_STACK_MIN_LAYERS = 3;

/** Fixed-scale initializers with an actual weight std at or below this are "small" (uniform ±0.1, σ 0.1, σ 0.01). */
export const SMALL_FIXED_STD = 0.1;

export type ActivationFamily = 'relu' | 'tanh' | 'sigmoid' | 'other' | 'none';

/** The activation's family, whatever the framework's spelling (`relu`, `ReLU`, `nn.ReLU`, `leaky_relu`, `LeakyReLU`). */
export function activationFamily(activation: string | null): ActivationFamily {
  if (!activation) return 'none';
  const key = activation.toLowerCase().replace(/^.*\./, '').replace(/[^a-z0-9]/g, '');
  if (['relu', 'relu6', 'leakyrelu', 'prelu'].includes(key)) return 'relu';
  if (['tanh', 'hardtanh'].includes(key)) return 'tanh';
  if (['sigmoid', 'hardsigmoid'].includes(key)) return 'sigmoid';
  if (['linear', 'none', 'identity'].includes(key)) return 'none';
  return 'other';
}

export type InitializerFamily = 'xavier' | 'he' | 'lecun' | 'pytorch-default' | 'fixed' | 'constant' | 'other';

/**
 * The initializer's family from its name as the engine spells it (`glorot_uniform`, `GlorotNormal`,
 * `heNormal`, `kaiming_uniform_(a=sqrt(5))`, `RandomNormal(stddev=0.01)`, `normal_`) and how it draws.
 * Only the engine's initializer names are read here, never source code.
 */
export function initializerFamily(weight: Pick<WeightReport, 'initializer' | 'initializerSource' | 'inUse'>): InitializerFamily {
  if (weight.inUse.distribution === 'constant') return 'constant';
  const raw = weight.initializer.toLowerCase();
  const name = raw.replace(/\(.*$/, '').replace(/^.*\./, '').replace(/[^a-z]/g, '');
  if (name.startsWith('kaiming') && raw.includes('sqrt(5)')) return 'pytorch-default';
  if (name.startsWith('glorot') || name.startsWith('xavier')) return 'xavier';
  if (name.startsWith('he') || name.startsWith('kaiming')) return 'he';
  if (name.startsWith('lecun')) return 'lecun';
  if (['zeros', 'zero', 'ones', 'one', 'constant'].includes(name)) return 'constant';
  if (['randomnormal', 'randomuniform', 'truncatednormal', 'normal', 'uniform', 'truncnormal'].includes(name)) return 'fixed';
  return 'other';
}

/** The weights' actual standard deviation (truncation included) from how the initializer draws; null when unknown. */
export function actualStd(weight: Pick<WeightReport, 'inUse'>): number | null {
  const use = weight.inUse;
  if (typeof use.actualStd === 'number') return use.actualStd;
  if (use.distribution === 'uniform' && typeof use.limit === 'number') return use.limit / Math.sqrt(3);
  if (use.distribution === 'normal' && typeof use.std === 'number') return use.std;
  return null;
}

/** The weight that carries the layer's fans: a matrix or conv kernel (rank ≥ 2), not a bias or a norm's scale. */
export function mainWeight(layer: LayerReport): WeightReport | undefined {
  return layer.weights.find((w) => w.shape.length >= 2 && !/bias/i.test(w.name) && !/recurrent/i.test(w.name));
}

interface WeightLayer {
  layer: LayerReport;
  layerIndex: number;
  weight: WeightReport;
  activation: ActivationFamily;
}

function weightLayers(model: ModelReport): WeightLayer[] {
  const out: WeightLayer[] = [];
  model.layers.forEach((layer, layerIndex) => {
    const weight = mainWeight(layer);
    if (weight) out.push({ layer, layerIndex, weight, activation: activationFamily(layer.activation) });
  });
  return out;
}

function significant(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function where(entry: WeightLayer): Range {
  return entry.weight.initializerRange ?? entry.layer.range;
}

function describeInitializer(weight: WeightReport): string {
  return weight.initializerSource === 'default' ? `\`${weight.initializer}\` (the default)` : `\`${weight.initializer}\``;
}

function activationName(family: ActivationFamily): string {
  return family === 'relu' ? 'ReLU' : family;
}

/** Every finding for every model in the file, in model then layer order. */
export function findInitializerProblems(report: FileReport): Finding[] {
  return mergeSameSpot(report, collectFindings(report));
}

/** One key per spot and rule: findings with equal keys are merged (same code, same model, same range). */
function spotKey(finding: RawFinding): string {
  const { start, end } = finding.range;
  return `${finding.modelIndex}|${finding.code}|${start.line}:${start.column}-${end.line}:${end.column}`;
}

/**
 * One finding per spot in the source: layers made in a loop (`for _ in range(8): model.add(Dense(...))`)
 * share one written initializer, so they get one diagnostic naming them all, and one fix. Linear: a map
 * from spot to its group (a Map keeps first-insertion order, so the groups come out in the order their
 * first finding came in, as before).
 */
function mergeSameSpot(report: FileReport, findings: RawFinding[]): Finding[] {
  const merged = new Map<string, { finding: RawFinding; layers: LayerReport[] }>();
  for (const finding of findings) {
    const layer = report.models[finding.modelIndex].layers[finding.layerIndex];
    const key = spotKey(finding);
    const same = merged.get(key);
    if (same) same.layers.push(layer);
    else merged.set(key, { finding, layers: [layer] });
  }
  return Array.from(merged.values(), ({ finding, layers }) => {
    const first = layers[0];
    const subject =
      layers.length === 1
        ? first.name === first.type
          ? `\`${first.name}\`` // TF.js names its first `dense` layer `dense`: "dense `dense`" says it twice
          : `${first.type} \`${first.name}\``
        : `${layers.length} ${first.type} layers made here (\`${first.name}\` … \`${layers[layers.length - 1].name}\`)`;
    return { ...finding, message: `${subject}: ${finding.detail}`, layerCount: layers.length };
  });
}

/** Findings before merging: `message` and `layerCount` are filled in by mergeSameSpot. */
export type RawFinding = Omit<Finding, 'message' | 'layerCount'>;

/** Every rule's finding per weight layer, before findings at the same spot are merged (exported for the merge's tests). */
export function collectFindings(report: FileReport): RawFinding[] {
  const findings: RawFinding[] = [];
  report.models.forEach((model, modelIndex) => {
    const entries = weightLayers(model);
    const countOf = (family: ActivationFamily) => entries.filter((e) => e.activation === family).length;
    const reluDepth = countOf('relu');
    const saturatingDepth = countOf('tanh') + countOf('sigmoid');

    for (const entry of entries) {
      const { weight, activation } = entry;
      const family = initializerFamily(weight);
      const base = { range: where(entry), modelIndex, layerIndex: entry.layerIndex, weightName: weight.name };
      const nonlinearity = activation === 'relu' || activation === 'tanh' || activation === 'sigmoid' ? activation : 'linear';
      const fanIn = weight.fanIn;

      if (family === 'constant') {
        const value = weight.inUse.value;
        const what = value === 0 || value === undefined || value === null ? 'the same constant' : `the constant ${significant(value)}`;
        findings.push({
          ...base,
          code: 'constant-kernel',
          detail:
            `${weight.name} initialised to ${what} by ${describeInitializer(weight)}. ` +
            `Every unit starts identical and receives the same gradient, so the units never become different (symmetry is not broken). ` +
            `Use a random initializer scaled to the layer's fans.`,
          suggestion: activation === 'relu' ? 'he_normal' : 'glorot_uniform',
          nonlinearity,
        });
        continue;
      }

      if ((activation === 'tanh' || activation === 'sigmoid') && saturatingDepth >= DEEP_STACK_MIN_LAYERS && family === 'fixed') {
        const std = actualStd(weight);
        if (std !== null && std <= SMALL_FIXED_STD * (1 + 1e-9)) {
          const gain = fanIn !== null ? fanIn * std * std : null;
          const effect =
            gain === null
              ? 'a fixed scale ignores the layer size, so the signal drifts from layer to layer'
              : gain < 1
                ? `fan_in · Var(w) = ${fanIn} × ${significant(std)}² ≈ ${significant(gain)}: each layer shrinks the signal's variance, so it vanishes through the stack and so do the gradients`
                : `fan_in · Var(w) = ${fanIn} × ${significant(std)}² ≈ ${significant(gain)}: each layer grows the signal's variance and pushes ${activation} units into saturation, where gradients vanish`;
          findings.push({
            ...base,
            code: 'small-fixed-scale-saturating',
            detail:
              `fixed-scale ${describeInitializer(weight)} (weight σ ≈ ${significant(std)}) in a deep ${activation} stack ` +
              `(${saturatingDepth} tanh/sigmoid weight layers; deep = ${DEEP_STACK_MIN_LAYERS} or more): ${effect}. ` +
              `Xavier/Glorot scales the weights to the fans and keeps the variance near 1.`,
            suggestion: 'glorot_uniform',
            nonlinearity,
          });
        }
        continue;
      }

      if (activation === 'relu' && reluDepth >= DEEP_STACK_MIN_LAYERS && family === 'xavier') {
        findings.push({
          ...base,
          code: 'xavier-on-deep-relu',
          detail:
            `Xavier/Glorot ${describeInitializer(weight)} in a deep ReLU stack ` +
            `(${reluDepth} ReLU weight layers; deep = ${DEEP_STACK_MIN_LAYERS} or more). ReLU zeroes half of the signal, so with Xavier ` +
            `its variance roughly halves at every layer (×${significant(0.5 ** reluDepth)} over ${reluDepth} layers). He (σ = √(2/fan_in)) keeps it.`,
          suggestion: 'he_normal',
          nonlinearity: 'relu',
        });
        continue;
      }

      if (activation === 'relu' && reluDepth >= DEEP_STACK_MIN_LAYERS && family === 'pytorch-default') {
        findings.push({
          ...base,
          code: 'pytorch-default-on-deep-relu',
          detail:
            `PyTorch's default ${weight.initializer} draws U(±1/√fan_in), a variance of 1/(3·fan_in), ` +
            `in a deep ReLU stack (${reluDepth} ReLU weight layers; deep = ${DEEP_STACK_MIN_LAYERS} or more): the signal's variance shrinks ~6× per layer. ` +
            `kaiming_normal_(nonlinearity='relu') keeps it.`,
          suggestion: 'he_normal',
          nonlinearity: 'relu',
        });
        continue;
      }

      if ((activation === 'tanh' || activation === 'sigmoid') && family === 'he') {
        findings.push({
          ...base,
          code: 'he-on-saturating',
          detail:
            `He ${describeInitializer(weight)} with ${activationName(activation)}. He doubles the variance ` +
            `to make up for ReLU's dropped half; ${activation} keeps both halves, so the pre-activations grow and the units saturate. ` +
            `Xavier/Glorot is made for ${activation}.`,
          suggestion: 'glorot_uniform',
          nonlinearity,
        });
      }
    }
  });
  return findings;
}
