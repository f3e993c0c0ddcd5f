/**
 * Notebook cells in the editor: a cell's text document (URI scheme `vscode-notebook-cell`) belongs to a
 * vscode.NotebookDocument; the notebook is analysed as a whole (src/analysis/notebook.ts) and cached under the
 * notebook's URI, with a version that changes when any cell's text, language or order changes.
 */
import * as vscode from 'vscode';
import type { DocumentSnapshot } from './analysisCache';

export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

/** The open notebook a cell document belongs to, and the cell; undefined for any other document. */
export function notebookCellOf(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  if (document.uri.scheme !== NOTEBOOK_CELL_SCHEME) return undefined;
  const uri = document.uri.toString();
  for (const notebook of vscode.workspace.notebookDocuments) {
    for (const cell of notebook.getCells()) if (cell.document === document || cell.document.uri.toString() === uri) return { notebook, cell };
  }
  return undefined;
}

/** Versions handed out per notebook: a new number whenever the cells' signature changes. */
const versions = new Map<string, { signature: string; version: number }>();

/** Cell URIs and versions say when any cell changed: NotebookDocument.version alone does not move on a cell's text edit. */
function notebookVersion(notebook: vscode.NotebookDocument): number {
  const signature = `${notebook.version}|${notebook.getCells().map((c) => `${c.document.uri.fragment}:${c.document.version}:${c.kind}:${c.document.languageId}`).join(',')}`;
  const key = notebook.uri.toString();
  const known = versions.get(key);
  if (known?.signature === signature) return known.version;
  const version = (known?.version ?? 0) + 1;
  versions.set(key, { signature, version });
  return version;
}

export function forgetNotebook(notebook: vscode.NotebookDocument): void {
  versions.delete(notebook.uri.toString());
}

/** The cache key of a notebook: its own URI (a cell's key is never this, cell URIs have their own scheme). */
export const notebookKey = (notebook: vscode.NotebookDocument) => notebook.uri.toString();

/**
 * The notebook as the engine reads an .ipynb: cells with their kind, language and text; no outputs. The engine
 * picks its notebook reader by the `.ipynb` name.
 */
export function notebookSnapshot(notebook: vscode.NotebookDocument): DocumentSnapshot {
  const base = notebook.uri.path.split('/').pop() || 'notebook';
  return {
    uri: notebookKey(notebook),
    version: notebookVersion(notebook),
    fileName: base.toLowerCase().endsWith('.ipynb') ? base : `${base}.ipynb`,
    getText: () =>
      JSON.stringify({
        cells: notebook.getCells().map((cell) => ({
          cell_type: cell.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown',
          metadata: { vscode: { languageId: cell.document.languageId } },
          source: cell.document.getText(),
        })),
      }),
  };
}
