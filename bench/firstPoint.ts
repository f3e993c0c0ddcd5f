/**
 * Time to the first plotted point, headless: the panel's own training code in headless Chromium through the
 * runner `xavier-lens compare` uses (src/cli/headless-runner.ts), with the panel's defaults (seed model, the default
 * initializers of `compare`, Adam, batch 32, backend auto). Measured: from the call that starts training on a loaded page to
 * the first `batch-loss` event arriving in Node (the event the panel plots as the first point of the loss curve):
 * dataset fetch and decode, backend choice and initialisation, model build and the first chunk of batches (the
 * epoch-0 layer statistics come right after it). Chromium's launch and the page load are timed separately (in VS Code the webview's
 * browser is already running). The run is stopped after the first point.
 *   node --import tsx bench/firstPoint.ts --out OUT.json
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HeadlessSession } from '../src/cli/headless-runner';
import type { TrainingConfig, TrainingEvent } from '../src/protocol';
import { DEFAULT_COMPARISON_INITIALIZERS, PRESET_DEFAULTS, SEED_MODEL } from '../src/training-spec';
import { argValue, repoRoot } from './engine';

const FIRST_POINT_TIMEOUT_MS = 180_000;

async function main(): Promise<void> {
  const out = argValue('--out');
  if (!out) throw new Error('usage: firstPoint.ts --out OUT.json');
  const defaults = PRESET_DEFAULTS.seed;
  const config: TrainingConfig = {
    model: SEED_MODEL,
    initializers: [...DEFAULT_COMPARISON_INITIALIZERS],
    activation: defaults.activation,
    optimizer: defaults.optimizer,
    learningRate: defaults.learningRate,
    batchSize: defaults.batchSize,
    epochs: defaults.epochs,
    seed: 1,
    backend: 'auto',
  };

  let runStartedAt: number | undefined;
  let startedEvent: Extract<TrainingEvent, { type: 'run-started' }> | undefined;
  let firstPoint: { at: number; initializer: string; step: number } | undefined;
  let failed: string | undefined;
  let resolveFirst: () => void = () => {};
  const firstSeen = new Promise<void>((resolve) => (resolveFirst = resolve));
  const onEvent = (event: TrainingEvent) => {
    if (event.type === 'run-started' && !startedEvent) {
      startedEvent = event;
      runStartedAt = performance.now();
    } else if (event.type === 'batch-loss' && !firstPoint) {
      firstPoint = { at: performance.now(), initializer: event.initializer, step: event.step };
      resolveFirst();
    } else if (event.type === 'run-error') {
      failed = event.message;
      resolveFirst();
    }
  };

  const openStart = performance.now();
  const session = await HeadlessSession.open({ root: repoRoot, verboseEvents: true, onEvent });
  const openMs = performance.now() - openStart;
  try {
    const runStart = performance.now();
    const run = session.run(config).catch((error: unknown) => {
      failed ??= error instanceof Error ? error.message : String(error);
      resolveFirst();
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, FIRST_POINT_TIMEOUT_MS).unref());
    await Promise.race([firstSeen, timeout]);
    await session.stop().catch(() => undefined);
    await run;
    if (!firstPoint) {
      writeFileSync(out, JSON.stringify({ available: false, reason: failed ?? `no batch-loss event within ${FIRST_POINT_TIMEOUT_MS / 1000} s` }));
      return;
    }
    writeFileSync(
      out,
      JSON.stringify({
        available: true,
        openMs,
        runToRunStartedMs: runStartedAt === undefined ? null : runStartedAt - runStart,
        runToFirstPointMs: firstPoint.at - runStart,
        firstPoint: { initializer: firstPoint.initializer, step: firstPoint.step },
        backend: startedEvent?.backend ?? null,
        initializers: config.initializers,
        batchSize: config.batchSize,
      }),
    );
  } finally {
    await session.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
