/**
 * A themed uPlot line chart that keeps its data between redraws: series can be replaced (a new run,
 * another initializer selected), the theme can change and the container can resize without losing points.
 * Redraws are coalesced: many events in a burst cost one setData.
 */
import uPlot from 'uplot';
import { chartTheme, onThemeChange, type SeriesStyle } from './theme';

export interface ChartSeries extends SeriesStyle {
  label: string;
  /** Show points as dots (few points, e.g. per-epoch values). */
  points?: boolean;
  stepped?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  yRange?: [number, number];
  height?: number;
  /** Formats x tick labels (default: as is). */
  xTicks?: (value: number) => string;
  yFormat?: (value: number) => string;
  /** x is a whole-number category (layer index, epoch): ticks on integers only, half a step of margin. */
  integerX?: boolean;
}

/** Tick positions on the whole numbers of [min, max], thinned to at most about 12 ticks. */
function integersBetween(min: number, max: number): number[] {
  const first = Math.ceil(min);
  const last = Math.floor(max);
  const step = Math.max(1, Math.ceil((last - first + 1) / 12));
  const ticks: number[] = [];
  // `+ 0` turns Math.ceil(-0.5) = -0 into 0, which would otherwise print as "-0".
  for (let v = first; v <= last; v += step) ticks.push(v + 0);
  return ticks;
}

type Data = uPlot.AlignedData;
const REDRAW_MS = 200;

export class LineChart {
  private plot: uPlot | undefined;
  private series: ChartSeries[] = [];
  private data: Data = [[]];
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  readonly element: HTMLElement;

  constructor(parent: HTMLElement, private readonly options: LineChartOptions) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    parent.append(this.element);
    new ResizeObserver(() => this.resize()).observe(this.element);
    onThemeChange(() => this.rebuild());
  }

  /** Replaces the series (and their data); rebuilds the plot because uPlot fixes series at construction. */
  setSeries(series: ChartSeries[], data: Data): void {
    this.series = series;
    this.data = data;
    this.rebuild();
  }

  /** New data for the same series; drawn at most every REDRAW_MS. */
  update(data: Data): void {
    this.data = data;
    if (this.redrawTimer !== undefined) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.plot?.setData(this.data);
    }, REDRAW_MS);
  }

  /** Points drawn now, per series (for tests through the DOM and for the status line). */
  get pointCounts(): number[] {
    return this.data.slice(1).map((column) => (column as (number | null | undefined)[]).filter((v) => v !== null && v !== undefined).length);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(240, this.element.clientWidth), height: this.options.height ?? 220 };
  }

  private resize(): void {
    this.plot?.setSize(this.size());
  }

  private rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    if (this.series.length === 0) {
      this.element.textContent = '';
      return;
    }
    const theme = chartTheme();
    const axis = (label: string, format?: (v: number) => string, size?: number, integerSplits = false): uPlot.Axis => ({
      label,
      // uPlot merges options over its defaults, so an explicit `size: undefined` would erase the default size.
      ...(size !== undefined ? { size } : {}),
      ...(integerSplits ? { splits: (_u: uPlot, _i: number, min: number, max: number) => integersBetween(min, max) } : {}),
      stroke: theme.foreground,
      font: theme.font,
      labelFont: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      values: format ? (_u, splits) => splits.map((v) => (v === null ? '' : format(v))) : undefined,
    });
    const o = this.options;
    const opts: uPlot.Options = {
      ...this.size(),
      title: o.title,
      scales: {
        // Categorical x (layers, epochs): half a step of margin so the first and last points are not on the frame.
        x: o.integerX ? { time: false, range: (_u, min, max) => [Math.min(min, max) - 0.5, Math.max(min, max) + 0.5] } : { time: false },
        y: o.logY ? { distr: 3 } : o.yRange ? { range: o.yRange } : {},
      },
      // The y axis gets room for labels like "100.0%" or "1.23e-5" beside its title.
      axes: [axis(o.xLabel, o.xTicks, undefined, o.integerX), axis(o.yLabel, o.yFormat, 64)],
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: o.xLabel },
        ...this.series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.stroke,
            dash: s.dash,
            width: 1.5,
            spanGaps: true,
            points: { show: s.points ?? false, size: 5, fill: s.stroke },
            paths: s.stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined,
            value: (_u, v) => (v === null || v === undefined ? '—' : o.yFormat ? o.yFormat(v) : String(Number(v.toPrecision(4)))),
          }),
        ),
      ],
    };
    this.element.textContent = '';
    this.plot = new uPlot(opts, this.data, this.element);
  }
}
