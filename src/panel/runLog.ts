/**
 * The host's record of the current run: every training event the webview reported, in order. It is what
 * survives the webview (a reload replays it into the charts) and what the exports are made from, so the
 * host never has to ask the page for its results.
 */
import type { ComparisonResult, InitializerId, InitializerResult, PanelSnapshot, TrainingConfig, TrainingEvent } from '../protocol';

/** Enough for 10 initializers × 100 epochs of throttled events; older batch-loss points are thinned beyond it. */
const MAX_EVENTS = 50_000;

export interface EpochRow {
  initializer: InitializerId;
  epoch: number;
  valAccuracy: number;
  valLoss: number;
  trainLoss: number;
}

export class RunLog {
  private config: TrainingConfig | undefined;
  private datasetLabel: string | undefined;
  private events: TrainingEvent[] = [];

  /** A new run began: forget the previous one. */
  begin(config: TrainingConfig, datasetLabel: string): void {
    this.config = config;
    this.datasetLabel = datasetLabel;
    this.events = [];
  }

  add(event: TrainingEvent): void {
    // Progress ticks only drive the live readout; they carry nothing a restore or an export needs.
    if (event.type === 'progress') return;
    if (this.events.length >= MAX_EVENTS) this.thinBatchLosses();
    this.events.push(event);
  }

  get hasRun(): boolean {
    return this.config !== undefined;
  }

  snapshot(): PanelSnapshot {
    return { config: this.config, events: [...this.events], datasetLabel: this.datasetLabel };
  }

  /** The finished (or stopped) run's result, when the webview reported one. */
  finalResult(): ComparisonResult | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e.type === 'run-finished') return e.result;
    }
    return undefined;
  }

  /** Per-epoch validation rows in arrival order (the history behind the final numbers). */
  epochRows(): EpochRow[] {
    return this.events.flatMap((e) => (e.type === 'epoch-end' ? [{ initializer: e.initializer, epoch: e.epoch, valAccuracy: e.valAccuracy, valLoss: e.valLoss, trainLoss: e.trainLoss }] : []));
  }

  /**
   * The results to export: the webview's final result, or, for a run cut short before it reported one
   * (panel reloaded mid-run), each initializer's last completed epoch.
   */
  exportableResults(): { results: InitializerResult[]; complete: boolean; result?: ComparisonResult } | undefined {
    const final = this.finalResult();
    if (final) return { results: final.results, complete: !final.stopped, result: final };
    const last = new Map<InitializerId, EpochRow>();
    for (const row of this.epochRows()) last.set(row.initializer, row);
    if (last.size === 0) return undefined;
    const results = [...last.values()].map((row) => ({
      initializer: row.initializer,
      finalValAccuracy: row.valAccuracy,
      finalValLoss: row.valLoss,
      finalTrainLoss: row.trainLoss,
      seconds: NaN,
      samplesPerSec: NaN,
    }));
    return { results, complete: false };
  }

  get runConfig(): TrainingConfig | undefined {
    return this.config;
  }

  get runDatasetLabel(): string | undefined {
    return this.datasetLabel;
  }

  /** Drops every other batch-loss point (the curve keeps its shape at half the resolution). */
  private thinBatchLosses(): void {
    let keep = true;
    this.events = this.events.filter((e) => {
      if (e.type !== 'batch-loss') return true;
      keep = !keep;
      return keep;
    });
  }
}
