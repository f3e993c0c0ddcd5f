/** Engine ranges (0-based line, UTF-16 column, as tree-sitter gives them) are VS Code's coordinates. */
import * as vscode from 'vscode';
import type { Position, Range } from '../analysis/types';

export function toVscodePosition(position: Position): vscode.Position {
  return new vscode.Position(position.line, position.column);
}

export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(toVscodePosition(range.start), toVscodePosition(range.end));
}

export function fromVscodeRange(range: vscode.Range): Range {
  return { start: { line: range.start.line, column: range.start.character }, end: { line: range.end.line, column: range.end.character } };
}
