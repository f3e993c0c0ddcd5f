/**
 * `xavier-lens compare`: trains the initializer comparison headless (the webview's own training code in
 * headless Chromium, see ./headless-runner) and prints a results table or JSON.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  INITIALIZER_IDS,
  type ActivationChoice,
  type BackendChoice,
  type BackendInfo,
  type ComparisonResult,
  type InitializerId,
  type ModelSpec,
  type OptimizerChoice,
  type TrainingConfig,
  type TrainingEvent,
} from '../protocol';
import { DEFAULT_COMPARISON_INITIALIZERS, MODEL_PRESETS, PRESET_DEFAULTS, modelSpecFromReport } from '../training-spec';
import { findPackageRoot, openHeadlessSession } from './headless-runner';
import type { FitBaselineResult } from '../../webview/training/fit-baseline';

export const COMPARE_USAGE = `Usage: xavier-lens compare [options]

Trains MNIST with several weight initializers side by side (TF.js in headless Chromium) and prints the results.

Options:
  --model seed|deep-tanh|FILE  preset, or the first trainable model in a Keras/PyTorch/TF.js file (default: seed)
  --inits a,b,...              initializers (default: ${DEFAULT_COMPARISON_INITIALIZERS.join(',')})
                               one of: ${INITIALIZER_IDS.join(', ')}
  --activation model|relu|tanh|sigmoid   hidden-layer activation (default: model)
  --optimizer adam|sgd         (default: the preset's: adam for seed, sgd for deep-tanh)
  --lr X                       learning rate (default: 0.001 adam, 0.1 sgd)
  --epochs N                   (default: 10 seed, 5 deep-tanh)
  --batch N                    batch size (default: 32)
  --seed N                     seed for weights, split and data order (default: 1)
  --backend auto|webgl|wasm|cpu  (default: auto)
  --test-idx DIR               evaluate on the MNIST test set (t10k-*-idx*-ubyte[.gz]) in DIR after training
  --fit-baseline               also time TF.js model.fit on the same network (benchmark reference; in a
                               browser of its own, before the comparison)
  --json                       print JSON instead of a table (with epochSeconds: each epoch's training
                               wall time in the page, first initializer)
Environment: CHROME_PATH (default /usr/bin/chromium).`;

class UsageError extends Error {}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function numberOption(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (name !== 'seed' && n <= 0)) {
    throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number${name !== 'seed' ? ' > 0' : ''} (got '${value}')`);
  }
  return n;
}

/** Builds a ModelSpec from a model file with the engine (analyzeText) and modelSpecFromReport. */
async function modelFromFile(file: string): Promise<ModelSpec> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const { analyzeText, setGrammarDirectory } = await import('../analysis/index');
  setGrammarDirectory(join(findPackageRoot(typeof __dirname !== 'undefined' ? __dirname : process.cwd()), 'dist', 'tree-sitter'));
  const report = await analyzeText(text, file);
  if (report.models.length === 0) {
    throw new UsageError(`${file}: no model found${report.notices.length ? ` (${report.notices.join('; ')})` : ''}`);
  }
  const problems: string[] = [];
  for (const model of report.models) {
    const converted = modelSpecFromReport(model);
    if ('spec' in converted) return { ...converted.spec, label: `${file.split(/[\\/]/).pop()}: ${converted.spec.label}` };
    problems.push(converted.error);
  }
  throw new UsageError(`${file}: no model can be trained in the panel: ${problems.join('; ')}`);
}

export interface CompareArgs {
  config: TrainingConfig;
  testIdxDir?: string;
  json: boolean;
  fitBaseline: boolean;
}

export async function parseCompareArgs(argv: string[]): Promise<CompareArgs> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' }, inits: { type: 'string' }, activation: { type: 'string' }, optimizer: { type: 'string' },
        lr: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' }, seed: { type: 'string' },
        backend: { type: 'string' }, 'test-idx': { type: 'string' }, json: { type: 'boolean' }, 'fit-baseline': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
  const modelArg = values.model ?? 'seed';
  const preset = modelArg === 'seed' || modelArg === 'deep-tanh' ? modelArg : undefined;
  const model = preset ? MODEL_PRESETS[preset] : await modelFromFile(resolve(modelArg));
  const defaults = PRESET_DEFAULTS[preset ?? 'seed'];
  const optimizer = oneOf<OptimizerChoice>('optimizer', values.optimizer, ['adam', 'sgd'], defaults.optimizer);
  const inits = (values.inits?.split(',').map((s) => s.trim()).filter(Boolean) ?? [...DEFAULT_COMPARISON_INITIALIZERS]) as string[];
  for (const id of inits) {
    if (!(INITIALIZER_IDS as readonly string[]).includes(id)) throw new UsageError(`unknown initializer '${id}'; choose from ${INITIALIZER_IDS.join(', ')}`);
  }
  if (inits.length === 0) throw new UsageError('--inits is empty');
  const config: TrainingConfig = {
    model,
    initializers: [...new Set(inits)] as InitializerId[],
    activation: oneOf<ActivationChoice>('activation', values.activation, ['model', 'relu', 'tanh', 'sigmoid'], defaults.activation),
    optimizer,
    learningRate: numberOption('lr', values.lr, optimizer === defaults.optimizer ? defaults.learningRate : optimizer === 'adam' ? 0.001 : 0.1, false),
    batchSize: numberOption('batch', values.batch, defaults.batchSize, true),
    epochs: numberOption('epochs', values.epochs, defaults.epochs, true),
    seed: numberOption('seed', values.seed, 1, true),
    backend: oneOf<BackendChoice>('backend', values.backend, ['auto', 'webgl', 'wasm', 'cpu'], 'auto'),
  };
  return { config, testIdxDir: values['test-idx'] ? resolve(values['test-idx']) : undefined, json: values.json ?? false, fitBaseline: values['fit-baseline'] ?? false };
}

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)}%`;
}

function fixed(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

export function formatResultsTable(result: ComparisonResult, fit?: { samplesPerSec: number }): string {
  const hasTest = result.results.some((r) => r.testAccuracy !== undefined);
  const header = ['initializer', 'val acc', 'val loss', ...(hasTest ? ['test acc'] : []), 'train s', 'samples/s'];
  const rows = result.results.map((r) => [
    r.initializer + (r.diverged ? ' (diverged)' : ''),
    pct(r.finalValAccuracy), fixed(r.finalValLoss, 4), ...(hasTest ? [pct(r.testAccuracy)] : []),
    fixed(r.seconds, 1), Math.round(r.samplesPerSec).toLocaleString('en-US'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const c = result.config;
  return [
    `${c.model.label}; ${c.optimizer} lr ${c.learningRate}, batch ${c.batchSize}, ${c.epochs} epochs, seed ${c.seed}, activation ${c.activation}`,
    `data: ${result.trainSize} train / ${result.valSize} validation${result.testSize ? ` / ${result.testSize} test` : ''}`,
    `backend: ${result.backend.backend} (${result.backend.reason})`,
    '',
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
    `total ${result.totalSeconds.toFixed(1)} s${result.stopped ? ' (stopped early)' : ''}` +
      (fit ? `; TF.js model.fit on the same network: ${Math.round(fit.samplesPerSec).toLocaleString('en-US')} samples/s` : ''),
  ].join('\n');
}

/** A backend change during the run (the WebGL context was lost), as --json reports it. */
interface BackendChange {
  from: BackendInfo['backend'];
  to: BackendInfo['backend'];
  epoch: number;
  step: number;
  message: string;
}

function progressPrinter(backendChanges: BackendChange[]): (event: TrainingEvent) => void {
  const tty = process.stderr.isTTY;
  return (event) => {
    switch (event.type) {
      case 'run-started':
        process.stderr.write(`backend: ${event.backend.backend} (${event.backend.reason}); ${event.trainSize} train / ${event.valSize} validation, ${event.batchesPerEpoch} batches per epoch\n`);
        break;
      case 'progress':
        if (tty) {
          process.stderr.write(`\r${event.initializer} epoch ${event.epoch} batch ${event.batch}/${event.batchesPerEpoch}, ${Math.round(event.samplesPerSec)} samples/s, ~${Math.round(event.etaSec)} s left   `);
        }
        break;
      case 'epoch-end':
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}${event.initializer} epoch ${event.epoch}: val acc ${pct(event.valAccuracy)}, val loss ${fixed(event.valLoss, 4)}, train loss ${fixed(event.trainLoss, 4)}\n`);
        break;
      case 'run-error':
        process.stderr.write(`\nerror: ${event.message}\n`);
        break;
      case 'backend-changed':
        backendChanges.push({ from: event.previous, to: event.backend.backend, epoch: event.epoch, step: event.step, message: event.message });
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}notice: ${event.message}\n`);
        break;
    }
  };
}

/** Runs the command; resolves with the exit code (0 ok, 1 failure, 2 usage). */
export async function runCompareCommand(argv: string[]): Promise<number> {
  let args: CompareArgs;
  try {
    args = await parseCompareArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`xavier-lens compare: ${err.message}\n\n`);
      process.stderr.write(`${COMPARE_USAGE}\n`);
      return err.message ? 2 : 0;
    }
    process.stderr.write(`xavier-lens compare: ${(err as Error).message}\n`);
    return 1;
  }
  let session;
  try {
    const backendChanges: BackendChange[] = [];
    // The model.fit reference trains in a browser of its own, closed before ours opens: in one page, whichever
    // runs second inherits the first one's warmed-up backend (compiled kernels, grown WASM heap).
    let fit: FitBaselineResult | undefined;
    if (args.fitBaseline) {
      const fitSession = await openHeadlessSession({});
      try {
        fit = await fitSession.fitBaseline(args.config);
      } finally {
        await fitSession.close();
      }
    }
    const printer = progressPrinter(backendChanges);
    /** Each epoch's training wall time in the page (the epoch-end events of the first initializer). */
    const epochSeconds: number[] = [];
    const first = args.config.initializers[0];
    session = await openHeadlessSession({
      testIdxDir: args.testIdxDir,
      onEvent: (event) => {
        if (event.type === 'epoch-end' && event.initializer === first && event.epochSeconds !== undefined) epochSeconds[event.epoch - 1] = event.epochSeconds;
        printer(event);
      },
    });
    const { result } = await session.run(args.config);
    if (args.json) {
      // `backend` is the one that finished the run; `backendChanges` says when and why it changed.
      process.stdout.write(`${JSON.stringify({ ...result, epochSeconds, ...(backendChanges.length ? { backendChanges } : {}), ...(fit ? { fitBaseline: fit } : {}) }, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatResultsTable(result, fit)}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`xavier-lens compare: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await session?.close();
  }
}
