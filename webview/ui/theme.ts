/**
 * Colours come from the VS Code theme (CSS variables VS Code sets on the webview's <html>), so charts
 * follow light, dark and high-contrast themes. Series colours use the --vscode-charts-* palette.
 */
import type { InitializerId } from '../../src/protocol';

const PALETTE: [variable: string, fallback: string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-orange', '#d18616'],
];

export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export interface SeriesStyle {
  stroke: string;
  /** Past the six palette colours, series repeat them dashed. */
  dash?: number[];
}

export function paletteStyle(index: number): SeriesStyle {
  const [variable, fallback] = PALETTE[index % PALETTE.length];
  return { stroke: cssVar(variable, fallback), dash: index >= PALETTE.length ? [6, 4] : undefined };
}

/**
 * An initializer's colour in a run: by its place among the run's initializers (listed in INITIALIZER_IDS
 * order), so the first six compared get six different solid colours and every chart of the run agrees.
 */
export const initializerStyle = (id: InitializerId, run: readonly InitializerId[]): SeriesStyle =>
  paletteStyle(Math.max(0, run.indexOf(id)));

export interface ChartTheme {
  foreground: string;
  grid: string;
  font: string;
}

export function chartTheme(): ChartTheme {
  const family = cssVar('--vscode-font-family', 'sans-serif');
  const size = cssVar('--vscode-font-size', '13px');
  return {
    foreground: cssVar('--vscode-descriptionForeground', cssVar('--vscode-foreground', '#888')),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    font: `${parseFloat(size) - 1}px ${family}`,
  };
}

/** Calls back when VS Code switches the colour theme (it changes the body's class and the CSS variables). */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
