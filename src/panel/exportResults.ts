/**
 * The results table in the three shapes the panel exports: CSV (one row per initializer), JSON (the
 * whole run: settings, backend, results and per-epoch history) and a Markdown table for the clipboard.
 */
import type { ComparisonResult, InitializerResult, TrainingConfig } from '../protocol';
import type { EpochRow } from './runLog';

export interface ExportInput {
  results: InitializerResult[];
  /** False when the run was stopped or cut short: the numbers are those of the last completed epoch. */
  complete: boolean;
  result?: ComparisonResult;
  config?: TrainingConfig;
  datasetLabel?: string;
  epochs: EpochRow[];
}

const COLUMNS = ['initializer', 'val_accuracy', 'val_loss', 'train_loss', 'test_accuracy', 'test_loss', 'seconds', 'samples_per_sec', 'diverged'] as const;

/** A number for a machine reader: full precision, empty when unknown (NaN marks "not measured"). */
const plain = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '' : String(n));

export function resultsToCsv(input: ExportInput): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = input.results.map((r) =>
    [r.initializer, plain(r.finalValAccuracy), plain(r.finalValLoss), plain(r.finalTrainLoss), plain(r.testAccuracy), plain(r.testLoss), plain(r.seconds), plain(r.samplesPerSec), r.diverged ? 'true' : 'false'].map(quote).join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\n') + '\n';
}

export function resultsToJson(input: ExportInput): string {
  return (
    JSON.stringify(
      {
        complete: input.complete,
        dataset: input.datasetLabel,
        config: input.config ?? input.result?.config,
        backend: input.result?.backend,
        trainSize: input.result?.trainSize,
        valSize: input.result?.valSize,
        testSize: input.result?.testSize,
        totalSeconds: input.result?.totalSeconds,
        results: input.results,
        epochs: input.epochs,
      },
      // JSON has no NaN: "not measured" and a diverged loss both become null.
      (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
      2,
    ) + '\n'
  );
}

const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '—');
const fixed = (x: number | undefined, digits: number) => (x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : '—');
const thousands = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');

export function resultsToMarkdown(input: ExportInput): string {
  const hasTest = input.results.some((r) => r.testAccuracy !== undefined);
  const header = ['Initializer', 'Val accuracy', 'Val loss', ...(hasTest ? ['Test accuracy'] : []), 'Time (s)', 'Samples/s'];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const r of input.results) {
    const name = r.diverged ? `${r.initializer} (diverged)` : r.initializer;
    const cells = [name, percent(r.finalValAccuracy), fixed(r.finalValLoss, 4), ...(hasTest ? [r.testAccuracy === undefined ? '—' : percent(r.testAccuracy)] : []), fixed(r.seconds, 1), thousands(r.samplesPerSec)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const config = input.config ?? input.result?.config;
  const facts = [
    config && `${config.model.label}, ${config.optimizer === 'adam' ? 'Adam' : 'SGD'} lr ${config.learningRate}, batch ${config.batchSize}, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, seed ${config.seed}`,
    input.datasetLabel,
    input.result && `backend ${input.result.backend.backend}`,
    !input.complete && 'run stopped early: numbers are from the last completed epoch',
  ].filter(Boolean);
  return `${lines.join('\n')}\n${facts.length ? `\n${facts.join('; ')}\n` : ''}`;
}
