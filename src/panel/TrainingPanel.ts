/**
 * The training comparison panel on the extension-host side: one webview panel at a time, its HTML,
 * the checked message exchange with the page, datasets read from disk, and the exports. Training itself
 * runs in the page (TF.js); the host keeps the run's events so nothing is lost with the page.
 */
import * as vscode from 'vscode';
import {
  describeMessage,
  isWebviewToHostMessage,
  type DatasetPayload,
  type ExportFormat,
  type FileModelOffer,
  type HostToWebviewMessage,
  type WebviewToHostMessage,
} from '../protocol';
import { pickAndLoadDataset } from './datasetLoader';
import { resultsToCsv, resultsToJson, resultsToMarkdown, type ExportInput } from './exportResults';
import { createNonce, renderPanelHtml } from './html';
import { RunLog } from './runLog';

export const TRAINING_PANEL_VIEW_TYPE = 'xavierLens.trainingComparison';

export class TrainingPanel implements vscode.Disposable {
  private static current: TrainingPanel | undefined;

  private readonly log = new RunLog();
  private readonly disposables: vscode.Disposable[] = [];
  /** The page answers `ready` once its script runs; messages posted before that would be lost. */
  private pageReady = false;
  private readonly pending: HostToWebviewMessage[] = [];
  /** The last dataset read from disk, re-sent if the page is ever reloaded. */
  private diskDataset: DatasetPayload | undefined;
  private loadingDataset = false;

  /** Opens the panel, or reveals the open one; a model from a file replaces the offered file model. */
  static show(extensionUri: vscode.Uri, output: vscode.LogOutputChannel, fileModel?: FileModelOffer): TrainingPanel {
    const open = TrainingPanel.current;
    if (open) {
      open.panel.reveal();
      if (fileModel) {
        open.fileModel = fileModel;
        open.post({ type: 'file-model', fileModel });
      }
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      TRAINING_PANEL_VIEW_TYPE,
      'Initializer Training Comparison',
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        // The page holds the live TF.js models, their tensors and the half-drawn charts. Without this flag
        // switching tabs would destroy the page and kill a run that may take minutes; with it the page
        // survives hidden (its timers may be throttled, so training can slow down until the tab is shown
        // again, but it resumes where it was). The results are also kept here in the host (RunLog), so
        // even a reloaded page gets the charts back.
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
      },
    );
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, output, fileModel);
    return TrainingPanel.current;
  }

  /** The open panel, if any (for tests and for commands that act on it). */
  static get instance(): TrainingPanel | undefined {
    return TrainingPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    private fileModel: FileModelOffer | undefined,
  ) {
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    const dist = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
    webview.html = renderPanelHtml({ cspSource: webview.cspSource, nonce: createNonce(), scriptUri: dist('webview.js'), styleUri: dist('webview.css') });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      // Disposing the panel destroys the page, which ends any run and frees its tensors with it.
      panel.onDidDispose(() => this.dispose()),
    );
  }

  dispose(): void {
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }

  /** Asks the page to start a run with its current settings (used by tests and future commands). */
  startTraining(): void {
    this.post({ type: 'start' });
  }

  stopTraining(): void {
    this.post({ type: 'stop' });
  }

  /** What the host holds about the current run (for tests and exports). */
  get runLog(): RunLog {
    return this.log;
  }

  private post(message: HostToWebviewMessage): void {
    if (!this.pageReady) {
      this.pending.push(message);
      return;
    }
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.output.warn(`[panel] a '${message.type}' message was not delivered (the page is hidden or gone)`);
      },
      (err: unknown) => this.output.error(`[panel] posting '${message.type}' failed: ${String(err)}`),
    );
  }

  private receive(raw: unknown): void {
    if (!isWebviewToHostMessage(raw)) {
      this.output.warn(`[panel] dropped a malformed message from the webview: ${describeMessage(raw)}`);
      return;
    }
    try {
      void this.handle(raw).catch((err: unknown) => this.report(err));
    } catch (err) {
      this.report(err);
    }
  }

  private report(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.output.error(`[panel] ${message}`);
    void vscode.window.showErrorMessage(`Xavier Lens: ${message}`);
  }

  private async handle(message: WebviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.onReady();
      case 'start':
        this.log.begin(message.config, message.datasetLabel);
        this.output.info(`[panel] run started: ${message.config.model.label}, ${message.config.initializers.join(', ')}; ${message.datasetLabel}`);
        return;
      case 'stop':
        this.output.info('[panel] run stopped by the user');
        return;
      case 'training-event':
        this.log.add(message.event);
        if (message.event.type === 'run-error') this.output.error(`[training] ${message.event.message}`);
        if (message.event.type === 'run-started') this.output.info(`[training] backend ${message.event.backend.backend}: ${message.event.backend.reason}`);
        if (message.event.type === 'backend-changed') this.output.warn(`[training] ${message.event.message}`);
        return;
      case 'load-dataset-request':
        return this.loadDataset();
      case 'export-request':
        return this.exportResults(message.format);
      case 'log':
        // At the page's own level, so that its failures stand out in the channel as the host's do.
        this.output[message.level](`[webview] ${message.message.slice(0, 4000)}`);
        return;
    }
  }

  private onReady(): void {
    // A second `ready` means the page was reloaded: queued messages went to the old page, start afresh.
    this.pageReady = true;
    const webview = this.panel.webview;
    const asUrl = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    this.post({
      type: 'init',
      subsetUrl: asUrl('media', 'mnist-subset.bin.gz'),
      wasmBaseUrl: `${asUrl('dist', 'tfjs-wasm')}/`,
      fileModel: this.fileModel,
      snapshot: this.log.hasRun ? this.log.snapshot() : undefined,
    });
    if (this.diskDataset) this.post({ type: 'dataset', dataset: this.diskDataset });
    for (const message of this.pending.splice(0)) this.post(message);
  }

  private async loadDataset(): Promise<void> {
    if (this.loadingDataset) return;
    this.loadingDataset = true;
    try {
      const outcome = await pickAndLoadDataset();
      if (outcome.kind === 'cancelled') return;
      if (outcome.kind === 'failed') {
        this.output.error(`[dataset] ${outcome.file}: ${outcome.message}`);
        this.post({ type: 'dataset-error', file: outcome.file, message: outcome.message });
        void vscode.window.showErrorMessage(`Xavier Lens could not load ${outcome.file}: ${outcome.message}. The data already loaded stays in use.`);
        return;
      }
      this.diskDataset = outcome.dataset;
      this.output.info(`[dataset] loaded ${outcome.dataset.label}`);
      this.post({ type: 'dataset', dataset: outcome.dataset });
    } finally {
      this.loadingDataset = false;
    }
  }

  private exportInput(): ExportInput | undefined {
    const exportable = this.log.exportableResults();
    if (!exportable) return undefined;
    return { ...exportable, config: this.log.runConfig, datasetLabel: this.log.runDatasetLabel, epochs: this.log.epochRows() };
  }

  private async exportResults(format: ExportFormat): Promise<void> {
    const input = this.exportInput();
    if (!input) {
      this.post({ type: 'notice', level: 'error', message: 'No results to export yet: results appear after the first epoch.' });
      return;
    }
    if (format === 'markdown') {
      await vscode.env.clipboard.writeText(resultsToMarkdown(input));
      this.post({ type: 'notice', level: 'info', message: 'Copied the results table as Markdown.' });
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `xavier-lens-results.${format}`;
    const target = await vscode.window.showSaveDialog({
      title: `Export results as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) return;
    const text = format === 'csv' ? resultsToCsv(input) : resultsToJson(input);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.output.info(`[panel] results written to ${target.fsPath}`);
    this.post({ type: 'notice', level: 'info', message: `Saved ${target.fsPath}` });
  }
}
