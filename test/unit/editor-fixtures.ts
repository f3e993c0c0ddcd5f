/**
 * Hand-built engine reports for the editor's unit tests (the pure parts take plain data). The numbers in
 * them are inputs (taken from docs/initializers.md's worked table, which was run against the
 * frameworks); the tests check what the editor makes of them, not the engine's math.
 */
import type { FileReport, Framework, LayerReport, ModelReport, Position, Range, WeightReport } from '../../src/analysis/types';
import type { PlainTextEdit } from '../../src/editor/quickFix';

export const ZERO_RANGE: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** The range of the `occurrence`-th `snippet` in `text` (0-based lines/columns, like the engine's). */
export function rangeOf(text: string, snippet: string, occurrence = 0): Range {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = text.indexOf(snippet, index + 1);
    if (index < 0) throw new Error(`fixture: ${JSON.stringify(snippet)} not found`);
  }
  const pos = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(index), end: pos(index + snippet.length) };
}

export function weight(overrides: Partial<WeightReport> & Pick<WeightReport, 'name'>): WeightReport {
  return {
    shape: [784, 128],
    fanIn: 784,
    fanOut: 128,
    initializer: 'glorot_uniform',
    initializerSource: 'default',
    inUse: { distribution: 'uniform', limit: 0.081111, actualStd: 0.046829 },
    xavierUniformLimit: 0.081111,
    xavierNormalStd: 0.046829,
    xavierNormalActualStd: 0.046829,
    heNormalStd: 0.050508,
    lecunNormalStd: 0.035714,
    ...overrides,
  };
}

export function bias(units: number): WeightReport {
  return weight({
    name: 'bias',
    shape: [units],
    fanIn: units,
    fanOut: units,
    initializer: 'zeros',
    inUse: { distribution: 'constant', value: 0 },
  });
}

export function layer(overrides: Partial<LayerReport> & Pick<LayerReport, 'name'>): LayerReport {
  return {
    line: 1,
    type: 'Dense',
    inputShape: [null, 784],
    outputShape: [null, 128],
    params: 100480,
    activation: 'relu',
    weights: [weight({ name: 'kernel' }), bias(128)],
    config: {},
    range: ZERO_RANGE,
    argsRange: ZERO_RANGE,
    ...overrides,
  };
}

export function model(layers: LayerReport[], framework: Framework = 'keras', overrides: Partial<ModelReport> = {}): ModelReport {
  return {
    name: 'model',
    framework,
    kind: framework === 'pytorch' ? 'module' : 'sequential',
    line: 1,
    range: ZERO_RANGE,
    layers,
    totalParams: layers.reduce((sum, l) => sum + (l.params ?? 0), 0),
    ...overrides,
  };
}

export function file(models: ModelReport[], name = 'model.py'): FileReport {
  return { file: name, models, notices: [] };
}

let nextLine = 100;

/** A Keras Dense layer with the given activation and kernel initializer (fans 64 → 64), on a line of its own. */
export function dense(name: string, activation: string | null, kernel: Partial<WeightReport> = {}): LayerReport {
  const line = nextLine++;
  return layer({
    name,
    line: line + 1,
    range: { start: { line, column: 4 }, end: { line, column: 40 } },
    argsRange: { start: { line, column: 16 }, end: { line, column: 40 } },
    activation,
    inputShape: [null, 64],
    outputShape: [null, 64],
    params: 4160,
    weights: [
      weight({
        name: 'kernel',
        shape: [64, 64],
        fanIn: 64,
        fanOut: 64,
        xavierUniformLimit: 0.216506,
        xavierNormalStd: 0.125,
        xavierNormalActualStd: 0.125,
        heNormalStd: 0.176777,
        lecunNormalStd: 0.125,
        inUse: { distribution: 'uniform', limit: 0.216506, actualStd: 0.125 },
        ...kernel,
      }),
      bias(64),
    ],
  });
}

/** Keras RandomNormal(stddev=σ) as the engine reports it. */
export function randomNormal(std: number): Partial<WeightReport> {
  return { initializer: 'RandomNormal', initializerSource: 'explicit', inUse: { distribution: 'normal', std, actualStd: std } };
}

/** `layers.Dense(...)` built from a seed model's layer spec: seed MLP 784-128-64-10, all glorot_uniform defaults. */
export function seedModel(): ModelReport {
  const d1 = layer({ name: 'dense', line: 6 });
  const d2 = layer({
    name: 'dense_1',
    line: 7,
    inputShape: [null, 128],
    outputShape: [null, 64],
    params: 8256,
    weights: [
      weight({ name: 'kernel', shape: [128, 64], fanIn: 128, fanOut: 64, xavierUniformLimit: 0.176777, xavierNormalStd: 0.102062, xavierNormalActualStd: 0.102062, heNormalStd: 0.125, inUse: { distribution: 'uniform', limit: 0.176777, actualStd: 0.102062 } }),
      bias(64),
    ],
  });
  const d3 = layer({
    name: 'dense_2',
    line: 8,
    activation: 'softmax',
    inputShape: [null, 64],
    outputShape: [null, 10],
    params: 650,
    weights: [
      weight({ name: 'kernel', shape: [64, 10], fanIn: 64, fanOut: 10, xavierUniformLimit: 0.284747, xavierNormalStd: 0.164399, xavierNormalActualStd: 0.164399, heNormalStd: 0.176777, inUse: { distribution: 'uniform', limit: 0.284747, actualStd: 0.164399 } }),
      bias(10),
    ],
  });
  const flatten = layer({ name: 'flatten', type: 'Flatten', line: 5, activation: null, inputShape: [null, 28, 28], outputShape: [null, 784], params: 0, weights: [] });
  return model([flatten, d1, d2, d3]);
}

/** Applies non-overlapping edits to text, last first, as an editor does. */
export function applyEdits(text: string, edits: PlainTextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.column;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((out, e) => out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end)), text);
}
