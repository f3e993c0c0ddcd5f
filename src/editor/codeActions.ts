/** Quick fixes for Xavier Lens diagnostics: the edit comes from quickFix.ts (pure), applied as a WorkspaceEdit. */
import * as vscode from 'vscode';
import { findInitializerProblems } from '../analysis/findings';
import { analysisOutcome } from './analysisOutcome';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { guarded } from './log';
import { quickFixFor } from './quickFix';
import type { EditorServices } from './services';
import { toVscodeRange } from './vscodeRanges';

export class InitializerQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly services: EditorServices) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token?: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    return guarded(this.services.log, `quick fixes for ${document.uri.toString()}`, [], async () => {
      const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      if (!ours.length) return [];
      const report = await this.services.analyze(document, token);
      if (token?.isCancellationRequested || analysisOutcome(report)) return [];
      const findings = findInitializerProblems(report);
      const text = document.getText();
      const actions: vscode.CodeAction[] = [];
      for (const diagnostic of ours) {
        const finding = findings.find((f) => f.code === diagnostic.code && toVscodeRange(f.range).isEqual(diagnostic.range));
        const fix = finding && quickFixFor(finding, report, text);
        if (!fix) continue;
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
