/**
 * The Inspect Layers report page: one toolkit data grid per model (built from the host's already
 * formatted rows), a totals row, plain-text notices; a row click (or Enter on a focused row) asks the
 * host to reveal that line. Messages from the host are checked before use; anything else is ignored.
 */
import { registerToolkit } from '../toolkit';
import { cellAttributes } from './cells';
import { isReportHostMessage, type ReportHostMessage, type ReportModel, type ReportWebviewMessage } from '../../src/protocol';

interface VsCodeApi {
  postMessage(message: ReportWebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const COLUMNS: { key: keyof ReportModel['rows'][number]['cells']; title: string; numeric: boolean; width: string }[] = [
  { key: 'layer', title: 'Layer', numeric: false, width: 'minmax(120px, 1.2fr)' },
  { key: 'line', title: 'Line', numeric: true, width: '56px' },
  { key: 'shape', title: 'In → out', numeric: false, width: 'minmax(100px, 1fr)' },
  { key: 'fanIn', title: 'fan_in', numeric: true, width: 'minmax(70px, 0.6fr)' },
  { key: 'fanOut', title: 'fan_out', numeric: true, width: 'minmax(80px, 0.6fr)' },
  { key: 'initializer', title: 'Initializer', numeric: false, width: 'minmax(160px, 1.4fr)' },
  { key: 'xavierUniform', title: 'Xavier U limit', numeric: true, width: 'minmax(124px, 0.7fr)' },
  { key: 'xavierNormal', title: 'Xavier N σ', numeric: true, width: 'minmax(96px, 0.7fr)' },
  { key: 'he', title: 'He σ', numeric: true, width: 'minmax(70px, 0.6fr)' },
  { key: 'params', title: 'Params', numeric: true, width: 'minmax(84px, 0.6fr)' },
];

registerToolkit();
const vscode = acquireVsCodeApi();
const content = document.getElementById('content') as HTMLElement;
const title = document.getElementById('title') as HTMLElement;

function element<K extends string>(tag: K, className?: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cell(text: string, column: number, options: { header?: boolean; numeric?: boolean } = {}): HTMLElement {
  const node = element('vscode-data-grid-cell', options.numeric ? 'number' : undefined, text);
  for (const [name, value] of Object.entries(cellAttributes(text, column, options))) node.setAttribute(name, value);
  return node;
}

function modelGrid(model: ReportModel): HTMLElement {
  const grid = element('vscode-data-grid');
  grid.setAttribute('aria-label', `Layers of ${model.title}`);
  grid.title = 'In → out: shapes as the framework prints them. Click a row to reveal its line.';
  // A notebook's rows say "cell 3, line 14": the line column grows to fit them.
  const longest = Math.max(0, ...model.rows.map((r) => r.cells.line.length));
  grid.setAttribute('grid-template-columns', COLUMNS.map((c) => (c.key === 'line' && longest > 6 ? `${8 * longest + 16}px` : c.width)).join(' '));

  const header = element('vscode-data-grid-row');
  header.setAttribute('row-type', 'sticky-header');
  COLUMNS.forEach((c, i) => header.append(cell(c.title, i + 1, { header: true, numeric: c.numeric })));
  grid.append(header);

  for (const row of model.rows) {
    const node = element('vscode-data-grid-row', 'layer');
    node.title = `Reveal line ${row.line}`;
    COLUMNS.forEach((c, i) => node.append(cell(row.cells[c.key], i + 1, { numeric: c.numeric })));
    const reveal = () => vscode.postMessage({ type: 'reveal', line: row.line, column: row.column, ...(row.cell === undefined ? {} : { cell: row.cell }) });
    node.addEventListener('click', reveal);
    node.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') reveal();
    });
    grid.append(node);
  }

  const total = element('vscode-data-grid-row', 'total');
  total.append(cell('Total', 1));
  total.append(cell(model.totalParams, COLUMNS.length, { numeric: true }));
  grid.append(total);
  return grid;
}

function render(message: Extract<ReportHostMessage, { type: 'report' }>): void {
  title.textContent = `Layers in ${message.fileName}`;
  title.title = message.fileName; // the heading may be cut with … in a narrow panel: the full name on hover
  const nodes: HTMLElement[] = [];
  if (message.empty) nodes.push(element('p', 'empty', message.empty));
  for (const model of message.models) {
    const scroll = element('div', 'grid-scroll');
    scroll.append(modelGrid(model));
    nodes.push(element('h2', undefined, model.title), scroll, element('p', 'totals', model.totals));
  }
  for (const notice of message.notices) nodes.push(element('p', 'notice', notice));
  content.replaceChildren(...nodes);
}

const copyButton = document.getElementById('copy') as HTMLElement;
copyButton.addEventListener('click', () => vscode.postMessage({ type: 'copy-markdown' }));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isReportHostMessage(message)) return;
  if (message.type === 'report') render(message);
  else if (message.type === 'copied') {
    copyButton.textContent = 'Copied';
    setTimeout(() => (copyButton.textContent = 'Copy as Markdown'), 1500);
  }
});

vscode.postMessage({ type: 'ready' });
