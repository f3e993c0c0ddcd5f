/**
 * One analysis per document version. Hover, CodeLens, diagnostics, quick fixes and the report all ask
 * here, so the same text is parsed once; asks that arrive while an analysis runs share its promise.
 * An entry is replaced when the document's version changes and evicted when the document closes.
 *
 * No `vscode` import: documents are described by plain fields, so the cache is unit-tested in Node.
 * The engine itself (tree-sitter and its WASM grammars) is loaded on the first ask, never at activation.
 */
import type { FileReport } from '../analysis/types';

export interface AnalysisEngine {
  /** `maxBytes`: the engine's own size guard, set to the same limit as the cache's. */
  analyzeText(text: string, fileName: string, options?: { maxBytes?: number }): Promise<FileReport>;
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
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  private engine: Promise<AnalysisEngine> | undefined;
  /** How many analyses really ran (a cache hit does not count): for tests and the output channel. */
  analysesRun = 0;

  constructor(private readonly options: AnalysisCacheOptions) {}

  /** The report for this version of the document; never rejects (failures become notices). */
  analyze(document: DocumentSnapshot): Promise<FileReport> {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached.report;
    const report = this.run(document);
    this.entries.set(document.uri, { version: document.version, report });
    return report;
  }

  /** The report when this exact version is already analysed or being analysed; no new work. */
  peek(document: DocumentSnapshot): Promise<FileReport> | undefined {
    const cached = this.entries.get(document.uri);
    return cached && cached.version === document.version ? cached.report : undefined;
  }

  evict(uri: string): void {
    this.entries.delete(uri);
  }

  /** Forget everything (e.g. the size limit changed). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private async run(document: DocumentSnapshot): Promise<FileReport> {
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
      this.analysesRun++;
      return await engine.analyzeText(text, document.fileName, { maxBytes: Math.floor(limitKB * 1024) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logError(`analysis of ${document.uri} (version ${document.version}) failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      return { file: document.fileName, models: [], notices: [`Analysis failed: ${message}. Details are in the "Xavier Lens" output.`] };
    }
  }
}
