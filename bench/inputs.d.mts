// Types of inputs.mjs for the TypeScript benchmarks.
export interface BenchInput {
  id: string;
  path: string;
  generated: boolean;
  expectedLayers?: number;
  expectedModels?: number;
}
export function exampleInputs(examplesDir: string): BenchInput[];
export function kerasModelWithLayers(layerCount: number): string;
export function bigPythonFile(maxBytes: number): { text: string; models: number };
export function generatedInputs(): { dir: string; inputs: BenchInput[] };
