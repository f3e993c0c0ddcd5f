// Notebooks in a real VS Code (issue 16; code-server + Chromium, see harness.ts): an .ipynb opens in the built-in
// notebook editor (no kernel, no Jupyter extension); a hover on a layer in the fourth cell shows the numbers that
// WIDTH, set in the second cell, decides; the deep-ReLU diagnostic's quick fix rewrites that cell; Inspect Layers
// names cells; an edit of WIDTH in cell 2 changes the hover in cell 4. Each step is screenshotted into test-results/notebook/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseSpaces, withVsCode, type VsCode } from './harness';

const NOTEBOOK = readFileSync(join(__dirname, '..', 'fixtures', 'notebooks', 'keras_deep_relu.ipynb'), 'utf8');

/** Centre of the first rendered appearance of `text` in any cell editor of the notebook. */
async function cellTextPosition(vs: VsCode, text: string): Promise<{ x: number; y: number }> {
  const line = vs.page.locator('.notebookOverlay .monaco-editor .view-line', { hasText: text.replace(/ /g, '\u00a0') }).first();
  await line.waitFor({ state: 'visible', timeout: 60_000 });
  const box = await line.evaluate((el, wanted) => {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
    const full = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
    const at = full.indexOf(wanted);
    if (at < 0) return undefined;
    const range = document.createRange();
    let rest = at;
    let startSet = false;
    let left = at + wanted.length;
    for (const n of nodes) {
      if (!startSet && rest < n.data.length) {
        range.setStart(n, rest);
        startSet = true;
      }
      if (!startSet) rest -= n.data.length;
      if (left <= n.data.length) {
        range.setEnd(n, left);
        break;
      }
      left -= n.data.length;
    }
    const r = range.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, text);
  assert.ok(box, `"${text}" is not rendered in a cell`);
  return box;
}

async function hoverText(vs: VsCode, at: { x: number; y: number }): Promise<string> {
  await vs.page.mouse.move(5, 5);
  await vs.page.mouse.move(at.x, at.y, { steps: 4 });
  const hover = vs.page.locator('.monaco-hover:not(.hidden)').filter({ has: vs.page.locator('.monaco-hover-content') }).first();
  await hover.waitFor({ state: 'visible', timeout: 60_000 });
  let content = '';
  for (let stable = 0, i = 0; stable < 3 && i < 200; i++) {
    await vs.page.waitForTimeout(150);
    const next = normaliseSpaces(await hover.innerText()).trim();
    stable = next === content && next && !/^Loading\.\.\.$/m.test(next) ? stable + 1 : 0;
    content = next;
  }
  return content;
}

async function reportFrame(vs: VsCode): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const count = await vs.page.locator('iframe.webview').count();
    for (let i = 0; i < count; i++) {
      const frame = await vs.webview(i, 5_000).catch(() => undefined);
      if (frame && (await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '')).includes('Layers in')) return frame;
    }
    await vs.page.waitForTimeout(500);
  }
  throw new Error('no webview shows the Layers report');
}

test('notebook: hover in a later cell, quick fix in that cell, Inspect Layers names cells', { timeout: 500_000 }, () =>
  withVsCode({ testName: 'notebook', files: { 'deep_relu.ipynb': NOTEBOOK } }, async (vs) => {
    // Quick open as vs.openFile does, without its wait for a text editor: a notebook's cell editors live elsewhere.
    await vs.page.keyboard.press('Control+P');
    const input = vs.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 60_000 });
    await input.fill('deep_relu.ipynb');
    await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'deep_relu.ipynb' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await vs.page.keyboard.press('Enter');
    await vs.waitForText('WIDTH = 512');
    await vs.page.waitForTimeout(2000);
    await vs.screenshot('notebook-open');

    // The first Dense of cell 4: 784 → WIDTH, and WIDTH = 512 comes from cell 2.
    const dense = await cellTextPosition(vs, 'layers.Dense(WIDTH');
    const hover = await hoverText(vs, dense);
    await vs.screenshot('hover-dense-width');
    assert.match(hover, /\(None, 784\) → \(None, 512\)/, hover);
    assert.match(hover, /kernel\s+\(784, 512\)\s+784\s+512\s+±0\.06804/, hover);
    assert.match(hover, /deep ReLU stack/, `the finding is repeated in the card: ${hover}`);
    await vs.page.mouse.move(5, 5);
    await vs.page.keyboard.press('Escape');

    // The quick fix for the first Dense's glorot_uniform, applied in cell 4.
    const init = await cellTextPosition(vs, '"glorot_uniform"');
    await vs.page.mouse.click(init.x, init.y);
    await vs.page.waitForTimeout(1500);
    await vs.page.keyboard.press('Control+.');
    const fix = vs.page.locator('.action-widget .monaco-list-row', { hasText: 'kernel_initializer="he_normal"' }).first();
    await fix.waitFor({ state: 'visible', timeout: 60_000 });
    await vs.screenshot('quick-fix-menu');
    for (let i = 0; i < 5 && !(await fix.evaluate((el) => el.classList.contains('focused'))); i++) await vs.page.keyboard.press('ArrowDown');
    await vs.page.keyboard.press('Enter');
    await vs.waitForText('kernel_initializer="he_normal"');
    await vs.screenshot('after-quick-fix');

    // Inspect Layers with the notebook active: its table names cells.
    await vs.runCommand('Xavier Lens: Inspect Layers in Active File');
    // The notebook editor has a webview of its own (for outputs): the report is the one that says "Layers in".
    const report = await reportFrame(vs);
    await vs.waitForText('cell 4, line 4', { frame: report });
    await vs.waitForText('932,362', { frame: report });
    await vs.screenshot('inspect-layers-cells');

    // Cell 2 changes WIDTH: the hover in cell 4 follows (the notebook is analysed again as a whole).
    const width = await cellTextPosition(vs, '512');
    await vs.page.mouse.dblclick(width.x, width.y);
    await vs.page.keyboard.type('256');
    await vs.waitForText('WIDTH = 256');
    await vs.page.waitForTimeout(1000);
    const after = await hoverText(vs, await cellTextPosition(vs, 'layers.Dense(WIDTH'));
    await vs.screenshot('hover-after-width-edit');
    assert.match(after, /kernel\s+\(784, 256\)\s+784\s+256/, after);
    await vs.page.mouse.move(5, 5);
    await vs.page.keyboard.press('Escape');

    // Saved, the .ipynb on disk has the fix in cell 4 and only there.
    await vs.page.mouse.click(init.x, init.y);
    await vs.page.keyboard.press('Control+S');
    await vs.page.waitForTimeout(1500);
    const saved = JSON.parse(readFileSync(join(vs.workspaceDir, 'deep_relu.ipynb'), 'utf8')) as { cells: { source: string | string[] }[] };
    const sources = saved.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    assert.equal(sources[3].split('kernel_initializer="he_normal"').length - 1, 1, sources[3]);
    assert.equal(sources[3].split('kernel_initializer="glorot_uniform"').length - 1, 2, sources[3]);
    assert.equal(sources[1], 'from tensorflow import keras\nfrom tensorflow.keras import layers\n\nWIDTH = 256\n');
  }),
);
