/** Shared helpers for the source-reader tests (test/unit/parse-*.test.ts). */
import type { Argument, LayerCall, ParsedModel, ParseResult, Value } from '../../src/analysis/ir';

/** A value with its ranges dropped, for deepEqual against literals. */
export function plain(value: Value): unknown {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'list':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, plain(v)]));
    case 'call':
      return { call: value.callee, args: value.args.map((a) => (a.name ? { [a.name]: plain(a.value) } : plain(a.value))) };
    case 'symbolic':
      return { symbolic: value.text };
  }
}

export function arg(layer: LayerCall, nameOrIndex: string | number): unknown {
  const found: Argument | undefined = typeof nameOrIndex === 'number' ? layer.args.filter((a) => a.name === undefined)[nameOrIndex] : layer.args.find((a) => a.name === nameOrIndex);
  return found ? plain(found.value) : undefined;
}

export function types(model: ParsedModel): string[] {
  return model.layers.map((l) => l.type);
}

export function only(result: ParseResult): ParsedModel {
  if (result.models.length !== 1) throw new Error(`expected one model, got ${result.models.length}: ${result.models.map((m) => m.name).join(', ')}`);
  return result.models[0];
}

export function allLayers(result: ParseResult): LayerCall[] {
  return result.models.flatMap((m) => m.layers);
}
