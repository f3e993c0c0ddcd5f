/**
 * Our side of the CNN training-throughput figures: the convnet of a model file (default examples/keras_cnn.py),
 * read by the engine into the panel's training spec (analyzeText + modelSpecFromReport, what `xavier-lens compare
 * --model FILE` does), trained by the panel's own training code in headless Chromium through the runner `compare`
 * uses (src/cli/headless-runner.ts), one initializer (xavier_uniform = Keras's glorot_uniform), Adam lr 0.001.
 * Prints one JSON object: the run's result, the layer spec and `epochSeconds` (each epoch's training wall time in
 * the page, from the epoch-end events), as `compare --json` does. What `compare` lacks and this adds: --samples,
 * which trains on the first N samples of the (seeded, shuffled) training split, for reduced runs.
 *   node --import tsx bench/cnnTraining.ts --backend wasm --batch 64 --epochs 5 [--samples N] [--model FILE]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText, setGrammarDirectory } from '../src/analysis/index';
import { HeadlessSession } from '../src/cli/headless-runner';
import type { BackendChoice, ModelSpec, TrainingConfig } from '../src/protocol';
import { modelSpecFromReport } from '../src/training-spec';
import { argValue, repoRoot } from './engine';

async function specOf(file: string): Promise<ModelSpec> {
  setGrammarDirectory(join(repoRoot, 'dist', 'tree-sitter'));
  const report = await analyzeText(readFileSync(file, 'utf8'), file);
  const problems: string[] = [];
  for (const model of report.models) {
    const converted = modelSpecFromReport(model);
    if ('spec' in converted) return converted.spec;
    problems.push(converted.error);
  }
  throw new Error(`${file}: no model the panel can train${problems.length ? `: ${problems.join('; ')}` : ''}`);
}

function positive(name: string, fallback: number): number {
  const raw = argValue(name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0 (got ${raw})`);
  return n;
}

async function main(): Promise<void> {
  const file = resolve(repoRoot, argValue('--model') ?? 'examples/keras_cnn.py');
  const backend = (argValue('--backend') ?? 'wasm') as BackendChoice;
  const batchSize = positive('--batch', 64);
  const epochs = positive('--epochs', 5);
  const samples = positive('--samples', 0);
  const spec = await specOf(file);
  const config: TrainingConfig = {
    model: spec, initializers: ['xavier_uniform'], activation: 'model', optimizer: 'adam', learningRate: 0.001,
    batchSize, epochs, seed: 1, backend,
  };
  const epochSeconds: number[] = [];
  const session = await HeadlessSession.open({
    root: repoRoot,
    onEvent: (event) => {
      if (event.type === 'epoch-end' && event.epochSeconds !== undefined) epochSeconds[event.epoch - 1] = event.epochSeconds;
      else if (event.type === 'progress') process.stderr.write(`\repoch ${event.epoch} batch ${event.batch}/${event.batchesPerEpoch}, ${Math.round(event.samplesPerSec)} samples/s   `);
    },
  });
  try {
    const { result } = await session.run(config, samples ? { trainLimit: samples } : undefined);
    process.stderr.write('\n');
    const { config: _config, ...rest } = result;
    process.stdout.write(`${JSON.stringify({ ...rest, model: file.slice(repoRoot.length + 1), layers: spec.layers, batch: batchSize, epochs, epochSeconds })}\n`);
  } finally {
    await session.close();
  }
}

main().catch((error: unknown) => {
  console.error(`cnnTraining: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
