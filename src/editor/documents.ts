/** Maps editor documents onto the plain snapshots the analysis cache takes. */
import * as vscode from 'vscode';
import type { DocumentSnapshot } from './analysisCache';

const EXTENSION_FOR_LANGUAGE: Record<string, string> = { python: '.py', typescript: '.ts', javascript: '.js', json: '.json' };

/**
 * The name the engine picks its reader by. An untitled buffer or a file without the usual extension
 * gets the one its language mode implies, so a Python buffer named "Untitled-1" is read as Python.
 */
export function engineFileName(document: vscode.TextDocument): string {
  const base = document.uri.path.split('/').pop() || 'untitled';
  const wanted = EXTENSION_FOR_LANGUAGE[document.languageId];
  if (!wanted) return base;
  const lower = base.toLowerCase();
  const fits = lower.endsWith(wanted) || (wanted === '.ts' && lower.endsWith('.tsx')) || (wanted === '.js' && /\.(mjs|cjs|jsx)$/.test(lower));
  return fits ? base : `${base}${wanted}`;
}

export function snapshotOf(document: vscode.TextDocument): DocumentSnapshot {
  return { uri: document.uri.toString(), version: document.version, fileName: engineFileName(document), getText: () => document.getText() };
}
