/**
 * Registers "Xavier Lens: Open Initializer Training Comparison" (xavierLens.openTrainingComparison).
 * Called with `{ uri, modelName?, line? }` by the hover link and the CodeLens (train that file's model);
 * with no arguments it offers the model at the cursor of the active editor, if any, beside the presets.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../analysis/types';
import { loadAnalysisEngine } from '../editor/engine';
import type { FileModelOffer } from '../protocol';
import { TrainingPanel } from './TrainingPanel';
import { notebookCellOf } from '../editor/notebookDocuments';
import type { OpenTrainingArgs } from '../editor/services';
import { fileModelOfferFromReport, type ModelChoice } from './fileModel';

export { TrainingPanel } from './TrainingPanel';

export interface TrainingPanelDeps {
  /** The extension's "Xavier Lens" output channel; one is created when absent. */
  output?: vscode.LogOutputChannel;
  /**
   * The editor's per-document analysis (shared cache, so the panel does not parse a file twice). When
   * absent the panel loads the engine itself on first use.
   */
  analyze?: (document: vscode.TextDocument) => Promise<FileReport>;
}

/** Command arguments come from markdown command links too: check them like any outside input. */
export function parseOpenTrainingArgs(x: unknown): OpenTrainingArgs | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const r = x as Record<string, unknown>;
  if (r.uri !== undefined && typeof r.uri !== 'string') return undefined;
  if (r.modelName !== undefined && typeof r.modelName !== 'string') return undefined;
  if (r.line !== undefined && !(Number.isInteger(r.line) && (r.line as number) >= 1)) return undefined;
  if (r.cell !== undefined && !(Number.isInteger(r.cell) && (r.cell as number) >= 0)) return undefined;
  return { uri: r.uri as string | undefined, modelName: r.modelName as string | undefined, line: r.line as number | undefined, cell: r.cell as number | undefined };
}

type Analyze = (document: vscode.TextDocument) => Promise<FileReport>;

/** Model files the engine reads; other documents (a README, the output pane) are not analysed at all. */
const MODEL_LANGUAGES = new Set(['python', 'typescript', 'javascript', 'json']);

async function offerFor(args: OpenTrainingArgs | undefined, analyze: Analyze, output: vscode.LogOutputChannel): Promise<FileModelOffer | undefined> {
  const offer = async (document: vscode.TextDocument, choice: ModelChoice) =>
    fileModelOfferFromReport(await analyze(document), vscode.workspace.asRelativePath(document.uri), choice);
  try {
    if (args?.uri) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
      return await offer(document, { modelName: args.modelName, line: args.line, cell: args.cell });
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor || !MODEL_LANGUAGES.has(editor.document.languageId)) return undefined;
    // Without arguments only a model the cursor is on (or the file's only model) is offered, quietly.
    // In a notebook cell the cursor's line counts in that cell: the model is looked for there.
    const cell = notebookCellOf(editor.document)?.cell.index;
    return await offer(editor.document, { line: editor.selection.active.line + 1, cell, quietWhenNone: true });
  } catch (err) {
    output.error(`[panel] could not read the model to train: ${err instanceof Error ? err.message : String(err)}`);
    return args?.uri ? { label: args.uri, problem: `could not read the file: ${err instanceof Error ? err.message : String(err)}` } : undefined;
  }
}

export function registerTrainingPanel(context: vscode.ExtensionContext, deps: TrainingPanelDeps = {}): vscode.Disposable {
  const ownOutput = deps.output ? undefined : vscode.window.createOutputChannel('Xavier Lens', { log: true });
  const output = deps.output ?? ownOutput!;
  let engine: ReturnType<typeof loadAnalysisEngine> | undefined;
  const analyze: Analyze =
    deps.analyze ??
    (async (document) => {
      engine ??= loadAnalysisEngine(vscode.Uri.joinPath(context.extensionUri, 'dist', 'tree-sitter').fsPath);
      return (await engine).analyzeText(document.getText(), document.fileName);
    });
  const command = vscode.commands.registerCommand('xavierLens.openTrainingComparison', async (raw?: unknown) => {
    const args = raw === undefined ? undefined : parseOpenTrainingArgs(raw);
    if (raw !== undefined && !args) output.warn('[panel] ignored malformed arguments to xavierLens.openTrainingComparison');
    const offer = await offerFor(args, analyze, output);
    TrainingPanel.show(context.extensionUri, output, offer);
  });
  return vscode.Disposable.from(command, { dispose: () => TrainingPanel.instance?.dispose() }, ...(ownOutput ? [ownOutput] : []));
}
