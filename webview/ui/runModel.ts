/**
 * Everything the panel shows about one run, built only from TrainingEvents (live ones, or the host's
 * snapshot replayed after a reload): so a restored panel and a live one draw the same thing. No DOM here.
 */
import type { BackendInfo, ComparisonResult, InitializerId, LayerStats, TrainingConfig, TrainingEvent } from '../../src/protocol';
import { AlignedSeries, Smoother } from './series';

export type RunStatus = 'idle' | 'running' | 'finished' | 'stopped' | 'error';

/** TensorBoard's default scalar smoothing. */
export const LOSS_SMOOTHING = 0.6;

export interface EpochValues {
  epoch: number;
  valAccuracy: number;
  valLoss: number;
  trainLoss: number;
}

export interface ProgressValues {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  etaSec: number;
}

export class RunModel {
  status: RunStatus = 'idle';
  config: TrainingConfig | undefined;
  datasetLabel = '';
  backend: BackendInfo | undefined;
  initializers: InitializerId[] = [];
  epochs = 0;
  batchesPerEpoch = 0;
  trainSize = 0;
  valSize = 0;
  error: string | undefined;
  /** The notice of a backend change during the run (the WebGL context was lost), to show until the next run. */
  backendNotice: string | undefined;
  result: ComparisonResult | undefined;
  /** Smoothed training loss per batch; x in epochs (batch / batches per epoch). */
  loss = new AlignedSeries<InitializerId>([]);
  /** Validation accuracy per epoch; x = epoch. */
  accuracy = new AlignedSeries<InitializerId>([]);
  readonly lastEpoch = new Map<InitializerId, EpochValues>();
  readonly progress = new Map<InitializerId, ProgressValues>();
  readonly diverged = new Set<InitializerId>();
  /** layerStats.get(id)[epoch] = the layers' statistics at the end of that epoch (0 = at initialisation). */
  readonly layerStats = new Map<InitializerId, LayerStats[][]>();
  private smoothers = new Map<InitializerId, Smoother>();

  /** A run is about to start with this configuration (before its run-started event). */
  begin(config: TrainingConfig, datasetLabel: string): void {
    this.status = 'running';
    this.config = config;
    this.datasetLabel = datasetLabel;
    this.backend = undefined;
    this.error = undefined;
    this.backendNotice = undefined;
    this.result = undefined;
    this.setInitializers(config.initializers);
    this.epochs = config.epochs;
  }

  apply(event: TrainingEvent): void {
    switch (event.type) {
      case 'run-started':
        this.status = 'running';
        this.backend = event.backend;
        this.epochs = event.epochs;
        this.batchesPerEpoch = event.batchesPerEpoch;
        this.trainSize = event.trainSize;
        this.valSize = event.valSize;
        if (event.initializers.join() !== this.initializers.join()) this.setInitializers(event.initializers);
        return;
      case 'batch-loss': {
        const smoother = this.smoothers.get(event.initializer);
        if (!smoother || this.batchesPerEpoch === 0) return;
        // Every batch's loss of the chunk, ending at `step`.
        const values = event.losses.length ? event.losses : [event.loss];
        const first = event.step - values.length + 1;
        values.forEach((v, i) => {
          if (!Number.isFinite(v)) this.diverged.add(event.initializer);
          this.loss.add(event.initializer, (first + i) / this.batchesPerEpoch, smoother.next(v));
        });
        return;
      }
      case 'progress':
        this.progress.set(event.initializer, event);
        return;
      case 'epoch-end':
        this.lastEpoch.set(event.initializer, event);
        this.accuracy.add(event.initializer, event.epoch, Number.isFinite(event.valAccuracy) ? event.valAccuracy : null);
        return;
      case 'layer-stats': {
        const perEpoch = this.layerStats.get(event.initializer);
        if (perEpoch) perEpoch[event.epoch] = event.layers;
        return;
      }
      case 'run-finished':
        this.result = event.result;
        this.status = event.result.stopped ? 'stopped' : 'finished';
        for (const r of event.result.results) if (r.diverged) this.diverged.add(r.initializer);
        return;
      case 'run-error':
        this.status = 'error';
        this.error = event.message;
        return;
      case 'backend-changed':
        this.backend = event.backend;
        this.backendNotice = event.message;
        return;
    }
  }

  /** Progress over all initializers: the slowest one's place, the overall rate and time left. */
  overallProgress(): { epoch: number; batch: number; batchesPerEpoch: number; samplesPerSec: number; etaSec: number } | undefined {
    const all = [...this.progress.values()];
    if (all.length === 0) return undefined;
    const slowest = all.reduce((a, b) => (b.epoch * b.batchesPerEpoch + b.batch < a.epoch * a.batchesPerEpoch + a.batch ? b : a));
    // Each initializer reports its own rate; the runs take turns, so the wall-clock rate is their harmonic combination.
    const combined = 1 / all.reduce((sum, p) => sum + (p.samplesPerSec > 0 ? 1 / p.samplesPerSec : 0), 0);
    const latestEta = all.reduce((a, b) => (b.etaSec < a ? b.etaSec : a), Infinity);
    return { epoch: slowest.epoch, batch: slowest.batch, batchesPerEpoch: slowest.batchesPerEpoch, samplesPerSec: combined * all.length, etaSec: latestEta };
  }

  /** The epochs for which an initializer has layer statistics, ascending. */
  statsEpochs(id: InitializerId): number[] {
    const perEpoch = this.layerStats.get(id) ?? [];
    return perEpoch.flatMap((layers, epoch) => (layers ? [epoch] : []));
  }

  private setInitializers(ids: InitializerId[]): void {
    this.initializers = [...ids];
    this.loss = new AlignedSeries(ids);
    this.accuracy = new AlignedSeries(ids);
    this.lastEpoch.clear();
    this.progress.clear();
    this.diverged.clear();
    this.layerStats.clear();
    this.smoothers = new Map(ids.map((id) => [id, new Smoother(LOSS_SMOOTHING)]));
    for (const id of ids) this.layerStats.set(id, []);
  }
}
