/** Looks up the definition of a layer type for a framework. */
import type { Framework } from '../ir';
import { isKerasInput, kerasLayerDefinition, unknownKerasLayer } from './keras';
import { torchLayerDefinition, unknownTorchLayer } from './torch';
import type { LayerAnalysis, LayerInput } from './types';

export type { LayerAnalysis, LayerInput, LayerKind, WeightDef } from './types';
export { declaredInputShape, isKerasInput } from './keras';
export { typeKey, activationName } from './common';

/** Analyses one layer call; unknown types give an `unknown` analysis with a note, never an exception. */
export function analyzeLayer(input: LayerInput): LayerAnalysis {
  if (input.framework === 'pytorch') {
    const definition = torchLayerDefinition(input.type);
    return definition ? definition(input) : unknownTorchLayer(input.type);
  }
  const definition = kerasLayerDefinition(input.type);
  return definition ? definition(input) : unknownKerasLayer(input);
}

export function startsGraph(framework: Framework, type: string): boolean {
  return framework !== 'pytorch' && isKerasInput(type);
}
