// The training panel in a real VS Code (code-server + Chromium): opened from the Command Palette, it trains
// the seed MLP for one epoch with Xavier uniform and zeros and draws both curves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { withVsCode, type VsCode } from './harness';
import { curvePixels, resultRows } from './helpers';
import { MNIST_DIR } from '../support/paths';

const TITLE = 'Xavier Lens: Open Initializer Training Comparison';

test('the training panel trains one epoch with two initializers and plots both', { timeout: 600_000 }, () =>
  withVsCode({ testName: 'panel', viewport: { width: 1500, height: 1000 } }, async (vs) => {
    const cspViolations: string[] = [];
    vs.page.on('console', (m) => {
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) cspViolations.push(m.text());
    });

    // The seed model open (activates the extension); the palette lists the command once the extension host
    // has registered the contributions, so ask until it does.
    await vs.openFile('seed_keras_mlp.py');
    for (let i = 0; i < 20 && !(await vs.paletteEntries(TITLE)).some((e) => e.startsWith(TITLE)); i++) await vs.page.waitForTimeout(1000);
    await vs.closePalette();

    const opened = Date.now();
    await vs.runCommand(TITLE);
    const frame = await vs.webview(0, 60_000);
    await vs.waitForText('Initializer training comparison', { frame, timeoutMs: 60_000 });
    await vs.waitForText('Dataset: bundled MNIST subset, 10,000 images', { frame, timeoutMs: 60_000 });
    const panelReadyMs = Date.now() - opened;
    await vs.screenshot('panel-open');

    // Opening again reveals the same panel instead of a second one.
    await vs.runCommand(TITLE);
    assert.equal(await vs.page.locator('.tab', { hasText: 'Initializer Training Comparison' }).count(), 1, 'one panel at a time');

    // Keep Xavier uniform and zeros; one epoch.
    for (const id of ['xavier_normal', 'he_normal', 'lecun_normal', 'normal_0.01', 'uniform_0.1']) {
      await frame.locator(`vscode-checkbox[data-initializer="${id}"]`).click();
    }
    const checked = await frame.evaluate(() =>
      [...document.querySelectorAll<HTMLElement & { checked: boolean }>('vscode-checkbox')].filter((c) => c.checked).map((c) => c.dataset.initializer),
    );
    assert.deepEqual(checked, ['zeros', 'xavier_uniform']);
    await frame.locator('#epochs input').fill('1');
    await vs.screenshot('settings');

    const started = Date.now();
    await frame.locator('#start').click();
    await frame.waitForFunction(() => Number(document.getElementById('loss-chart')?.dataset.points ?? 0) > 0, undefined, { timeout: 120_000 });
    const firstPointMs = Date.now() - started;
    await vs.screenshot('training');
    await frame.waitForFunction(() => ['finished', 'error'].includes(document.getElementById('status')?.dataset.status ?? ''), undefined, { timeout: 300_000 });
    const trainMs = Date.now() - started;
    const status = await frame.locator('#status').innerText();
    assert.match(status, /^Finished 1 epoch/, status);
    // Let the throttled redraw land before reading pixels.
    await vs.page.waitForTimeout(600);
    await vs.screenshot('finished');

    const backend = await frame.locator('#backend-line').innerText();
    assert.match(backend, /^Backend: (WebGL|WASM|CPU)/, backend);

    const loss = await curvePixels(frame, 'loss-chart');
    const accuracy = await curvePixels(frame, 'accuracy-chart');
    for (const name of ['Zeros', 'Xavier uniform']) {
      assert.ok((loss[name] ?? 0) > 50, `the loss curve of ${name} is drawn: ${JSON.stringify(loss)}`);
      assert.ok((accuracy[name] ?? 0) > 5, `the accuracy point of ${name} is drawn: ${JSON.stringify(accuracy)}`);
    }

    // The results table: Xavier learns in one epoch, zeros stays near chance (symmetry).
    const rows = await resultRows(frame);
    const accuracyOf = (label: string) => Number(rows.find((r) => r[0] === label)?.[1].replace('%', '')) / 100;
    assert.ok(accuracyOf('Xavier uniform') > 0.8, `Xavier uniform learns: ${JSON.stringify(rows)}`);
    assert.ok(accuracyOf('Zeros') < 0.3, `zeros stays near chance: ${JSON.stringify(rows)}`);

    // Hiding the tab keeps the page (retainContextWhenHidden): back on it, the curves and results are still there.
    const pointsBefore = await frame.locator('#loss-chart').getAttribute('data-points');
    await vs.page.locator('.tabs-container .tab', { hasText: 'seed_keras_mlp.py' }).click();
    await vs.page.waitForTimeout(1000);
    await vs.page.locator('.tabs-container .tab', { hasText: 'Initializer Training Comparison' }).click();
    const shown = await vs.webview(0);
    await vs.waitForText('Finished 1 epoch', { frame: shown });
    assert.equal(await shown.locator('#loss-chart').getAttribute('data-points'), pointsBefore, 'the loss curve survives hiding the tab');

    // "Copy as Markdown" goes through the host, which formats its own record of the run.
    await vs.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vs.url });
    await frame.locator('#copy-markdown').click();
    await vs.waitForText('Copied the results table as Markdown.', { frame });
    const markdown = await vs.page.evaluate(() => navigator.clipboard.readText());
    assert.match(markdown, /^\| Initializer \| Val accuracy \| Val loss \| Time \(s\) \| Samples\/s \|\n/);
    assert.match(markdown, /\| zeros \| \d+\.\d\d% \|/);
    assert.match(markdown, /\| xavier_uniform \| \d+\.\d\d% \|/);

    // The per-layer views have data for both.
    await frame.locator('.layers').evaluate((e) => e.scrollIntoView());
    await vs.page.waitForTimeout(300);
    await vs.screenshot('activations');
    await frame.locator('#tab-gradients').click();
    await vs.page.waitForTimeout(500);
    await vs.screenshot('gradients');
    await frame.locator('#tab-weights').click();
    await vs.page.waitForTimeout(500);
    await vs.screenshot('weights');
    const histograms = await frame.locator('.histograms .chart canvas').count();
    assert.equal(histograms, 3, 'one weight histogram per Dense layer of the seed MLP');

    assert.deepEqual(cspViolations, [], 'no Content Security Policy violations');
    const figures = { panelReadyMs, firstPointMs, trainMs, backend, rows };
    writeFileSync(join(vs.resultsDir, 'figures.json'), JSON.stringify(figures, null, 2));
    console.log(`[panel e2e] ${JSON.stringify(figures)}`);
  }),
);


/** "Load full MNIST…" → "Folder of IDX files…" → code-server's own folder dialog, typed path, "Load". */
async function loadFolder(vs: VsCode, frame: Frame, folder: string): Promise<void> {
  await frame.locator('#load-mnist').click();
  const choice = vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Folder of IDX files' }).first();
  await choice.waitFor({ state: 'visible', timeout: 30_000 });
  await choice.click();
  const input = vs.page.locator('.quick-input-widget .quick-input-box input');
  // The dialog fills in its starting folder once it has listed it; typing before that would be overwritten.
  await vs.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'mnist-broken' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  // Then it lists the typed folder (folders only: the IDX files are not rows); the typed path must survive that.
  for (let i = 0; i < 10; i++) {
    await input.fill(`${folder}/`);
    await vs.page.waitForTimeout(1500);
    if ((await input.inputValue()) === `${folder}/`) break;
  }
  assert.equal(await input.inputValue(), `${folder}/`);
  await vs.screenshot('folder-dialog');
  await vs.page.locator('.quick-input-widget .monaco-button', { hasText: 'Load' }).first().click();
}

test('Load full MNIST… reads a folder of IDX files; a broken folder is named and the loaded data stays', { timeout: 600_000 }, () =>
  withVsCode({ testName: 'panel-dataset' }, async (vs) => {
    // A torchvision-style raw folder (extracted files; the official t10k set stands in for a training set) and a
    // broken one (truncated gzip). They live in the temporary workspace copy only.
    const images = readFileSync(`${MNIST_DIR}/t10k-images-idx3-ubyte.gz`);
    const labels = readFileSync(`${MNIST_DIR}/t10k-labels-idx1-ubyte.gz`);
    const good = join(vs.workspaceDir, 'mnist', 'raw');
    const broken = join(vs.workspaceDir, 'mnist-broken');
    mkdirSync(good, { recursive: true });
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(good, 'train-images-idx3-ubyte'), gunzipSync(images));
    writeFileSync(join(good, 'train-labels-idx1-ubyte'), gunzipSync(labels));
    writeFileSync(join(broken, 'train-images-idx3-ubyte.gz'), images.subarray(0, 100_000));
    writeFileSync(join(broken, 'train-labels-idx1-ubyte.gz'), labels);

    await vs.openFile('seed_keras_mlp.py');
    for (let i = 0; i < 20 && !(await vs.paletteEntries(TITLE)).some((e) => e.startsWith(TITLE)); i++) await vs.page.waitForTimeout(1000);
    await vs.runCommand(TITLE);
    const frame = await vs.webview(0, 60_000);
    await vs.waitForText('Dataset: bundled MNIST subset', { frame, timeoutMs: 60_000 });

    await loadFolder(vs, frame, good);
    await vs.waitForText('Loaded MNIST from IDX files in', { frame, timeoutMs: 60_000 });
    const line = await frame.locator('#dataset-line').innerText();
    assert.match(line, /10,000 training images/, line);
    await vs.screenshot('loaded');

    await loadFolder(vs, frame, broken);
    await vs.waitForText('Could not load', { frame, timeoutMs: 60_000 });
    const notice = await frame.locator('#notice').innerText();
    assert.match(notice, /train-images-idx3-ubyte\.gz/, notice);
    assert.match(notice, /gzip stream is corrupt or truncated/, notice);
    assert.match(notice, /The data already loaded stays in use/, notice);
    assert.match(await frame.locator('#dataset-line').innerText(), /10,000 training images/, 'the loaded data stays');
    await vs.screenshot('broken-folder');
  }),
);
