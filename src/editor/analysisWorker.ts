/**
 * The host side of the analysis worker: an AnalysisEngine whose analyses run in one `worker_threads` thread
 * (dist/analysisWorker.js, from src/analysis-worker/main.ts), so the extension host's thread only posts the text
 * and receives the report. No `vscode` import: unit-tested in Node with real threads.
 *
 * - One worker, started on first use, started again on the next request after it dies (crash, or killed).
 * - One request in the worker at a time; the rest wait here in order. A request whose signal is aborted (a newer
 *   version of the document arrived) is dropped while it waits; while it runs it cannot be interrupted (the
 *   engine is synchronous JS and WASM), so its caller is released at once and the answer is discarded.
 * - Budget: a request still running `budgetMs()` after its analysis began (the worker says `started` once the
 *   grammar is loaded: a fresh worker's one-time load is not charged to the file) is rejected with
 *   AnalysisTimeoutError (the cache shows a notice). If the worker has not answered `graceMs` later it is
 *   terminated and restarted. Loading the grammar has its own, longer limit (`loadLimitMs`, default 30 s).
 * - dispose() terminates the worker. The worker is unref'd: it never keeps a process alive by itself.
 */
import { Worker } from 'node:worker_threads';
import type { FileReport } from '../analysis/types';
import type { AnalysisWorkerData, AnalyzeRequest, WorkerAnswer } from '../analysis-worker/protocol';
import { withFindings, type AnalysisEngine } from './analysisCache';
import { AnalysisTimeoutError } from './analysisOutcome';

export interface WorkerEngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface WorkerEngineOptions {
  /** The worker's script: dist/analysisWorker.js; with `eval: true`, the script's source (tests). */
  script: string;
  eval?: boolean;
  workerData: AnalysisWorkerData;
  /** The time budget of one request in ms (the setting, read for each request). */
  budgetMs: () => number;
  /** How long a worker past its budget may still answer before it is terminated. Default 500 ms. */
  graceMs?: number;
  /** The limit from sending a request to its `started` (a fresh worker loads the grammar). Default 30 s. */
  loadLimitMs?: number;
  log: WorkerEngineLog;
}

interface Job {
  id: number;
  request: AnalyzeRequest;
  signal?: AbortSignal;
  /** Settled (answered, aborted, timed out or failed): later news about the job is ignored. */
  settled: boolean;
  resolve(report: FileReport): void;
  reject(error: unknown): void;
  onAbort?: () => void;
}

function abortError(): Error {
  const error = new Error('the analysis request was cancelled');
  error.name = 'AbortError';
  return error;
}

export class WorkerAnalysisEngine implements AnalysisEngine {
  private worker: Worker | undefined;
  /** Resolves when the current worker's code has loaded; rejects if it dies before. */
  private ready: Promise<void> | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private budgetTimer: ReturnType<typeof setTimeout> | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private disposed = false;
  /** Workers started so far (the first one included): tests and the log read it. */
  starts = 0;

  constructor(private readonly options: WorkerEngineOptions) {}

  /** Starts the worker (if none runs) and waits until its code has loaded; rejects if it cannot start. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the analysis worker was disposed'));
    if (this.worker && this.ready) return this.ready;
    const worker = new Worker(this.options.script, { eval: this.options.eval ?? false, workerData: this.options.workerData });
    worker.unref();
    this.worker = worker;
    this.starts++;
    this.ready = new Promise<void>((resolve, reject) => {
      const onStartFailure = (error: Error): void => reject(error);
      worker.once('error', onStartFailure);
      worker.once('exit', (code) => reject(new Error(`the analysis worker exited (code ${code}) before it was ready`)));
      worker.on('message', (answer: WorkerAnswer) => {
        if (answer.type === 'ready') {
          worker.off('error', onStartFailure);
          resolve();
        } else if (worker === this.worker) this.answered(answer);
      });
    });
    this.ready.catch(() => {}); // a start failure is reported to whoever awaits it, and through the running job
    worker.on('error', (error) => this.died(worker, `the analysis worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.died(worker, `the analysis worker stopped (exit code ${code})`));
    return this.ready;
  }

  analyzeText(text: string, fileName: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<FileReport> {
    if (this.disposed) return Promise.reject(new Error('the analysis worker was disposed'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise<FileReport>((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = { id, request: { type: 'analyze', id, text, fileName, maxBytes: options.maxBytes }, signal, settled: false, resolve, reject };
      if (signal) {
        job.onAbort = () => {
          const waiting = this.queue.indexOf(job);
          if (waiting >= 0) this.queue.splice(waiting, 1); // never sent
          this.settle(job, () => reject(abortError()));
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** The worker thread, for tests that kill it. */
  get workerForTests(): Worker | undefined {
    return this.worker;
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(new Error('the analysis worker was disposed')));
    if (this.running) this.settle(this.running, () => this.running?.reject(new Error('the analysis worker was disposed')));
    this.running = undefined;
    this.clearTimers();
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /** Sends the next waiting request when the worker is free. */
  private pump(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    let worker: Worker;
    try {
      if (!this.worker) void this.start();
      worker = this.worker!;
    } catch (error) {
      this.running = undefined;
      this.settle(job, () => job.reject(error));
      this.pump();
      return;
    }
    worker.postMessage(job.request);
    // Until the worker says `started` (grammar loaded), the load limit; then the budget (see answered()).
    const loadLimitMs = this.options.loadLimitMs ?? 30_000;
    this.budgetTimer = setTimeout(() => this.overBudget(job, loadLimitMs), loadLimitMs);
  }

  private answered(answer: WorkerAnswer): void {
    const job = this.running;
    if (answer.type === 'ready' || !job || answer.id !== job.id) return;
    if (answer.type === 'started') {
      if (!this.budgetTimer) return; // already over the load limit
      clearTimeout(this.budgetTimer);
      const budgetMs = this.options.budgetMs();
      this.budgetTimer = setTimeout(() => this.overBudget(job, budgetMs), budgetMs);
      return;
    }
    this.clearTimers();
    this.running = undefined;
    // The worker computed the findings too: the cache takes them instead of computing them on this thread.
    if (answer.type === 'result') this.settle(job, () => job.resolve(withFindings(answer.report, answer.findings)));
    else {
      const error = new Error(answer.message);
      if (answer.stack) error.stack = answer.stack;
      this.settle(job, () => job.reject(error));
    }
    this.pump();
  }

  private overBudget(job: Job, budgetMs: number): void {
    this.budgetTimer = undefined;
    this.settle(job, () => job.reject(new AnalysisTimeoutError(budgetMs)));
    const worker = this.worker;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      if (this.running !== job || this.worker !== worker || !worker) return;
      this.options.log.warn(`the analysis worker did not answer ${budgetMs} ms + ${this.graceMs} ms after a request: restarting it`);
      this.worker = undefined;
      this.running = undefined;
      void worker.terminate();
      this.pump();
    }, this.graceMs);
  }

  private died(worker: Worker, why: string): void {
    if (worker !== this.worker) return; // one we terminated ourselves, or an error followed by its exit
    this.worker = undefined;
    this.clearTimers();
    const job = this.running;
    this.running = undefined;
    if (this.disposed) return;
    this.options.log.error(`${why}; the next request starts a new one`);
    if (job) this.settle(job, () => job.reject(new Error(why.split('\n')[0])));
    this.pump();
  }

  private settle(job: Job, how: () => void): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    how();
  }

  private clearTimers(): void {
    clearTimeout(this.budgetTimer);
    clearTimeout(this.graceTimer);
    this.budgetTimer = undefined;
    this.graceTimer = undefined;
  }

  private get graceMs(): number {
    return this.options.graceMs ?? 500;
  }
}

/**
 * The editor's engine: the worker when it starts, else the engine in-process (said in the log). `inProcess`
 * loads the in-process engine (src/editor/engine.ts).
 */
export async function loadWorkerOrInProcessEngine(
  options: WorkerEngineOptions,
  inProcess: () => Promise<AnalysisEngine>,
): Promise<{ engine: AnalysisEngine; worker?: WorkerAnalysisEngine }> {
  const worker = new WorkerAnalysisEngine(options);
  try {
    await worker.start();
    options.log.info('analysis runs in a worker thread');
    return { engine: worker, worker };
  } catch (error) {
    worker.dispose();
    options.log.warn(
      `the analysis worker could not start (${error instanceof Error ? error.message : String(error)}): analysing on the extension host's thread instead`,
    );
    return { engine: await inProcess() };
  }
}
