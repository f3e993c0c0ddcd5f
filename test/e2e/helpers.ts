// Helpers shared by several e2e tests (on top of harness.ts): the CodeLens line of the active editor and the
// drawn pixels of the training panel's uPlot charts.
import type { Frame } from 'playwright-core';
import type { VsCode } from './harness';

/** A deep tanh MLP with σ = 0.01 initializers: four tanh weight layers, so every one gets a finding. */
export const DEEP_TANH_KERAS = `from tensorflow import keras
from tensorflow.keras import layers, initializers

model = keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(256, activation='tanh', kernel_initializer=initializers.RandomNormal(stddev=0.01)),
    layers.Dense(256, activation='tanh', kernel_initializer=initializers.RandomNormal(stddev=0.01)),
    layers.Dense(256, activation='tanh', kernel_initializer=initializers.RandomNormal(stddev=0.01)),
    layers.Dense(256, activation='tanh', kernel_initializer=initializers.RandomNormal(stddev=0.01)),
    layers.Dense(10, activation='softmax'),
])
`;

const LENSES = '.editor-instance .monaco-editor .codelens-decoration';

/** The text of the CodeLens line(s) rendered in the active editor. */
export async function codeLensTexts(vs: VsCode, timeoutMs = 30_000): Promise<string[]> {
  const lenses = vs.page.locator(LENSES);
  await lenses.first().waitFor({ state: 'visible', timeout: timeoutMs });
  // Monaco first reserves the lens line empty, then fills in the titles: wait for text.
  const deadline = Date.now() + timeoutMs;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = (await lenses.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim()).filter((t) => t.length > 0);
    if (texts.length) break;
    await vs.page.waitForTimeout(250);
  }
  return texts;
}

/**
 * Clicks the CodeLens entry (one `<a>` of the lens line) whose title contains `title`. The wait is long: right
 * after a training run on this 2-core machine the extension host can take over half a minute to answer.
 */
export async function clickCodeLens(vs: VsCode, title: string, timeoutMs = 120_000): Promise<void> {
  await codeLensTexts(vs, timeoutMs);
  const link = vs.page.locator(`${LENSES} a`, { hasText: title }).first();
  await link.waitFor({ state: 'visible', timeout: timeoutMs });
  await link.click();
}

/** Pixels of each legend colour on a chart's canvas: a drawn curve leaves hundreds of them. */
export function curvePixels(frame: Frame, chartId: string): Promise<Record<string, number>> {
  return frame.evaluate((id) => {
    const chart = document.getElementById(id)!;
    const canvas = chart.querySelector('canvas')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const counts: Record<string, number> = {};
    // Legend rows after the first (x) name each series; their marker carries the series' stroke colour.
    for (const row of [...chart.querySelectorAll('.u-legend .u-series')].slice(1)) {
      const name = (row.querySelector('.u-label')?.textContent ?? '').trim();
      const colour = getComputedStyle(row.querySelector('.u-marker')!).borderColor;
      const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i] - r) < 12 && Math.abs(pixels[i + 1] - g) < 12 && Math.abs(pixels[i + 2] - b) < 12 && pixels[i + 3] > 200) n++;
      }
      counts[name] = n;
    }
    return counts;
  }, chartId);
}

/** The results table's rows (header row left out), each as its cells' texts. */
export function resultRows(frame: Frame): Promise<string[][]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll('#results-grid vscode-data-grid-row')].slice(1).map((r) => [...r.querySelectorAll('vscode-data-grid-cell')].map((c) => (c.textContent ?? '').trim())),
  );
}
