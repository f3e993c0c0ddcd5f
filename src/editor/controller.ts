/**
 * Owns the editor features' lifecycle: one output channel, one analysis cache, the providers, commands and
 * listeners, all disposed with the extension. Activation only registers things; the engine (tree-sitter
 * and its WASM grammars) loads on the first analysis.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../analysis/types';
import { AnalysisCache } from './analysisCache';
import { loadWorkerOrInProcessEngine, type WorkerAnalysisEngine } from './analysisWorker';
import { ModelCodeLensProvider } from './codeLens';
import { InitializerQuickFixes } from './codeActions';
import { InitializerDiagnostics } from './diagnostics';
import { snapshotOf } from './documents';
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
    analyze: (document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FileReport> => this.cache.analyze(snapshotOf(document), token),
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
