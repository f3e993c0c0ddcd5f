/** The results table (toolkit data grid): one row per initializer, live during the run, final after it. */
import type { InitializerId } from '../../src/protocol';
import { INITIALIZER_INFO } from '../training';
import { el } from './dom';
import { formatCount, formatDuration, formatFixed, formatPercent } from './format';
import type { RunModel } from './runModel';

interface GridElement extends HTMLElement {
  rowsData: Record<string, string>[];
  columnDefinitions: { columnDataKey: string; title: string }[];
}

export class ResultsTable {
  readonly element: HTMLElement;
  private readonly grid: GridElement;
  private hasTest = false;

  constructor() {
    this.element = el('section', 'results');
    this.element.append(el('h2', undefined, 'Results'));
    this.grid = document.createElement('vscode-data-grid') as GridElement;
    this.grid.id = 'results-grid';
    this.grid.setAttribute('aria-label', 'Results per initializer');
    this.grid.setAttribute('generate-header', 'sticky');
    this.setColumns(false);
    this.element.append(this.grid);
  }

  render(model: RunModel): void {
    const final = new Map(model.result?.results.map((r) => [r.initializer, r]));
    const hasTest = [...final.values()].some((r) => r.testAccuracy !== undefined);
    if (hasTest !== this.hasTest) this.setColumns(hasTest);
    this.grid.rowsData = model.initializers.map((id: InitializerId) => {
      const r = final.get(id);
      const live = model.lastEpoch.get(id);
      const progress = model.progress.get(id);
      const state = model.diverged.has(id) ? 'diverged' : r ? (model.result?.stopped ? 'stopped' : 'done') : live ? `epoch ${live.epoch}/${model.epochs}` : progress ? 'training' : '—';
      return {
        initializer: INITIALIZER_INFO[id].label,
        valAccuracy: formatPercent(r?.finalValAccuracy ?? live?.valAccuracy ?? NaN),
        valLoss: formatFixed(r?.finalValLoss ?? live?.valLoss, 4),
        trainLoss: formatFixed(r?.finalTrainLoss ?? live?.trainLoss, 4),
        testAccuracy: r?.testAccuracy === undefined ? '—' : formatPercent(r.testAccuracy),
        time: r ? formatDuration(r.seconds) : '—',
        samplesPerSec: formatCount(r?.samplesPerSec ?? progress?.samplesPerSec ?? NaN),
        state,
      };
    });
  }

  private setColumns(withTest: boolean): void {
    this.hasTest = withTest;
    this.grid.columnDefinitions = [
      { columnDataKey: 'initializer', title: 'Initializer' },
      { columnDataKey: 'valAccuracy', title: 'Val accuracy' },
      { columnDataKey: 'valLoss', title: 'Val loss' },
      { columnDataKey: 'trainLoss', title: 'Train loss' },
      ...(withTest ? [{ columnDataKey: 'testAccuracy', title: 'Test accuracy' }] : []),
      { columnDataKey: 'time', title: 'Time' },
      { columnDataKey: 'samplesPerSec', title: 'Samples/s' },
      { columnDataKey: 'state', title: 'State' },
    ];
  }
}
