/** Hover over a layer definition: the card from layerHover.ts (pure), with command links on an allow-list. */
import * as vscode from 'vscode';
import { analysisOutcome } from './analysisOutcome';
import { layerHoverContent } from './layerHover';
import { guarded } from './log';
import { INSPECT_COMMAND, OPEN_TRAINING_COMMAND, type EditorServices } from './services';
import { readSettings } from './settings';
import { toVscodeRange } from './vscodeRanges';

/** The only commands a hover's links may run (never `isTrusted: true`). */
export const HOVER_ENABLED_COMMANDS = [OPEN_TRAINING_COMMAND, INSPECT_COMMAND];

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: EditorServices) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token?: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    return guarded(this.services.log, `hover at ${document.uri.toString()}:${position.line + 1}`, undefined, async () => {
      const settings = readSettings(document);
      if (!settings.hoverEnabled) return undefined;
      // The cached analysis of this version: its findings were computed once, not per hover.
      const analysis = await this.services.analysis(document, token);
      if (token?.isCancellationRequested || analysisOutcome(analysis.report)) return undefined;
      const content = layerHoverContent(analysis, { line: position.line, column: position.character }, { uri: document.uri.toString(), showFindings: settings.diagnosticsEnabled });
      if (!content) return undefined;
      const markdown = new vscode.MarkdownString(content.markdown, true);
      markdown.isTrusted = { enabledCommands: HOVER_ENABLED_COMMANDS };
      return new vscode.Hover(markdown, toVscodeRange(content.range));
    });
  }
}
