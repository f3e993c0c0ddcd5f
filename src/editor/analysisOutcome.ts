/**
 * Versions, cancellation and the time budget, as the analysis cache (analysisCache.ts) hands them to the
 * providers. No `vscode` import: unit-tested in Node.
 *
 * A report that holds no analysis because it was cancelled or ran out of time is marked, so that a provider
 * can tell it from a real (possibly empty) report: 'cancelled' (a newer version superseded it, or the asker's
 * token was cancelled: show nothing from it) or 'timeout' (it ran past the budget: show its notice on the file).
 */
import type { FileReport } from '../analysis/types';

/** What the cache needs of a cancellation token (a vscode.CancellationToken fits). */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/** The setting that holds the time budget, named in the notice. */
export const TIMEOUT_SETTING = 'xavierLens.analysis.timeoutMs';
export const DEFAULT_TIMEOUT_MS = 2000;

/** An engine's rejection when a request ran past its time budget (src/editor/analysisWorker.ts). */
export class AnalysisTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`the analysis ran past its ${budgetMs} ms budget`);
    this.name = 'AnalysisTimeoutError';
  }
}

export type AnalysisOutcome = 'cancelled' | 'timeout';
const outcomes = new WeakMap<FileReport, AnalysisOutcome>();

/** undefined for a real report. */
export function analysisOutcome(report: FileReport): AnalysisOutcome | undefined {
  return outcomes.get(report);
}

export function cancelledReport(fileName: string, version: number): FileReport {
  const report: FileReport = { file: fileName, models: [], notices: [`Cancelled: version ${version} of ${fileName} is no longer wanted.`] };
  outcomes.set(report, 'cancelled');
  return report;
}

export function timeoutReport(fileName: string, budgetMs: number): FileReport {
  const report: FileReport = {
    file: fileName,
    models: [],
    notices: [
      `Analysis stopped: ${fileName} took longer than the ${budgetMs.toLocaleString('en-US')} ms budget (setting ${TIMEOUT_SETTING}). ` +
        `It is tried again after the next edit; raise the budget to analyse it.`,
    ],
  };
  outcomes.set(report, 'timeout');
  return report;
}

/** `report`, or `onCancel()` as soon as the token is cancelled, whichever comes first. */
export function untilCancelled(report: Promise<FileReport>, token: CancellationLike, onCancel: () => FileReport): Promise<FileReport> {
  if (token.isCancellationRequested) return Promise.resolve(onCancel());
  return new Promise((resolve) => {
    const subscription = token.onCancellationRequested(() => resolve(onCancel()));
    void report.then((r) => {
      subscription.dispose();
      resolve(r);
    });
  });
}
