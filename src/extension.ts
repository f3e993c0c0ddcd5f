import type * as vscode from 'vscode';
import { ExtensionController } from './editor/controller';
import { registerTrainingPanel } from './panel/index';

// Thin activation: the controller owns every provider, command and listener; the engine loads on first use.
let controller: ExtensionController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  controller = new ExtensionController(context);
  controller.start();
  context.subscriptions.push(
    controller,
    registerTrainingPanel(context, { output: controller.channel, analyze: controller.services.analyze }),
  );
}

export function deactivate(): void {
  controller = undefined;
}
