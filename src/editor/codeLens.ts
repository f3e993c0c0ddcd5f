/** CodeLens above each model: "N layers · P params", "Inspect", "Train on MNIST". */
import * as vscode from 'vscode';
import { analysisOutcome } from './analysisOutcome';
import { guarded } from './log';
import { modelDisplayName } from '../analysis/format';
import { modelSummaryTitle } from './reportTable';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, type EditorServices, type OpenTrainingArgs } from './services';
import { readSettings } from './settings';
import { toVscodeRange } from './vscodeRanges';

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly services: EditorServices) {}

  /** Asks VS Code to ask again (a setting changed). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return guarded(this.services.log, `CodeLens for ${document.uri.toString()}`, [], async () => {
      if (!readSettings(document).codeLensEnabled) return [];
      const { report } = await this.services.analysis(document, token);
      if (token?.isCancellationRequested || analysisOutcome(report)) return [];
      const lenses: vscode.CodeLens[] = [];
      for (const model of report.models) {
        const at = toVscodeRange(model.range);
        const range = new vscode.Range(at.start, at.start);
        const trainArgs: OpenTrainingArgs = { uri: document.uri.toString(), modelName: model.name, line: model.line, cell: model.cell };
        lenses.push(
          new vscode.CodeLens(range, { title: modelSummaryTitle(model), command: '', tooltip: `${modelDisplayName(model)}: parameters counted by the framework's own rules` }),
          new vscode.CodeLens(range, { title: '$(layers) Inspect', command: INSPECT_COMMAND, arguments: [document.uri.toString()], tooltip: 'Show every layer with its fans and initializer scales' }),
          new vscode.CodeLens(range, { title: '$(beaker) Train on MNIST', command: OPEN_TRAINING_COMMAND, arguments: [trainArgs], tooltip: 'Compare initializers on this model in the training panel' }),
        );
      }
      return lenses;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
