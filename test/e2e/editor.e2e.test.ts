// The editor features in a real VS Code (code-server + Chromium, see harness.ts): the hover on the seed model's
// first Dense layer, its CodeLens, the Inspect Layers report (three Dense rows, row click reveals the line, copy
// as Markdown), and a quick fix that rewrites a small fixed-scale initializer in a deep tanh MLP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withVsCode, type VsCode } from './harness';
import { codeLensTexts, DEEP_TANH_KERAS } from './helpers';

async function cursorLine(vs: VsCode): Promise<number> {
  const status = vs.page.locator('.statusbar-item[id="status.editor.selection"]');
  await status.waitFor({ state: 'visible', timeout: 30_000 });
  const text = await status.innerText();
  const match = /Ln (\d+)/.exec(text);
  assert.ok(match, `status bar shows the cursor position: ${text}`);
  return Number(match[1]);
}

test('editor: hover, CodeLens, Inspect Layers report on the seed model', { timeout: 400_000 }, () =>
  withVsCode({ testName: 'editor-seed' }, async (vs) => {
    await vs.openFile('seed_keras_mlp.py');
    await vs.goToLine(15);

    // The lenses first: they add a line above the model, which moves the text the hover aims at.
    const lenses = await codeLensTexts(vs);
    await vs.screenshot('codelens');
    const joined = lenses.join(' | ');
    assert.match(joined, /4 layers · 109,386 params/, joined);
    assert.match(joined, /Inspect/, joined);
    assert.match(joined, /Train on MNIST/, joined);

    const hover = await vs.hoverOver('Dense(128');
    await vs.screenshot('hover-dense-128');
    assert.match(hover, /Dense/, hover);
    assert.match(hover, /fan_in/, hover);
    // The weight table's row: shape, fan_in 784, fan_out 128, Xavier uniform ±0.0811(1).
    assert.match(hover, /kernel\s+\(784, 128\)\s+784\s+128\s+±0\.0811/, hover);
    assert.match(hover, /Compare initializers on MNIST/, 'the training link is there');
    await vs.page.mouse.move(5, 5);
    await vs.page.keyboard.press('Escape');

    await vs.runCommand('Xavier Lens: Inspect Layers in Active File');
    const report = await vs.webview(0);
    await vs.waitForText('dense_2', { frame: report });
    const rows = report.locator('vscode-data-grid-row.layer');
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    await vs.screenshot('inspect-report');
    assert.equal(texts.filter((t) => /\(Dense\)/.test(t)).length, 3, `three Dense rows: ${JSON.stringify(texts)}`);
    assert.ok(texts.some((t) => /784 128 glorot_uniform ±0\.08111 0\.04683/.test(t)), `the first Dense row: ${JSON.stringify(texts)}`);
    await vs.waitForText('109,386', { frame: report });

    // A row click reveals its line in the editor (the third Dense is on line 17 of the seed file).
    await rows.filter({ hasText: 'dense_2' }).first().click();
    await vs.page.waitForTimeout(800);
    assert.equal(await cursorLine(vs), 17);
    await vs.screenshot('row-click-revealed-line');

    // Copy as Markdown: the button's answer, and the clipboard holds the table.
    await vs.browser.contexts()[0].grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    await report.locator('#copy').click();
    await vs.waitForText('Copied', { frame: report });
    const clipboard = await vs.page.evaluate(() => navigator.clipboard.readText());
    assert.match(clipboard, /^# Xavier Lens: layers in seed_keras_mlp\.py/);
    assert.match(clipboard, /\| Layer \| Line \| In → out \| fan_in \| fan_out \| Initializer \| Xavier U limit \| Xavier N σ \| He σ \| Params \|/);
    assert.match(clipboard, /\| dense \(Dense\) \| 15 \| \(None, 784\) → \(None, 128\) \| 784 \| 128 \| glorot_uniform \| ±0\.08111 \| 0\.04683 \| 0\.05051 \| 100,480 \|/);
    assert.match(clipboard, /\| \*\*Total\*\* \|.*\| \*\*109,386\*\* \|/);

    // The report follows edits: Dense(128 → Dense(256 shows up in the table.
    const at = await vs.textPosition('128', 0);
    await vs.page.mouse.dblclick(at.x, at.y);
    await vs.page.keyboard.type('256');
    await vs.waitForText('(None, 784) → (None, 256)', { frame: report });
    await vs.screenshot('report-follows-edit');
  }),
);

test('editor: a quick fix rewrites a small fixed-scale initializer in a deep tanh MLP', { timeout: 400_000 }, () =>
  withVsCode({ testName: 'editor-quickfix', files: { 'deep_tanh_keras.py': DEEP_TANH_KERAS } }, async (vs) => {
    await vs.openFile('deep_tanh_keras.py');
    await vs.goToLine(6);
    await codeLensTexts(vs); // rendered first: the lens line moves the text below it
    // The diagnostic (a hint, drawn as dots at the start of the initializer) is repeated in the layer's card;
    // then the cursor goes into the initializer and the quick fixes are asked for.
    const at = await vs.textPosition('RandomNormal(stddev=0.01)', 0);
    await vs.page.mouse.click(at.x, at.y);
    await vs.page.waitForTimeout(1500);
    const hover = await vs.hoverOver('RandomNormal(stddev=0.01)', 0);
    assert.match(hover, /fixed-scale RandomNormal\(stddev=0\.01\) \(weight σ ≈ 0\.01\) in a deep tanh stack \(4 tanh\/sigmoid weight layers; deep = 3 or more\)/, hover);
    await vs.screenshot('diagnostic-hover');
    await vs.page.keyboard.press('Escape');
    await vs.page.mouse.click(at.x, at.y);
    await vs.page.keyboard.press('Control+.');
    const fix = vs.page.locator('.action-widget .monaco-list-row', { hasText: "kernel_initializer='glorot_uniform'" }).first();
    await fix.waitFor({ state: 'visible', timeout: 30_000 });
    await vs.screenshot('quick-fix-menu');
    // The menu takes keys, not clicks (a pointer block covers it): move the focus onto our fix and apply it.
    for (let i = 0; i < 5 && !(await fix.evaluate((el) => el.classList.contains('focused'))); i++) await vs.page.keyboard.press('ArrowDown');
    await vs.page.keyboard.press('Enter');
    await vs.page.waitForTimeout(500);
    const text = await vs.editorText();
    await vs.screenshot('after-quick-fix');
    assert.match(text, /layers\.Dense\(256, activation='tanh', kernel_initializer='glorot_uniform'\),/, text);
    // Only that layer changed: the other three still have their σ = 0.01 initializers.
    assert.equal(text.split('RandomNormal(stddev=0.01)').length - 1, 3, text);
    // Save and read the file from disk: the edit is real.
    await vs.page.keyboard.press('Control+S');
    await vs.page.waitForTimeout(800);
    const saved = readFileSync(join(vs.workspaceDir, 'deep_tanh_keras.py'), 'utf8');
    assert.equal(saved, DEEP_TANH_KERAS.replace("kernel_initializer=initializers.RandomNormal(stddev=0.01)", "kernel_initializer='glorot_uniform'"));
  }),
);
