/**
 * "Inspect Layers in Active File": a webview beside the editor with one data grid per model. It follows
 * edits to its file and the active editor; a row click reveals the layer; "Copy as Markdown" copies the tables.
 */
import * as vscode from 'vscode';
import { isReportWebviewMessage, describeMessage, type ReportHostMessage } from '../protocol';
import { guarded } from './log';
import { createNonce, reportHtml } from './reportHtml';
import { buildReportModels, emptyReportMessage, reportMarkdown } from './reportTable';
import type { EditorServices } from './services';
import { isSupportedDocument } from './settings';

const FOLLOW_DEBOUNCE_MS = 300;

function displayName(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() || document.uri.toString();
}

export class LayerReportPanel implements vscode.Disposable {
  static readonly viewType = 'xavierLens.layerReport';
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private lastMessage: ReportHostMessage | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly services: EditorServices,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.scheduleRender();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor && editor.document !== this.document && isSupportedDocument(editor.document)) {
          this.document = editor.document;
          this.scheduleRender(0);
        }
      }),
    );
  }

  /** The document the report shows, if the report is open. */
  get currentDocument(): vscode.TextDocument | undefined {
    return this.panel ? this.document : undefined;
  }

  show(document: vscode.TextDocument): void {
    this.document = document;
    if (!this.panel) this.panel = this.createPanel();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.scheduleRender(0);
  }

  private createPanel(): vscode.WebviewPanel {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      LayerReportPanel.viewType,
      'Xavier Lens: Layers',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist] },
    );
    panel.webview.html = reportHtml({
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'report.js')).toString(),
    });
    const listener = panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message));
    panel.onDidDispose(() => {
      listener.dispose();
      this.panel = undefined;
      this.lastMessage = undefined;
      clearTimeout(this.timer);
    });
    return panel;
  }

  private scheduleRender(delayMs = FOLLOW_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.render(), delayMs);
  }

  private async render(): Promise<void> {
    const document = this.document;
    const panel = this.panel;
    if (!document || !panel) return;
    await guarded(this.services.log, `layer report for ${document.uri.toString()}`, undefined, async () => {
      const report = await this.services.analyze(document);
      if (document !== this.document || panel !== this.panel) return;
      const fileName = displayName(document);
      const models = buildReportModels(report);
      const message: ReportHostMessage = {
        type: 'report',
        fileName,
        models,
        notices: report.notices,
        ...(models.length ? {} : { empty: emptyReportMessage(fileName) }),
      };
      panel.title = `Layers: ${fileName}`;
      this.lastMessage = message;
      await panel.webview.postMessage(message);
    });
  }

  private onMessage(message: unknown): void {
    if (!isReportWebviewMessage(message)) {
      this.services.log.warn(`layer report: dropped a message that is not a report message: ${describeMessage(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        if (this.lastMessage) void this.panel?.webview.postMessage(this.lastMessage);
        return;
      case 'reveal':
        void this.reveal(message.line, message.column);
        return;
      case 'copy-markdown':
        if (this.document) {
          void copyReportMarkdown(this.services, this.document).then((ok) => ok && this.panel?.webview.postMessage({ type: 'copied' } satisfies ReportHostMessage));
        }
        return;
    }
  }

  private async reveal(line: number, column: number): Promise<void> {
    const document = this.document;
    if (!document) return;
    await guarded(this.services.log, `reveal line ${line}`, undefined, async () => {
      const column0 = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? vscode.ViewColumn.One;
      const position = new vscode.Position(Math.max(0, line - 1), column);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: column0, selection: new vscode.Range(position, position) });
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Puts the report of `document` on the clipboard as markdown; says so in the status bar. */
export async function copyReportMarkdown(services: EditorServices, document: vscode.TextDocument): Promise<boolean> {
  return guarded(services.log, `copy report of ${document.uri.toString()}`, false, async () => {
    const report = await services.analyze(document);
    await vscode.env.clipboard.writeText(reportMarkdown(report, displayName(document)));
    const models = report.models.length;
    vscode.window.setStatusBarMessage(`$(check) Xavier Lens: copied ${models} model table${models === 1 ? '' : 's'} as Markdown`, 4000);
    return true;
  });
}
