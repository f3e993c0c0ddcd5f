/** Quick fixes for Xavier Lens diagnostics: the edit comes from quickFix.ts (pure), applied as a WorkspaceEdit. */
import * as vscode from 'vscode';
import { analysisOutcome } from './analysisOutcome';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { guarded } from './log';
import { quickFixesForDiagnostics } from './quickFix';
import type { EditorServices } from './services';
import { fromVscodeRange, toVscodeRange } from './vscodeRanges';

export class InitializerQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly services: EditorServices) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token?: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    return guarded(this.services.log, `quick fixes for ${document.uri.toString()}`, [], async () => {
      const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      if (!ours.length) return [];
      // The cached analysis of this version: its findings were computed once and are looked up by spot here.
      const analysis = await this.services.analysis(document, token);
      if (token?.isCancellationRequested || analysisOutcome(analysis.report)) return [];
      const shown = ours.map((diagnostic) => ({ code: diagnostic.code, range: fromVscodeRange(diagnostic.range), item: diagnostic }));
      const actions: vscode.CodeAction[] = [];
      for (const { item: diagnostic, fix } of quickFixesForDiagnostics(analysis, shown, document.getText())) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) action.edit.replace(document.uri, toVscodeRange(edit.range), edit.newText);
        actions.push(action);
      }
      return actions;
    });
  }
}
