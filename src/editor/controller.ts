/**
 * Owns the editor features' lifecycle: one output channel, one analysis cache, the providers, commands and
 * listeners, all disposed with the extension. Activation only registers things; the engine (tree-sitter
 * and its WASM grammars) loads on the first analysis.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../analysis/types';
import { AnalysisCache, type DocumentAnalysis } from './analysisCache';
import { loadWorkerOrInProcessEngine, type WorkerAnalysisEngine } from './analysisWorker';
import { analysisOutcome } from './analysisOutcome';
import { ModelCodeLensProvider } from './codeLens';
import { InitializerQuickFixes } from './codeActions';
import { InitializerDiagnostics } from './diagnostics';
import { snapshotOf } from './documents';
import { forgetNotebook, notebookCellOf, notebookKey, notebookSnapshot } from './notebookDocuments';
import { cellView } from './notebookView';
import { loadAnalysisEngine } from './engine';
import { LayerHoverProvider } from './hoverProvider';
import { createLog, type Log } from './log';
import { LayerReportView, copyReportMarkdown } from './reportPanel';
import { COPY_MARKDOWN_COMMAND, INSPECT_COMMAND, type EditorServices } from './services';
import { DOCUMENT_SELECTOR, isSupportedDocument, readSettings } from './settings';

export class ExtensionController implements vscode.Disposable {
  readonly log: Log;
  readonly channel: vscode.LogOutputChannel;
  readonly cache: AnalysisCache;
  private readonly disposables: vscode.Disposable[] = [];
  /** The analysis worker, once started (absent when analysis runs in-process). */
  private worker: WorkerAnalysisEngine | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    ({ log: this.log, channel: this.channel } = createLog());
    const grammarDirectory = vscode.Uri.joinPath(context.extensionUri, 'dist', 'tree-sitter').fsPath;
    this.cache = new AnalysisCache({
      loadEngine: async () => {
        const started = Date.now();
        // The engine runs in a worker thread (dist/analysisWorker.js); in-process only if that cannot start.
        const { engine, worker } = await loadWorkerOrInProcessEngine(
          {
            script: vscode.Uri.joinPath(context.extensionUri, 'dist', 'analysisWorker.js').fsPath,
            workerData: { grammarDirectory },
            budgetMs: () => readSettings().timeoutMs,
            log: this.log,
          },
          () => loadAnalysisEngine(grammarDirectory),
        );
        this.worker = worker;
        this.log.info(`analysis engine loaded in ${Date.now() - started} ms`);
        return engine;
      },
      maxFileSizeKB: () => readSettings().maxFileSizeKB,
      logError: (message) => this.log.error(message),
    });
  }

  /** The services every feature shares; the panel work gets them too. */
  readonly services: EditorServices = {
    log: { info: (m) => this.log.info(m), warn: (m) => this.log.warn(m), error: (m) => this.log.error(m) },
    // A notebook cell: the whole notebook's report (positions {cell, line, column}: the Layers report names cells).
    analyze: (document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FileReport> => {
      const inNotebook = notebookCellOf(document);
      return this.cache.analyze(inNotebook ? notebookSnapshot(inNotebook.notebook) : snapshotOf(document), token);
    },
    // A notebook cell: the notebook's analysis seen from that cell, in its coordinates (hovers, lenses, diagnostics, fixes).
    analysis: async (document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis> => {
      const inNotebook = notebookCellOf(document);
      if (!inNotebook) return this.cache.analysis(snapshotOf(document), token);
      const whole = await this.cache.analysis(notebookSnapshot(inNotebook.notebook), token);
      // A cancelled or timed-out notebook analysis has no layers to map: handed on as it is, its outcome stays readable.
      return analysisOutcome(whole.report) ? whole : cellView(whole, inNotebook.cell.index);
    },
  };

  start(): void {
    const services = this.services;
    const report = new LayerReportView(services, this.context.extensionUri);
    const lenses = new ModelCodeLensProvider(services);
    const diagnostics = new InitializerDiagnostics(services);

    this.disposables.push(
      this.channel,
      report,
      lenses,
      diagnostics,
      vscode.window.registerWebviewViewProvider(LayerReportView.viewId, report),
      vscode.commands.registerCommand(INSPECT_COMMAND, (target?: unknown) => this.inspect(report, target)),
      vscode.commands.registerCommand(COPY_MARKDOWN_COMMAND, (target?: unknown) => this.copyMarkdown(report, target)),
      vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, new LayerHoverProvider(services)),
      vscode.languages.registerCodeLensProvider(DOCUMENT_SELECTOR, lenses),
      vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new InitializerQuickFixes(services), InitializerQuickFixes.metadata),
      vscode.workspace.onDidCloseTextDocument((document) => this.cache.evict(document.uri.toString())),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => {
        this.cache.evict(notebookKey(notebook));
        forgetNotebook(notebook);
      }),
      // A cell's edit can change what every other cell of its notebook shows (a constant sizes a layer below it).
      vscode.workspace.onDidChangeTextDocument((event) => {
        const inNotebook = notebookCellOf(event.document);
        if (inNotebook) this.refreshNotebook(inNotebook.notebook, event.document, diagnostics, lenses, report);
      }),
      vscode.workspace.onDidChangeNotebookDocument((event) => this.refreshNotebook(event.notebook, undefined, diagnostics, lenses, report)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('xavierLens')) return;
        if (event.affectsConfiguration('xavierLens.analysis.maxFileSizeKB')) this.cache.clear();
        lenses.refresh();
        diagnostics.refreshAll();
        report.refresh();
      }),
    );
    // Off the activation path: the first analysis loads the engine.
    setTimeout(() => diagnostics.refreshAll(), 0);
  }

  private refreshNotebook(notebook: vscode.NotebookDocument, changed: vscode.TextDocument | undefined, diagnostics: InitializerDiagnostics, lenses: ModelCodeLensProvider, report: LayerReportView): void {
    for (const cell of notebook.getCells()) if (cell.document !== changed) diagnostics.refresh(cell.document);
    lenses.refresh();
    // The report shows the whole notebook while any of its cells is its document.
    const shown = report.currentDocument;
    if (shown && shown !== changed && notebookCellOf(shown)?.notebook === notebook) report.refresh();
  }

  /** A document to act on: a URI (string or Uri) from a lens, menu or link, else the active editor's. */
  private async targetDocument(target: unknown, fallback?: vscode.TextDocument): Promise<vscode.TextDocument | undefined> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : undefined;
    if (uri) return vscode.workspace.openTextDocument(uri);
    const active = vscode.window.activeTextEditor?.document;
    return active ?? fallback;
  }

  private async inspect(report: LayerReportView, target: unknown): Promise<void> {
    try {
      const document = await this.targetDocument(target, report.currentDocument);
      if (!document) {
        void vscode.window.showInformationMessage('Xavier Lens: open a Python, TypeScript, JavaScript or model.json file to inspect its layers.');
        return;
      }
      if (!isSupportedDocument(document)) {
        void vscode.window.showInformationMessage(`Xavier Lens: ${document.languageId} files are not analysed; open a Python, TypeScript, JavaScript or model.json file.`);
        return;
      }
      await report.show(document);
    } catch (error) {
      this.log.error(`Inspect Layers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void vscode.window.showErrorMessage('Xavier Lens: could not inspect this file. Details are in the "Xavier Lens" output.');
    }
  }

  private async copyMarkdown(report: LayerReportView, target: unknown): Promise<void> {
    // Without a target (palette, the view's title bar) the report's own file wins: it is what the user sees.
    const chosen = target === undefined && report.currentDocument ? report.currentDocument : await this.targetDocument(target).catch(() => undefined);
    if (!chosen || !isSupportedDocument(chosen)) {
      void vscode.window.showInformationMessage('Xavier Lens: open a model file (or its layer report) to copy its table.');
      return;
    }
    await copyReportMarkdown(this.services, chosen);
  }

  dispose(): void {
    this.worker?.dispose();
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Disposing the rest matters more than one failure at shutdown.
      }
    }
  }
}
