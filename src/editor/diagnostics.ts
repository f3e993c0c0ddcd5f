/**
 * Shows the findings of src/analysis/findings.ts as diagnostics: read from the document's cached analysis
 * shortly after it changes (debounced), cleared when it closes or the feature is switched off, severity from settings.
 */
import * as vscode from 'vscode';
import { analysisOutcome } from './analysisOutcome';
import { guarded } from './log';
import type { EditorServices } from './services';
import { isSupportedDocument, readSettings, toDiagnosticSeverity } from './settings';
import { toVscodeRange } from './vscodeRanges';

export const DIAGNOSTIC_SOURCE = 'Xavier Lens';
const DEBOUNCE_MS = 300;
/** The code of the notice shown when an analysis ran past its budget. */
export const ANALYSIS_TIMEOUT_CODE = 'analysis-timeout';

export class InitializerDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('xavierLens');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly services: EditorServices) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
  }

  /** Every open supported document (at start and when settings change). */
  refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Reads this document's findings again after the usual pause (another notebook cell changed). */
  refresh(document: vscode.TextDocument): void {
    this.schedule(document, DEBOUNCE_MS);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isSupportedDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.update(document);
      }, delayMs),
    );
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    await guarded(this.services.log, `diagnostics for ${document.uri.toString()}`, undefined, async () => {
      const settings = readSettings(document);
      if (!settings.diagnosticsEnabled || document.isClosed) {
        this.collection.delete(document.uri);
        return;
      }
      const version = document.version;
      const analysis = await this.services.analysis(document);
      const { report } = analysis;
      // A newer edit has its own update queued; showing this older answer would flicker.
      if (document.version !== version || document.isClosed || analysisOutcome(report) === 'cancelled') return;
      const severity = toDiagnosticSeverity(settings.diagnosticsSeverity);
      if (analysisOutcome(report) === 'timeout') {
        // The budget notice, on the file's first line: the findings of this version are unknown.
        const notice = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), report.notices[0], vscode.DiagnosticSeverity.Information);
        notice.source = DIAGNOSTIC_SOURCE;
        notice.code = ANALYSIS_TIMEOUT_CODE;
        this.collection.set(document.uri, [notice]);
        return;
      }
      // The findings this version's cache entry holds (computed on the first ask; hovers and quick fixes reuse them).
      const diagnostics = analysis.findings().map((finding) => {
        const diagnostic = new vscode.Diagnostic(toVscodeRange(finding.range), finding.message, severity);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = finding.code;
        return diagnostic;
      });
      this.collection.set(document.uri, diagnostics);
    });
  }

  private forget(uri: vscode.Uri): void {
    clearTimeout(this.pending.get(uri.toString()));
    this.pending.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
