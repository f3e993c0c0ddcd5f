// Restricted Mode in a real VS Code (code-server + Chromium, see harness.ts): workspace trust enabled, the
// workspace opened and NOT trusted. The extension declares `untrustedWorkspaces: limited` in package.json, so
// it still runs: the hover on the seed example shows fan_in 784, and Inspect Layers shows the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withVsCode } from './harness';

test('restricted mode: hover and Inspect Layers still work in an untrusted workspace', { timeout: 400_000 }, () =>
  withVsCode(
    { testName: 'trust-restricted', settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' } },
    async (vs) => {
      // The startup dialog asks whether to trust the folder's authors: answer no.
      const dontTrust = vs.page.getByRole('button', { name: /No, I don.t trust the authors/i });
      await dontTrust.waitFor({ state: 'visible', timeout: 60_000 });
      await vs.screenshot('trust-dialog');
      await dontTrust.click();
      // The workbench says so in the status bar.
      await vs.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await vs.screenshot('restricted-mode');

      await vs.openFile('seed_keras_mlp.py');
      await vs.goToLine(15);
      await vs.page.waitForTimeout(1500);
      const hover = await vs.hoverOver('Dense(128');
      await vs.screenshot('restricted-hover');
      assert.match(hover, /fan_in/, hover);
      assert.match(hover, /kernel\s+\(784, 128\)\s+784\s+128/, hover);
      await vs.page.mouse.move(5, 5);
      await vs.page.keyboard.press('Escape');

      await vs.runCommand('Xavier Lens: Inspect Layers in Active File');
      const report = await vs.webview(0);
      await vs.waitForText('dense_2', { frame: report });
      await vs.waitForText('109,386', { frame: report });
      await vs.screenshot('restricted-inspect');
      assert.ok((await vs.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).count()) >= 1, 'still restricted');
    },
  ),
);
