/**
 * One analysis per document version. Hover, CodeLens, diagnostics, quick fixes and the report all ask
 * here, so the same text is parsed once; asks that arrive while an analysis runs share its promise.
 * An entry is replaced when the document's version changes and evicted when the document closes.
 * A newer version aborts the older one's request, and an old version's report is never handed out: its askers
 * get a report marked 'cancelled'. A token only releases its own asker (see analysisOutcome.ts).
 *
 * No `vscode` import: documents are described by plain fields, so the cache is unit-tested in Node.
 * The engine itself (tree-sitter and its WASM grammars) is loaded on the first ask, never at activation.
 */
import type { FileReport } from '../analysis/types';
import { AnalysisTimeoutError, cancelledReport, timeoutReport, untilCancelled, type CancellationLike } from './analysisOutcome';

export interface AnalysisEngine {
  /**
   * `maxBytes`: the engine's own size guard, set to the same limit as the cache's. `signal`: aborted when the
   * request is stale; the engine may reject or finish (the cache discards the answer either way).
   */
  analyzeText(text: string, fileName: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<FileReport>;
}

/** What the cache needs to know about a document (a vscode.TextDocument fits after a small mapping). */
export interface DocumentSnapshot {
  /** The document's URI as a string: the cache key. */
  uri: string;
  version: number;
  /** The file name the engine picks its reader by (`model.py`, `net.ts`, `model.json`). */
  fileName: string;
  getText(): string;
}

export interface AnalysisCacheOptions {
  /** Loads the engine once; called on the first analysis. */
  loadEngine: () => Promise<AnalysisEngine>;
  /** Files over this many KB are not analysed (read live, so a settings change applies after `clear()`). */
  maxFileSizeKB: () => number;
  /** Where failures are reported (the output channel). */
  logError: (message: string) => void;
}

interface Entry {
  version: number;
  report: Promise<FileReport>;
  /** Aborted when a newer version replaces the entry, or it is evicted or cleared. */
  stale: AbortController;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  private engine: Promise<AnalysisEngine> | undefined;
  /** How many analyses really ran (a cache hit does not count): for tests and the output channel. */
  analysesRun = 0;

  constructor(private readonly options: AnalysisCacheOptions) {}

  /** The report for this version of the document; never rejects (failures become notices). A cancelled token settles it at once. */
  analyze(document: DocumentSnapshot, token?: CancellationLike): Promise<FileReport> {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version > document.version) return Promise.resolve(cancelledReport(document.fileName, document.version));
    let entry = cached;
    if (!entry || entry.version !== document.version) {
      cached?.stale.abort(); // a newer edit cancels the older request
      const stale = new AbortController();
      entry = { version: document.version, stale, report: this.run(document, stale.signal) };
      this.entries.set(document.uri, entry);
    }
    return token ? untilCancelled(entry.report, token, () => cancelledReport(document.fileName, document.version)) : entry.report;
  }

  /** The report when this exact version is already analysed or being analysed; no new work. */
  peek(document: DocumentSnapshot): Promise<FileReport> | undefined {
    const cached = this.entries.get(document.uri);
    return cached && cached.version === document.version ? cached.report : undefined;
  }

  evict(uri: string): void {
    this.entries.get(uri)?.stale.abort();
    this.entries.delete(uri);
  }

  /** Forget everything (e.g. the size limit changed). */
  clear(): void {
    for (const entry of this.entries.values()) entry.stale.abort();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private async run(document: DocumentSnapshot, stale: AbortSignal): Promise<FileReport> {
    const text = document.getText();
    const limitKB = this.options.maxFileSizeKB();
    const sizeKB = Buffer.byteLength(text, 'utf8') / 1024;
    if (sizeKB > limitKB) {
      return {
        file: document.fileName,
        models: [],
        notices: [
          `Skipped: ${document.fileName} is ${Math.ceil(sizeKB).toLocaleString('en-US')} KB, over the ${limitKB.toLocaleString('en-US')} KB limit ` +
            `(setting xavierLens.analysis.maxFileSizeKB). Raise the limit to analyse it.`,
        ],
      };
    }
    try {
      this.engine ??= this.options.loadEngine().catch((error: unknown) => {
        this.engine = undefined; // a later ask retries the load
        throw error;
      });
      const engine = await this.engine;
      if (stale.aborted) return cancelledReport(document.fileName, document.version);
      this.analysesRun++;
      const report = await engine.analyzeText(text, document.fileName, { maxBytes: Math.floor(limitKB * 1024), signal: stale });
      // An engine that cannot stop (the in-process one) still answers: for an old version, that answer is dropped.
      return stale.aborted ? cancelledReport(document.fileName, document.version) : report;
    } catch (error) {
      if (stale.aborted) return cancelledReport(document.fileName, document.version);
      if (error instanceof AnalysisTimeoutError) {
        this.options.logError(`analysis of ${document.uri} (version ${document.version}) stopped: ${error.message}`);
        return timeoutReport(document.fileName, error.budgetMs);
      }
      const message = error instanceof Error ? error.message : String(error);
      this.options.logError(`analysis of ${document.uri} (version ${document.version}) failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      return { file: document.fileName, models: [], notices: [`Analysis failed: ${message}. Details are in the "Xavier Lens" output.`] };
    }
  }
}
