// The foundation in a real VS Code: the packaged .vsix installs into code-server, opening the seed Keras model
// activates the extension (onLanguage:python), and both commands are in the palette under "Xavier Lens".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withVsCode } from './harness';

const COMMAND_TITLES = [
  'Xavier Lens: Inspect Layers in Active File',
  'Xavier Lens: Open Initializer Training Comparison',
];

test('the packaged extension activates on a Python model and lists its commands', { timeout: 300_000 }, () =>
  withVsCode({ testName: 'foundation' }, async (vs) => {
    await vs.screenshot('workbench-ready');

    await vs.openFile('seed_keras_mlp.py');
    assert.match(await vs.editorText(), /Dense\(128/, 'the seed model is open in the editor');
    await vs.screenshot('seed-model-open');

    // Activated by opening a Python file (no command run yet): the Running Extensions view lists it.
    await vs.runCommand('Developer: Show Running Extensions');
    await vs.waitForText('Xavier Lens');
    const running = vs.page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Xavier Lens' });
    await running.first().waitFor({ state: 'visible' });
    const row = await running.first().innerText();
    assert.match(row, /Xavier Lens/);
    assert.match(row, /\d+\s*ms/, `an activation time is shown for Xavier Lens: ${row}`);
    await vs.screenshot('running-extensions');

    const entries = await vs.paletteEntries('Xavier Lens');
    await vs.screenshot('palette-xavier-lens');
    await vs.closePalette();
    for (const title of COMMAND_TITLES) {
      assert.ok(entries.some((e) => e.startsWith(title)), `"${title}" is in the palette: ${JSON.stringify(entries)}`);
    }
  }),
);
