/**
 * Per-layer views that explain the curves (Glorot & Bengio 2010, figures 6 and 7): each layer's activation
 * mean/std and saturated (tanh/sigmoid) or dead (relu) share, the std of the back-propagated gradient per
 * layer over training, and each layer's weight histogram at initialisation vs now.
 */
import type { Histogram, InitializerId, LayerStats } from '../../src/protocol';
import { INITIALIZER_INFO } from '../training';
import { LineChart, type ChartSeries } from './charts';
import { dropdown, el, option, type ValueElement } from './dom';
import { formatMagnitude, formatPercent } from './format';
import type { RunModel } from './runModel';
import { AlignedSeries } from './series';
import { initializerStyle, paletteStyle } from './theme';

interface PanelsElement extends HTMLElement {
  activeid: string;
}

const layerTicks = (v: number) => (Number.isInteger(v) && v >= 1 ? `L${v}` : '');

export class LayerViews {
  readonly element: HTMLElement;
  private readonly picker: ValueElement;
  private readonly actStd: LineChart;
  private readonly saturated: LineChart;
  private readonly gradByLayer: LineChart;
  private readonly gradOverTime: LineChart;
  private readonly statsTable: HTMLTableElement;
  private readonly histograms: HTMLElement;
  private histogramCharts: LineChart[] = [];
  private selected: InitializerId | undefined;
  private model: RunModel | undefined;
  private shownKey = '';

  constructor() {
    this.element = el('section', 'layers');
    const head = el('div', 'layers-head');
    head.append(el('h2', undefined, 'Inside the network'));
    this.picker = dropdown('layer-initializer', []);
    this.picker.setAttribute('aria-label', 'Initializer to inspect');
    this.picker.addEventListener('change', () => {
      this.selected = this.picker.value as InitializerId;
      this.shownKey = '';
      if (this.model) this.render(this.model);
    });
    const pickerLabel = el('label', undefined, 'Initializer shown in the per-layer tables:');
    pickerLabel.htmlFor = 'layer-initializer';
    head.append(pickerLabel, this.picker);

    const panels = document.createElement('vscode-panels') as PanelsElement;
    panels.setAttribute('aria-label', 'Per-layer statistics');
    const tabs: [string, string][] = [
      ['tab-activations', 'Activations'],
      ['tab-gradients', 'Gradients'],
      ['tab-weights', 'Weights'],
    ];
    const views: HTMLElement[] = [];
    for (const [id, label] of tabs) {
      const tab = document.createElement('vscode-panel-tab');
      tab.id = id;
      tab.textContent = label;
      panels.append(tab);
    }
    for (const [id] of tabs) {
      const view = document.createElement('vscode-panel-view');
      view.id = `view-${id.slice(4)}`;
      view.className = 'layer-view';
      views.push(view);
    }
    panels.append(...views);
    const [activations, gradients, weights] = views;

    const actCharts = el('div', 'chart-row');
    activations.append(actCharts);
    this.actStd = new LineChart(actCharts, { title: 'Activation std by layer (latest epoch)', xLabel: 'layer', yLabel: 'std', xTicks: layerTicks, integerX: true, height: 200 });
    this.saturated = new LineChart(actCharts, { title: 'Saturated (tanh/sigmoid) or dead (relu) share', xLabel: 'layer', yLabel: 'share', yRange: [0, 1], xTicks: layerTicks, integerX: true, height: 200, yFormat: (v) => formatPercent(v, 0) });
    this.statsTable = el('table', 'stats-table');
    activations.append(this.statsTable);

    const gradCharts = el('div', 'chart-row');
    gradients.append(gradCharts);
    this.gradByLayer = new LineChart(gradCharts, { title: 'Back-propagated gradient std by layer (latest epoch)', xLabel: 'layer', yLabel: 'std (log)', logY: true, xTicks: layerTicks, integerX: true, height: 200, yFormat: formatMagnitude });
    this.gradOverTime = new LineChart(gradCharts, { title: 'Gradient std per layer over training (selected initializer)', xLabel: 'epoch (0 = at init)', yLabel: 'std (log)', logY: true, integerX: true, height: 200, yFormat: formatMagnitude });
    gradients.append(el('p', 'hint', 'Std of dL/d(pre-activation) on a fixed probe batch. Missing points: the gradient is exactly 0 (e.g. zeros init: every hidden unit stays identical).'));

    this.histograms = el('div', 'histograms');
    weights.append(this.histograms);

    this.element.append(head, panels);
  }

  render(model: RunModel): void {
    this.model = model;
    const ids = model.initializers;
    const key = ids.join();
    if (this.picker.dataset.ids !== key) {
      this.picker.dataset.ids = key;
      this.picker.textContent = '';
      for (const id of ids) this.picker.append(option({ value: id, label: INITIALIZER_INFO[id].label }));
      // Start on the first initializer that is not a constant: its layers are the interesting ones.
      if (!this.selected || !ids.includes(this.selected)) this.selected = ids.find((id) => id !== 'zeros' && id !== 'constant') ?? ids[0];
      if (this.selected) this.picker.value = this.selected;
    }
    this.renderComparisons(model);
    this.renderSelected(model);
  }

  /** Latest statistics of every initializer side by side, x = layer (L1 = first weight layer). */
  private renderComparisons(model: RunModel): void {
    const std = new AlignedSeries(model.initializers);
    const sat = new AlignedSeries(model.initializers);
    const grad = new AlignedSeries(model.initializers);
    for (const id of model.initializers) {
      const latest = latestStats(model, id);
      latest?.forEach((layer, i) => {
        std.add(id, i + 1, layer.actStd);
        sat.add(id, i + 1, layer.saturated);
        grad.add(id, i + 1, layer.gradStd > 0 && Number.isFinite(layer.gradStd) ? layer.gradStd : null);
      });
    }
    const series = model.initializers.map((id): ChartSeries => ({ label: INITIALIZER_INFO[id].label, ...initializerStyle(id, model.initializers), points: true }));
    const seriesKey = model.initializers.join();
    for (const [chart, data] of [
      [this.actStd, std],
      [this.saturated, sat],
      [this.gradByLayer, grad],
    ] as const) {
      if (chart.element.dataset.series !== seriesKey) {
        chart.element.dataset.series = seriesKey;
        chart.setSeries(series, data.data());
      } else chart.update(data.data());
    }
  }

  private renderSelected(model: RunModel): void {
    const id = this.selected;
    if (!id) return;
    const epochs = model.statsEpochs(id);
    const latestEpoch = epochs[epochs.length - 1];
    const stats = latestEpoch === undefined ? undefined : model.layerStats.get(id)?.[latestEpoch];
    const key = `${id}@${latestEpoch}`;
    if (key === this.shownKey) return;
    this.shownKey = key;

    // Table of the selected initializer's latest layer statistics.
    this.statsTable.textContent = '';
    const caption = el('caption', undefined, stats ? `${INITIALIZER_INFO[id].label}, ${latestEpoch === 0 ? 'at initialisation' : `after epoch ${latestEpoch}`}` : 'No layer statistics yet');
    const head = el('tr');
    for (const h of ['Layer', 'Activation', 'Units', 'Mean', 'Std', 'Saturated / dead', 'Gradient std', 'dL/dW std']) head.append(el('th', undefined, h));
    this.statsTable.append(caption, head);
    for (const layer of stats ?? []) {
      const row = el('tr');
      for (const cell of [layer.name, layer.activation, String(layer.units), formatMagnitude(layer.actMean), formatMagnitude(layer.actStd), formatPercent(layer.saturated, 1), formatMagnitude(layer.gradStd), formatMagnitude(layer.weightGradStd)]) {
        row.append(el('td', undefined, cell));
      }
      this.statsTable.append(row);
    }

    // Gradient std per layer over the epochs, for the selected initializer.
    const perEpoch = model.layerStats.get(id) ?? [];
    const layerNames = stats?.map((l) => l.name) ?? [];
    const overTime = new AlignedSeries(layerNames);
    for (const epoch of epochs) {
      perEpoch[epoch]?.forEach((layer) => overTime.add(layer.name, epoch, layer.gradStd > 0 && Number.isFinite(layer.gradStd) ? layer.gradStd : null));
    }
    this.gradOverTime.setSeries(layerNames.map((name, i) => ({ label: name, ...paletteStyle(i), points: true })), overTime.data());

    // Weight histograms: initialisation vs now, one small chart per layer.
    for (const chart of this.histogramCharts) chart.element.remove();
    this.histogramCharts = [];
    for (const layer of stats ?? []) {
      const chart = new LineChart(this.histograms, { title: `${layer.name}: weights at init vs now`, xLabel: 'weight', yLabel: 'density', height: 160, yFormat: formatMagnitude, xTicks: formatMagnitude });
      const data = new AlignedSeries(['init', 'now'] as const);
      addHistogram(data, 'init', layer.weightHistInit);
      addHistogram(data, 'now', layer.weightHistNow);
      chart.setSeries(
        [
          { label: 'at init', ...paletteStyle(5), dash: [5, 3], stepped: true },
          { label: latestEpoch === 0 ? 'now (= init)' : `after epoch ${latestEpoch}`, ...paletteStyle(0), stepped: true },
        ],
        data.data(),
      );
      this.histogramCharts.push(chart);
    }
  }
}

function latestStats(model: RunModel, id: InitializerId): LayerStats[] | undefined {
  const epochs = model.statsEpochs(id);
  return epochs.length ? model.layerStats.get(id)?.[epochs[epochs.length - 1]] : undefined;
}

/**
 * A histogram as a step line of densities (count / (total · bin width)), so init and now compare even
 * though their bins differ; the last edge repeats the last value to close the step.
 */
function addHistogram(series: AlignedSeries<'init' | 'now'>, key: 'init' | 'now', h: Histogram): void {
  const total = h.counts.reduce((a, b) => a + b, 0) || 1;
  h.counts.forEach((count, i) => {
    const width = h.edges[i + 1] - h.edges[i];
    series.add(key, h.edges[i], width > 0 ? count / (total * width) : count / total);
  });
  const lastCount = h.counts[h.counts.length - 1] ?? 0;
  const lastWidth = h.edges[h.edges.length - 1] - h.edges[h.edges.length - 2];
  series.add(key, h.edges[h.edges.length - 1], lastWidth > 0 ? lastCount / (total * lastWidth) : 0);
}
