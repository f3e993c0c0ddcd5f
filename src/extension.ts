import * as vscode from 'vscode';

// Placeholder activation (foundation): the real lifecycle owner arrives with the editor work.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('xavierLens.inspectLayers', () =>
      vscode.window.showInformationMessage('Xavier Lens: layer inspection is not available in this build yet.'),
    ),
    vscode.commands.registerCommand('xavierLens.openTrainingComparison', () =>
      vscode.window.showInformationMessage('Xavier Lens: the training comparison panel is not available in this build yet.'),
    ),
  );
}

export function deactivate(): void {}
