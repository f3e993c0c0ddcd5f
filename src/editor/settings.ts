/**
 * The editor features' settings (package.json contributes.configuration, xavierLens.*), read fresh on
 * every use so that changes apply live; the controller only listens to know when to refresh views.
 */
import * as vscode from 'vscode';
import { DEFAULT_TIMEOUT_MS } from './analysisOutcome';

export type DiagnosticSeveritySetting = 'hint' | 'information' | 'warning';

export interface EditorSettings {
  hoverEnabled: boolean;
  codeLensEnabled: boolean;
  diagnosticsEnabled: boolean;
  diagnosticsSeverity: DiagnosticSeveritySetting;
  maxFileSizeKB: number;
  /** The time budget of one analysis in ms (xavierLens.analysis.timeoutMs). */
  timeoutMs: number;
}

export const DEFAULT_MAX_FILE_SIZE_KB = 512;

export function readSettings(scope?: vscode.ConfigurationScope): EditorSettings {
  const config = vscode.workspace.getConfiguration('xavierLens', scope);
  const severity = config.get<string>('diagnostics.severity', 'hint');
  const maxKB = config.get<number>('analysis.maxFileSizeKB', DEFAULT_MAX_FILE_SIZE_KB);
  const timeoutMs = config.get<number>('analysis.timeoutMs', DEFAULT_TIMEOUT_MS);
  return {
    hoverEnabled: config.get<boolean>('hover.enabled', true),
    codeLensEnabled: config.get<boolean>('codeLens.enabled', true),
    diagnosticsEnabled: config.get<boolean>('diagnostics.enabled', true),
    diagnosticsSeverity: severity === 'information' || severity === 'warning' ? severity : 'hint',
    maxFileSizeKB: Number.isFinite(maxKB) && maxKB > 0 ? maxKB : DEFAULT_MAX_FILE_SIZE_KB,
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs >= 100 ? timeoutMs : DEFAULT_TIMEOUT_MS,
  };
}

export function toDiagnosticSeverity(setting: DiagnosticSeveritySetting): vscode.DiagnosticSeverity {
  switch (setting) {
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

/** Languages the editor features serve (model.json files are JSON). */
export const SUPPORTED_LANGUAGES = ['python', 'typescript', 'javascript', 'json'] as const;

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = SUPPORTED_LANGUAGES.map((language) => ({ language }));

export function isSupportedDocument(document: vscode.TextDocument): boolean {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(document.languageId);
}
