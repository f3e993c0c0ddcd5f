/**
 * The training comparison page: wires the settings form, the charts, the results table and the per-layer
 * views to the training engine (webview/training) and to the extension host (messages in src/protocol.ts).
 */
import type { ImageDataset } from '../../src/data/dataset';
import { decodeSubset } from '../../src/data/subset';
import type { BackendInfo, DatasetPayload, FileModelOffer, HostToWebviewMessage, PanelSnapshot, TrainingConfig, TrainingEvent } from '../../src/protocol';
import { INITIALIZER_INFO, probeWebGL, runComparison } from '../training';
import { LineChart, type ChartSeries } from './charts';
import { Controls } from './controls';
import { button, dropdown, el, option, type ValueElement } from './dom';
import { formatCount, formatDuration } from './format';
import { logToHost, onHostMessage, postToHost } from './host';
import { LayerViews } from './layerViews';
import { ResultsTable } from './resultsTable';
import { RunModel } from './runModel';
import { initializerStyle } from './theme';

interface DataChoice {
  label: string;
  train: ImageDataset;
  test?: ImageDataset;
  valFraction: number;
}

/** Full MNIST: 10,000 of the 60,000 training images for validation, as many as the official test set. */
const FULL_MNIST_VAL_FRACTION = 1 / 6;
/** Redraws of the charts and table are batched to this interval while events stream in. */
const RENDER_MS = 250;

export class App {
  private readonly controls = new Controls();
  private readonly results = new ResultsTable();
  private readonly layers = new LayerViews();
  private readonly lossChart: LineChart;
  private readonly accuracyChart: LineChart;
  private readonly model = new RunModel();
  private readonly status: HTMLElement;
  private readonly progressBar: HTMLElement;
  private readonly progressRing: HTMLElement;
  private readonly backendLine: HTMLElement;
  private readonly datasetLine: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly startButton: ValueElement;
  private readonly stopButton: ValueElement;
  private readonly loadButton: ValueElement;
  private readonly datasetPicker: ValueElement;
  private readonly exportButtons: ValueElement[];

  private wasmBaseUrl = '';
  private subset: Promise<DataChoice> | undefined;
  private diskData: DataChoice | undefined;
  /** Which data a run uses; kept here because the dropdown takes a just-added option's value only after it renders. */
  private dataSource: 'subset' | 'disk' = 'subset';
  private abort: AbortController | undefined;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private chartSeriesKey = '';
  private pendingStart: TrainingConfig | 'current' | undefined;

  constructor(root: HTMLElement) {
    root.textContent = '';
    root.dataset.state = 'ready';

    const header = el('header', 'header');
    header.append(el('h1', undefined, 'Initializer training comparison'));
    this.datasetLine = el('div', 'readout', 'Dataset: loading the bundled MNIST subset…');
    this.datasetLine.id = 'dataset-line';
    this.backendLine = el('div', 'readout', `Backend: ${describeBackendPreview('auto')}`);
    this.backendLine.id = 'backend-line';
    header.append(this.datasetLine, this.backendLine);

    this.startButton = button('Start', { appearance: 'primary', id: 'start' });
    this.stopButton = button('Stop', { appearance: 'secondary', id: 'stop' });
    this.stopButton.disabled = true;
    this.loadButton = button('Load full MNIST…', { appearance: 'secondary', id: 'load-mnist', title: 'IDX files (e.g. torchvision MNIST/raw) or Keras’ ~/.keras/datasets/mnist.npz' });
    this.datasetPicker = dropdown('dataset', [{ value: 'subset', label: 'Bundled subset (10,000 images)' }]);
    this.datasetPicker.setAttribute('aria-label', 'Dataset');
    const exportCsv = button('Export CSV', { appearance: 'secondary', id: 'export-csv' });
    const exportJson = button('Export JSON', { appearance: 'secondary', id: 'export-json' });
    const copyMarkdown = button('Copy as Markdown', { appearance: 'secondary', id: 'copy-markdown' });
    this.exportButtons = [exportCsv, exportJson, copyMarkdown];
    for (const b of this.exportButtons) b.disabled = true;
    const actions = el('div', 'actions');
    actions.append(this.startButton, this.stopButton, this.datasetPicker, this.loadButton, el('span', 'spacer'), exportCsv, exportJson, copyMarkdown);

    const statusRow = el('div', 'status-row');
    this.progressRing = document.createElement('vscode-progress-ring');
    this.progressRing.hidden = true;
    this.status = el('div', 'status', 'Ready. Pick initializers and press Start.');
    this.status.id = 'status';
    this.status.setAttribute('role', 'status');
    statusRow.append(this.progressRing, this.status);
    const bar = el('div', 'progress');
    this.progressBar = el('div', 'progress-fill');
    bar.append(this.progressBar);
    this.notice = el('div', 'notice');
    this.notice.id = 'notice';
    this.notice.hidden = true;

    const charts = el('section', 'chart-row main-charts');
    this.lossChart = new LineChart(charts, { title: 'Training loss per batch (smoothed)', xLabel: 'epoch', yLabel: 'loss', height: 260, yFormat: (v) => v.toPrecision(3) });
    this.lossChart.element.id = 'loss-chart';
    this.accuracyChart = new LineChart(charts, { title: 'Validation accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', yRange: [0, 1], height: 260, integerX: true, yFormat: (v) => `${(v * 100).toFixed(1)}%` });
    this.accuracyChart.element.id = 'accuracy-chart';

    this.results.element.hidden = true;
    this.layers.element.hidden = true;
    root.append(header, this.controls.element, actions, statusRow, bar, this.notice, charts, this.results.element, this.layers.element);

    this.startButton.addEventListener('click', () => this.start());
    this.stopButton.addEventListener('click', () => this.stop());
    this.loadButton.addEventListener('click', () => postToHost({ type: 'load-dataset-request' }));
    this.datasetPicker.addEventListener('change', () => {
      this.dataSource = this.datasetPicker.value === 'disk' ? 'disk' : 'subset';
      this.showDataset();
    });
    exportCsv.addEventListener('click', () => postToHost({ type: 'export-request', format: 'csv' }));
    exportJson.addEventListener('click', () => postToHost({ type: 'export-request', format: 'json' }));
    copyMarkdown.addEventListener('click', () => postToHost({ type: 'export-request', format: 'markdown' }));
    document.getElementById('backend')?.addEventListener('change', () => {
      if (this.model.status !== 'running') this.backendLine.textContent = `Backend: ${describeBackendPreview(this.controls.backendChoice)}`;
    });

    onHostMessage((m) => this.onMessage(m));
    postToHost({ type: 'ready' });
  }

  private onMessage(message: HostToWebviewMessage): void {
    switch (message.type) {
      case 'init':
        this.wasmBaseUrl = message.wasmBaseUrl;
        this.subset = loadSubset(message.subsetUrl);
        this.subset.then(
          () => this.showDataset(),
          (err: unknown) => {
            this.datasetLine.textContent = `Dataset: the bundled subset could not be loaded: ${errorText(err)}`;
            logToHost('error', `bundled subset: ${errorText(err)}`);
          },
        );
        this.controls.setFileModel(message.fileModel);
        if (message.snapshot) this.restore(message.snapshot);
        if (this.pendingStart) void this.start(this.pendingStart === 'current' ? undefined : this.pendingStart);
        return;
      case 'file-model':
        this.setFileModel(message.fileModel);
        return;
      case 'dataset':
        this.useDiskDataset(message.dataset);
        return;
      case 'dataset-error':
        this.showNotice('error', `Could not load ${message.file}: ${message.message}. The data already loaded stays in use.`);
        return;
      case 'start':
        if (!this.subset) this.pendingStart = message.config ?? 'current';
        else void this.start(message.config);
        return;
      case 'stop':
        this.stop();
        return;
      case 'notice':
        this.showNotice(message.level, message.message);
        return;
    }
  }

  private setFileModel(offer: FileModelOffer): void {
    this.controls.setFileModel(offer);
    this.showNotice(offer.spec ? 'info' : 'error', offer.spec ? `Model from ${offer.label} is selected.` : `${offer.label} cannot be trained here: ${offer.problem}`);
  }

  private useDiskDataset(payload: DatasetPayload): void {
    this.diskData = { label: payload.label, train: asDataset(payload.train), test: payload.test && asDataset(payload.test), valFraction: FULL_MNIST_VAL_FRACTION };
    let opt = this.datasetPicker.querySelector('vscode-option[value="disk"]');
    if (!opt) {
      opt = option({ value: 'disk', label: 'Full MNIST from disk' });
      this.datasetPicker.append(opt);
    }
    opt.textContent = `Full MNIST from disk (${formatCount(payload.train.count)}${payload.test ? ` + ${formatCount(payload.test.count)} test` : ''})`;
    this.dataSource = 'disk';
    setTimeout(() => (this.datasetPicker.value = 'disk'));
    this.showDataset();
    this.showNotice('info', `Loaded ${payload.label}.`);
  }

  private async currentData(): Promise<DataChoice> {
    if (this.dataSource === 'disk' && this.diskData) return this.diskData;
    if (!this.subset) throw new Error('the panel is still starting');
    return this.subset;
  }

  private showDataset(): void {
    if (this.dataSource === 'disk' && this.diskData) {
      this.datasetLine.textContent = `Dataset: ${this.diskData.label}; ${Math.round(this.diskData.valFraction * 100)}% held out for validation`;
      return;
    }
    void this.subset?.then((s) => (this.datasetLine.textContent = `Dataset: ${s.label}`)).catch(() => undefined);
  }

  private async start(config?: TrainingConfig): Promise<void> {
    this.pendingStart = undefined;
    if (this.model.status === 'running') return;
    if (config) this.controls.write(config);
    const read = this.controls.read();
    if ('errors' in read) {
      this.showNotice('error', read.errors.join('. ') + '.');
      return;
    }
    let data: DataChoice;
    try {
      data = await this.currentData();
    } catch (err) {
      this.showNotice('error', `No data to train on: ${errorText(err)}`);
      return;
    }
    this.hideNotice();
    const run = read.config;
    this.model.begin(run, data.label);
    this.chartSeriesKey = '';
    this.setRunning(true);
    this.status.textContent = 'Starting: choosing a backend and building the networks…';
    postToHost({ type: 'start', config: run, datasetLabel: data.label });
    const abort = new AbortController();
    this.abort = abort;
    try {
      await runComparison(run, { train: data.train, test: data.test, valFraction: data.valFraction }, (e) => this.onTrainingEvent(e), abort.signal, { wasmPaths: this.wasmBaseUrl });
    } catch (err) {
      // The engine has already sent run-error; this catches what fails before it could (and logs it).
      if (this.model.status !== 'error') this.onTrainingEvent({ type: 'run-error', message: errorText(err) });
      logToHost('error', `training failed: ${errorText(err)}`);
    } finally {
      if (this.abort === abort) this.abort = undefined;
      this.setRunning(false);
      this.renderNow();
    }
  }

  private stop(): void {
    if (!this.abort) return;
    this.abort.abort();
    this.status.textContent = 'Stopping after the current chunk of batches…';
    postToHost({ type: 'stop' });
  }

  private onTrainingEvent(event: TrainingEvent): void {
    this.model.apply(event);
    // Progress ticks only feed the readout; the host keeps everything else for restores and exports.
    if (event.type !== 'progress') postToHost({ type: 'training-event', event });
    if (event.type === 'run-started' || event.type === 'backend-changed') this.backendLine.textContent = `Backend: ${describeBackend(event.backend)}`;
    if (event.type === 'backend-changed') this.showNotice('warning', event.message);
    this.scheduleRender();
  }

  /** A reloaded page: the host's record of the last run redraws everything. */
  private restore(snapshot: PanelSnapshot): void {
    if (!snapshot.config) return;
    this.controls.write(snapshot.config);
    this.model.begin(snapshot.config, snapshot.datasetLabel ?? '');
    for (const event of snapshot.events) this.model.apply(event);
    // A run that was cut off by the reload is over: show what it reached.
    if (this.model.status === 'running') this.model.status = 'stopped';
    if (this.model.backend) this.backendLine.textContent = `Backend: ${describeBackend(this.model.backend)}`;
    if (this.model.backendNotice) this.showNotice('warning', this.model.backendNotice);
    this.renderNow();
  }

  private setRunning(running: boolean): void {
    this.startButton.disabled = running;
    this.stopButton.disabled = !running;
    this.loadButton.disabled = running;
    this.datasetPicker.disabled = running;
    this.controls.setEnabled(!running);
    this.progressRing.hidden = !running;
  }

  private scheduleRender(): void {
    if (this.renderTimer !== undefined) return;
    this.renderTimer = setTimeout(() => this.renderNow(), RENDER_MS);
  }

  private renderNow(): void {
    if (this.renderTimer !== undefined) clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
    const m = this.model;
    const key = m.initializers.join();
    if (key !== this.chartSeriesKey) {
      this.chartSeriesKey = key;
      const series = m.initializers.map((id): ChartSeries => ({ label: INITIALIZER_INFO[id].label, ...initializerStyle(id, m.initializers) }));
      this.lossChart.setSeries(series, m.loss.data());
      this.accuracyChart.setSeries(series.map((s) => ({ ...s, points: true })), m.accuracy.data());
    } else {
      this.lossChart.update(m.loss.data());
      this.accuracyChart.update(m.accuracy.data());
    }
    this.lossChart.element.dataset.points = String(m.loss.length);
    this.accuracyChart.element.dataset.points = String(m.accuracy.length);
    // Before the first run there is nothing to tabulate: the sections appear with the first run.
    this.results.element.hidden = m.initializers.length === 0;
    this.layers.element.hidden = m.initializers.length === 0;
    this.results.render(m);
    this.layers.render(m);
    this.renderStatus();
    const hasResults = m.lastEpoch.size > 0 || m.result !== undefined;
    for (const b of this.exportButtons) b.disabled = !hasResults;
  }

  private renderStatus(): void {
    const m = this.model;
    const p = m.overallProgress();
    const total = m.epochs * (p?.batchesPerEpoch ?? 0);
    const done = p ? (p.epoch - 1) * p.batchesPerEpoch + p.batch : 0;
    const fraction = m.status === 'finished' ? 1 : total > 0 ? Math.min(1, done / total) : 0;
    this.progressBar.style.width = `${(fraction * 100).toFixed(1)}%`;
    this.status.dataset.status = m.status;
    switch (m.status) {
      case 'running':
        this.status.textContent = p
          ? `Epoch ${p.epoch}/${m.epochs} · batch ${p.batch}/${p.batchesPerEpoch} · ${formatCount(p.samplesPerSec)} samples/s over ${m.initializers.length} initializer${m.initializers.length === 1 ? '' : 's'} · about ${formatDuration(p.etaSec)} left`
          : 'Starting: choosing a backend and building the networks…';
        return;
      case 'finished':
        this.status.textContent = `Finished ${m.epochs} epoch${m.epochs === 1 ? '' : 's'} in ${formatDuration(m.result?.totalSeconds ?? NaN)} (${formatCount(m.trainSize)} training / ${formatCount(m.valSize)} validation images).`;
        return;
      case 'stopped':
        this.status.textContent = `Stopped${p ? ` in epoch ${p.epoch}` : ''}. The table shows the last completed epoch.`;
        return;
      case 'error':
        this.status.textContent = `Training failed: ${m.error ?? 'unknown error'}. Change the settings and start again.`;
        return;
      case 'idle':
        return;
    }
  }

  private showNotice(level: 'info' | 'warning' | 'error', message: string): void {
    this.notice.hidden = false;
    this.notice.dataset.level = level;
    this.notice.textContent = message;
  }

  private hideNotice(): void {
    this.notice.hidden = true;
  }
}

function asDataset(split: DatasetPayload['train']): ImageDataset {
  // The protocol check accepted an ArrayBuffer or a Uint8Array (by tag); both wrap without copying.
  const bytes = (b: ArrayBuffer | Uint8Array) => (ArrayBuffer.isView(b) ? b : new Uint8Array(b));
  return { count: split.count, rows: split.rows, cols: split.cols, pixels: bytes(split.pixels), labels: bytes(split.labels) };
}

async function loadSubset(url: string): Promise<DataChoice> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for mnist-subset.bin.gz`);
  const train = decodeSubset(new Uint8Array(await response.arrayBuffer()), 'mnist-subset.bin.gz');
  return { label: `bundled MNIST subset, ${formatCount(train.count)} images (80% train / 20% validation, fixed seed)`, train, valFraction: 0.2 };
}

function describeBackend(b: BackendInfo): string {
  const name = b.backend === 'webgl' ? 'WebGL' : b.backend === 'wasm' ? `WASM${b.simd ? ' (SIMD)' : ''}` : 'CPU';
  return `${name}: ${b.reason}`;
}

/** Before a run: what 'auto' will pick, from a look at WebGL that does not start TF.js. */
function describeBackendPreview(choice: string): string {
  if (choice !== 'auto') return `${choice.toUpperCase()} requested (falls back to WASM, then CPU, if it cannot start)`;
  const gl = probeWebGL();
  if (!gl.available) return 'auto: WebGL is not available, so WASM (SIMD) will run, or CPU if WASM cannot start';
  if (gl.software) return `auto: WebGL is software-rendered (${gl.renderer}), slower than WASM, so WASM (SIMD) will run`;
  return `auto: hardware WebGL (${gl.renderer}) will run`;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
