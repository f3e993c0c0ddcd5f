/**
 * The messages between the extension host and the analysis worker (src/analysis-worker/main.ts). Plain data
 * only: everything crosses the thread boundary by structured clone (a FileReport is objects, arrays, strings,
 * numbers, booleans and null: no functions, classes or Maps).
 */
import type { Finding } from '../analysis/findings';
import type { FileReport } from '../analysis/types';

/** What the worker receives as `workerData`. */
export interface AnalysisWorkerData {
  /** The extension's dist/tree-sitter, where the runtime and grammar WASM files are. */
  grammarDirectory: string;
}

/** Host → worker: analyse one text. The host sends one request at a time and waits for its answer. */
export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  text: string;
  fileName: string;
  maxBytes?: number;
}

export type WorkerRequest = AnalyzeRequest;

/**
 * Worker → host. `ready` once the worker's code has loaded. `started` when a request's analysis begins, after
 * the grammar it needs has loaded (once per worker and language): the time budget runs from there.
 */
export type WorkerAnswer =
  | { type: 'ready' }
  | { type: 'started'; id: number }
  /** `findings`: the report's findings (src/analysis/findings.ts), computed in the worker too, off the host's thread. */
  | { type: 'result'; id: number; report: FileReport; findings: Finding[]; ms: number }
  | { type: 'error'; id: number; message: string; stack?: string };
