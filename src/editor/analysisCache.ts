/**
 * One analysis per document version. Hover, CodeLens, diagnostics, quick fixes and the report all ask
 * here, so the same text is parsed once; asks that arrive while an analysis runs share its promise.
 * An entry holds the report and, computed on the first ask for them and then kept with that version, its
 * findings (src/analysis/findings.ts) indexed by layer and by spot: a hover or a quick fix looks its
 * findings up instead of recomputing every finding of the file.
 * An entry is replaced when the document's version changes and evicted when the document closes.
 * A newer version aborts the older one's request, and an old version's report is never handed out: its askers
 * get a report marked 'cancelled'. A token only releases its own asker (see analysisOutcome.ts).
 *
 * No `vscode` import: documents are described by plain fields, so the cache is unit-tested in Node.
 * The engine itself (tree-sitter and its WASM grammars) is loaded on the first ask, never at activation.
 */
import { findInitializerProblems, type Finding } from '../analysis/findings';
import type { FileReport, Range } from '../analysis/types';
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
  /** The rules that turn a report into findings (tests pass a counting wrapper); findInitializerProblems by default. */
  findProblems?: (report: FileReport) => Finding[];
}

/** One analysed version of a document: its report and its findings, each computed once. */
export interface DocumentAnalysis {
  readonly report: FileReport;
  /** Every finding of the report, in model then layer order (what the diagnostics show). */
  findings(): readonly Finding[];
  /** The findings placed on this layer (a merged loop finding sits on its first layer), in order. */
  findingsForLayer(modelIndex: number, layerIndex: number): readonly Finding[];
  /** The finding with this code at exactly this range: the one behind a diagnostic. */
  findingAt(code: string, range: Range): Finding | undefined;
}

const NONE: readonly Finding[] = Object.freeze([]);

/** Findings an engine made together with its report (the worker does, off the host's thread): used as they are. */
const findingsMadeWithReport = new WeakMap<FileReport, readonly Finding[]>();

/** Hands the cache the findings an engine computed with `report`; returns the report. */
export function withFindings(report: FileReport, findings: readonly Finding[]): FileReport {
  findingsMadeWithReport.set(report, findings);
  return report;
}

const rangeKey = (range: Range) => `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;

class CachedAnalysis implements DocumentAnalysis {
  private computed: { all: readonly Finding[]; byLayer: Map<string, Finding[]>; bySpot: Map<string, Finding> } | undefined;

  constructor(
    readonly report: FileReport,
    private readonly compute: (report: FileReport) => readonly Finding[],
  ) {}

  private index() {
    if (this.computed) return this.computed;
    const all = this.compute(this.report);
    const byLayer = new Map<string, Finding[]>();
    const bySpot = new Map<string, Finding>();
    for (const finding of all) {
      const layerKey = `${finding.modelIndex}:${finding.layerIndex}`;
      const list = byLayer.get(layerKey);
      if (list) list.push(finding);
      else byLayer.set(layerKey, [finding]);
      const spotKey = `${finding.code}@${rangeKey(finding.range)}`;
      // The merge leaves one finding per (model, code, spot); two models written on one spot keep the first, as a search would.
      if (!bySpot.has(spotKey)) bySpot.set(spotKey, finding);
    }
    this.computed = { all, byLayer, bySpot };
    return this.computed;
  }

  findings(): readonly Finding[] {
    return this.index().all;
  }

  findingsForLayer(modelIndex: number, layerIndex: number): readonly Finding[] {
    return this.index().byLayer.get(`${modelIndex}:${layerIndex}`) ?? NONE;
  }

  findingAt(code: string, range: Range): Finding | undefined {
    return this.index().bySpot.get(`${code}@${rangeKey(range)}`);
  }
}

interface Entry {
  version: number;
  report: Promise<FileReport>;
  analysis: Promise<DocumentAnalysis>;
  /** Aborted when a newer version replaces the entry, or it is evicted or cleared. */
  stale: AbortController;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();
  private engine: Promise<AnalysisEngine> | undefined;
  /** How many analyses really ran (a cache hit does not count): for tests and the output channel. */
  analysesRun = 0;
  /** How many times findings were computed (once per analysed version at most): for tests. */
  findingsRun = 0;

  constructor(private readonly options: AnalysisCacheOptions) {}

  /** The report for this version of the document; never rejects (failures become notices). A cancelled token settles it at once. */
  analyze(document: DocumentSnapshot, token?: CancellationLike): Promise<FileReport> {
    const entry = this.entryFor(document);
    if (!entry) return Promise.resolve(cancelledReport(document.fileName, document.version));
    return token ? untilCancelled(entry.report, token, () => cancelledReport(document.fileName, document.version)) : entry.report;
  }

  /**
   * The report and its findings for this version of the document; never rejects. An older version than the
   * cached one, or a cancelled token, gets a cancelled report (no findings).
   */
  async analysis(document: DocumentSnapshot, token?: CancellationLike): Promise<DocumentAnalysis> {
    const entry = this.entryFor(document);
    if (!entry) return new CachedAnalysis(cancelledReport(document.fileName, document.version), () => NONE);
    if (!token) return entry.analysis;
    const report = await untilCancelled(entry.report, token, () => cancelledReport(document.fileName, document.version));
    return token.isCancellationRequested ? new CachedAnalysis(report, () => NONE) : entry.analysis;
  }

  /** The entry of this version, made (and the older version's request aborted) when new; undefined for a stale version. */
  private entryFor(document: DocumentSnapshot): Entry | undefined {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version > document.version) return undefined;
    if (cached && cached.version === document.version) return cached;
    cached?.stale.abort(); // a newer edit cancels the older request
    const stale = new AbortController();
    const report = this.run(document, stale.signal);
    const entry: Entry = { version: document.version, stale, report, analysis: report.then((r) => new CachedAnalysis(r, (x) => this.findings(document, x))) };
    this.entries.set(document.uri, entry);
    return entry;
  }

  /** The findings of one report; a rule that throws is logged and leaves the version without findings (not asked again). */
  private findings(document: DocumentSnapshot, report: FileReport): readonly Finding[] {
    const made = findingsMadeWithReport.get(report);
    if (made) return made;
    this.findingsRun++;
    try {
      return (this.options.findProblems ?? findInitializerProblems)(report);
    } catch (error) {
      this.options.logError(`findings for ${document.uri} (version ${document.version}) failed: ${error instanceof Error && error.stack ? error.stack : String(error)}`);
      return NONE;
    }
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
