/**
 * "Inspect Layers in Active File": a webview view in the bottom panel (full width, the editor stays whole)
 * with one data grid per model. It follows edits to its file and the active editor; a row click reveals the
 * layer; "Copy as Markdown" copies the tables.
 */
import * as vscode from 'vscode';
import { notebookCellOf } from './notebookDocuments';
import { isReportWebviewMessage, describeMessage, type ReportHostMessage } from '../protocol';
import { analysisOutcome } from './analysisOutcome';
import { guarded } from './log';
import { createNonce, reportHtml } from './reportHtml';
import { wasNotRead } from '../analysis/format';
import { buildReportModels, emptyReportMessage, reportMarkdown } from './reportTable';
import type { EditorServices } from './services';
import { isSupportedDocument } from './settings';

const FOLLOW_DEBOUNCE_MS = 300;

function displayName(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() || document.uri.toString();
}

export class LayerReportView implements vscode.WebviewViewProvider, vscode.Disposable {
  /** The "Layers" view in the "Xavier Lens" container of the bottom panel (package.json contributes.views). */
  static readonly viewId = 'xavierLens.layers';
  private view: vscode.WebviewView | undefined;
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
        if (this.view && e.document === this.document) this.scheduleRender();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.view && editor && editor.document !== this.document && isSupportedDocument(editor.document)) {
          this.document = editor.document;
          this.scheduleRender(0);
        }
      }),
    );
  }

  /** The document the report shows, while the view exists. */
  get currentDocument(): vscode.TextDocument | undefined {
    return this.view ? this.document : undefined;
  }

  /** Shows the report again from a fresh analysis (e.g. the size limit changed). */
  refresh(): void {
    if (this.view) this.scheduleRender(0);
  }

  /** Reports on `document` and brings the view up (VS Code resolves it on first show). */
  async show(document: vscode.TextDocument): Promise<void> {
    this.document = document;
    if (this.view) {
      this.view.show(true);
      this.scheduleRender(0);
    } else {
      await vscode.commands.executeCommand(`${LayerReportView.viewId}.focus`);
    }
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = reportHtml({
      cspSource: view.webview.cspSource,
      nonce: createNonce(),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'report.js')).toString(),
    });
    // Opened from the panel's tab rather than the command: report on the active editor's file.
    const active = vscode.window.activeTextEditor?.document;
    if (!this.document && active && isSupportedDocument(active)) this.document = active;
    const listener = view.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message));
    view.onDidDispose(() => {
      listener.dispose();
      if (this.view === view) this.view = undefined;
      this.lastMessage = undefined;
      clearTimeout(this.timer);
    });
  }

  private scheduleRender(delayMs = FOLLOW_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.render(), delayMs);
  }

  private async render(): Promise<void> {
    const document = this.document;
    const view = this.view;
    if (!view) return;
    await guarded(this.services.log, `layer report for ${document?.uri.toString() ?? 'no file'}`, undefined, async () => {
      let message: ReportHostMessage;
      if (!document) {
        message = { type: 'report', fileName: '', models: [], notices: [], empty: 'Open a Python, TypeScript, JavaScript or model.json file to see its layers.' };
      } else {
        const report = await this.services.analyze(document);
        // A newer edit superseded this analysis: its own render is scheduled.
        if (document !== this.document || view !== this.view || analysisOutcome(report) === 'cancelled') return;
        const fileName = displayName(document);
        const models = buildReportModels(report);
        message = { type: 'report', fileName, models, notices: report.notices, ...(models.length || wasNotRead(report) ? {} : { empty: emptyReportMessage(fileName) }) };
        view.description = fileName;
      }
      this.lastMessage = message;
      await view.webview.postMessage(message);
    });
  }

  private onMessage(message: unknown): void {
    if (!isReportWebviewMessage(message)) {
      this.services.log.warn(`layer report: dropped a message that is not a report message: ${describeMessage(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        if (this.lastMessage) void this.view?.webview.postMessage(this.lastMessage);
        else this.scheduleRender(0);
        return;
      case 'reveal':
        void this.reveal(message.line, message.column, message.cell);
        return;
      case 'copy-markdown':
        if (this.document) {
          void copyReportMarkdown(this.services, this.document).then((ok) => ok && this.view?.webview.postMessage({ type: 'copied' } satisfies ReportHostMessage));
        }
        return;
    }
  }

  private async reveal(line: number, column: number, cell?: number): Promise<void> {
    // A notebook's row names its cell: reveal in that cell's editor, not the cell the report was opened from.
    const inNotebook = cell !== undefined && this.document ? notebookCellOf(this.document) : undefined;
    const document = inNotebook && cell! < inNotebook.notebook.cellCount ? inNotebook.notebook.cellAt(cell!).document : this.document;
    if (!document) return;
    await guarded(this.services.log, `reveal line ${line}`, undefined, async () => {
      const viewColumn = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? vscode.ViewColumn.One;
      const position = new vscode.Position(Math.max(0, line - 1), column);
      const editor = await vscode.window.showTextDocument(document, { viewColumn, selection: new vscode.Range(position, position) });
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Puts the report of `document` on the clipboard as markdown; says so in the status bar. */
export async function copyReportMarkdown(services: EditorServices, document: vscode.TextDocument): Promise<boolean> {
  return guarded(services.log, `copy report of ${document.uri.toString()}`, false, async () => {
    let report = await services.analyze(document);
    // Superseded by an edit while it ran: the text now in the editor is what to copy.
    if (analysisOutcome(report) === 'cancelled') report = await services.analyze(document);
    await vscode.env.clipboard.writeText(reportMarkdown(report, displayName(document)));
    const models = report.models.length;
    vscode.window.setStatusBarMessage(`$(check) Xavier Lens: copied ${models} model table${models === 1 ? '' : 's'} as Markdown`, 4000);
    return true;
  });
}
