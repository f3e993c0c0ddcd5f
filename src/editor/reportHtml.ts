/**
 * The report webview's page: a strict Content-Security-Policy (scripts only with this page's nonce, styles
 * only from the extension or with the nonce, no 'unsafe-inline', no 'unsafe-eval') and one script, dist/report.js.
 */
import { randomBytes } from 'node:crypto';

export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface ReportHtmlInput {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(dist/report.js) as a string. */
  scriptUri: string;
}

export function reportContentSecurityPolicy({ cspSource, nonce }: Pick<ReportHtmlInput, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

// Grid cells wrap and are never cut with an ellipsis: a cut fan or σ ("±0.0811…") reads as another number.
const STYLE = `
  body { padding: 0 12px 12px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  header { display: flex; align-items: center; gap: 12px; position: sticky; top: 0; padding: 8px 0; background: var(--vscode-editor-background); z-index: 1; }
  header h1 { font-size: 1.1em; font-weight: 600; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  h2 { font-size: 1em; font-weight: 600; margin: 18px 0 6px; }
  .totals { margin: 6px 0 0; color: var(--vscode-descriptionForeground); }
  .empty, .notice { color: var(--vscode-descriptionForeground); margin: 12px 0; }
  .notice { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 8px; }
  .grid-scroll { overflow-x: auto; }
  vscode-data-grid { min-width: 960px; }
  vscode-data-grid-cell { white-space: normal; overflow-wrap: anywhere; padding-left: 8px; padding-right: 8px; }
  vscode-data-grid-row.layer { cursor: pointer; }
  vscode-data-grid-row.layer:hover { background: var(--vscode-list-hoverBackground); }
  vscode-data-grid-cell.number { text-align: right; font-variant-numeric: tabular-nums; }
  vscode-data-grid-row.total vscode-data-grid-cell { font-weight: 600; }
`;

export function reportHtml(input: ReportHtmlInput): string {
  const { nonce, scriptUri } = input;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy(input)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Xavier Lens: Layers</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <h1 id="title">Xavier Lens: Layers</h1>
  <vscode-button id="copy" appearance="secondary" title="Copy every table as Markdown">Copy as Markdown</vscode-button>
</header>
<main id="content"><p class="empty">Analysing…</p></main>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
