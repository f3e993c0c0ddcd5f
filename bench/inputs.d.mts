// Types for inputs.mjs (plain JS so that `node` and `tsx` children both run it); the parts TypeScript callers use.

export interface BenchInput {
  id: string;
  path: string;
  generated: boolean;
  expectedLayers?: number;
  expectedModels?: number;
}

export function exampleInputs(examplesDir: string): BenchInput[];
/** A Keras Sequential model with `layerCount` layers after its `keras.Input`. */
export function kerasModelWithLayers(layerCount: number): string;
export function bigPythonFile(maxBytes: number): { text: string; models: number };
export function generatedInputs(): { dir: string; inputs: BenchInput[] };
