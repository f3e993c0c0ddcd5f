/** Hover over a layer definition: the card from hoverMarkdown.ts, with command links on an allow-list. */
import * as vscode from 'vscode';
import { findInitializerProblems } from '../analysis/findings';
import { analysisOutcome } from './analysisOutcome';
import { buildLayerHoverMarkdown, commandUri } from './hoverMarkdown';
import { guarded } from './log';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, layerAt, type EditorServices, type OpenTrainingArgs } from './services';
import { readSettings } from './settings';
import { toVscodeRange } from './vscodeRanges';

/** The only commands a hover's links may run (never `isTrusted: true`). */
export const HOVER_ENABLED_COMMANDS = [OPEN_TRAINING_COMMAND, INSPECT_COMMAND];

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: EditorServices) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token?: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    return guarded(this.services.log, `hover at ${document.uri.toString()}:${position.line + 1}`, undefined, async () => {
      if (!readSettings(document).hoverEnabled) return undefined;
      const report = await this.services.analyze(document, token);
      if (token?.isCancellationRequested || analysisOutcome(report)) return undefined;
      const hit = layerAt(report, { line: position.line, column: position.character });
      if (!hit) return undefined;
      const modelIndex = report.models.indexOf(hit.model);
      const layerIndex = hit.model.layers.indexOf(hit.layer);
      const findings = readSettings(document).diagnosticsEnabled
        ? findInitializerProblems(report).filter((f) => f.modelIndex === modelIndex && f.layerIndex === layerIndex).map((f) => (f.layerCount > 1 ? f.message : f.detail))
        : [];
      const trainArgs: OpenTrainingArgs = { uri: document.uri.toString(), modelName: hit.model.name, line: hit.model.line };
      const markdown = new vscode.MarkdownString(
        buildLayerHoverMarkdown(hit.model, hit.layer, {
          train: commandUri(OPEN_TRAINING_COMMAND, [trainArgs]),
          inspect: commandUri(INSPECT_COMMAND, [document.uri.toString()]),
          findings,
        }),
        true,
      );
      markdown.isTrusted = { enabledCommands: HOVER_ENABLED_COMMANDS };
      return new vscode.Hover(markdown, toVscodeRange(hit.layer.range));
    });
  }
}
