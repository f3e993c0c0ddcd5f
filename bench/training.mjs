// Training throughput: the seed MLP (784-128-64-10, Adam) in headless Chromium through `xavier-lens compare`, per
// backend and batch size, with PyTorch eager on the CPU (bench/pytorch_mlp.py, Debian's python3-torch) run right
// after each batch size on the same data and the same number of samples per epoch; then the time to the first
// plotted point and the wall time of the default comparison.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureLine, log, runNode, runProcess } from './child.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON_WITH_TORCH = '/usr/bin/python3';
const BACKENDS = ['wasm', 'webgl', 'cpu'];
const BATCHES = [32, 256];

/** The JSON object a command printed: the whole of stdout, else its last line that parses. */
export function parseJsonOutput(stdout) {
  try {
    return JSON.parse(stdout);
  } catch {
    for (const line of stdout.trim().split('\n').reverse()) {
      if (!/^[[{]/.test(line.trim())) continue;
      try {
        return JSON.parse(line);
      } catch {
        // keep looking
      }
    }
  }
  return null;
}

/** One `xavier-lens compare` run; resolves {ok, json, wallMs} or {ok: false, reason}. */
async function compare(args, timeoutMs) {
  const r = await runNode(['bin/xavier-lens.js', 'compare', ...args, '--json'], { timeoutMs });
  const json = r.code === 0 ? parseJsonOutput(r.stdout) : null;
  if (!json) {
    const why = r.timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit ${r.code}: ${failureLine(r.tail)}`;
    return { ok: false, reason: `xavier-lens compare failed (${why})`, tail: r.tail };
  }
  return { ok: true, json, wallMs: r.ms };
}

/** Epochs per run: enough that start-up is a small share, bounded so that the slow backends stay minutes. */
function epochsFor(backend, quick) {
  if (quick) return 1;
  return backend === 'cpu' ? 1 : 2;
}

async function pytorch(batch, samples, quick) {
  if (!existsSync(PYTHON_WITH_TORCH)) return { ok: false, reason: `${PYTHON_WITH_TORCH} not found` };
  const args = ['bench/pytorch_mlp.py', '--batch', String(batch), '--epochs', quick ? '1' : '2', '--warmup-epochs', '1'];
  if (samples) args.push('--samples', String(samples));
  const r = await runProcess(PYTHON_WITH_TORCH, args, { timeoutMs: 600_000 });
  const json = r.code === 0 ? parseJsonOutput(r.stdout) : null;
  return json ? { ok: true, json } : { ok: false, reason: `bench/pytorch_mlp.py failed (exit ${r.code}): ${failureLine(r.tail)}` };
}

const perSec = (v) => (typeof v === 'number' ? Math.round(v) : null);

export async function benchTraining({ row, built, quick }) {
  const raw = { runs: [], pytorch: {} };
  const canCompare = built && existsSync(join(root, 'dist/cli.js'));

  for (const batch of BATCHES) {
    let trainSize = null;
    const ours = {};
    for (const backend of BACKENDS) {
      const epochs = epochsFor(backend, quick);
      const label = `seed MLP, Adam, batch ${batch}: ${backend}`;
      if (!canCompare) {
        row('Training', label, null, 'samples/s', '', '', 'build failed');
        continue;
      }
      log(`training: compare --backend ${backend} --batch ${batch} --epochs ${epochs}`);
      const args = ['--model', 'seed', '--inits', 'xavier_uniform', '--epochs', String(epochs), '--batch', String(batch), '--backend', backend];
      const run = await compare(args, 900_000);
      raw.runs.push({ batch, backend, epochs, ...run });
      if (!run.ok) {
        row('Training', label, null, 'samples/s', '', '', run.reason);
        continue;
      }
      const result = run.json.results?.[0];
      const used = run.json.backend?.backend ?? '?';
      trainSize ??= run.json.trainSize ?? null;
      ours[backend] = result?.samplesPerSec ?? null;
      const note = `${epochs} epoch(s) of ${run.json.trainSize ?? '?'} samples; backend used: ${used}${used !== backend ? ` (asked ${backend}: ${run.json.backend?.reason ?? ''})` : ''}`;
      row('Training', label, perSec(ours[backend]), 'samples/s', '', '', note);
    }

    log(`training: PyTorch eager, batch ${batch}`);
    const peer = await pytorch(batch, trainSize, quick);
    raw.pytorch[batch] = peer;
    const torchRate = peer.ok ? peer.json.samplesPerSec : null;
    row(
      'Training',
      `seed MLP, Adam, batch ${batch}: PyTorch ${peer.ok ? peer.json.torch : ''} eager CPU`,
      perSec(torchRate),
      'samples/s',
      '',
      'peer',
      peer.ok
        ? `${peer.json.threads} thread(s) (PyTorch's default here: ${peer.json.defaultThreads}); ${peer.json.timedEpochs} timed epoch(s) of ${peer.json.samplesPerEpoch} samples after ${peer.json.warmupEpochs} warm-up; data: ${peer.json.data}`
        : peer.reason,
    );
    for (const backend of BACKENDS) {
      const ratio = ours[backend] && torchRate ? ours[backend] / torchRate : null;
      const main = backend === 'wasm';
      row(
        'Training',
        `ours (${backend}) / PyTorch, batch ${batch}`,
        ratio === null ? null : Math.round(ratio * 100) / 100,
        '×',
        main && batch === 32 ? '≥ 1.5×' : '',
        'PyTorch eager CPU',
        ratio === null ? 'needs both figures' : main ? 'the CPU path of a VS Code webview without a GPU' : '',
      );
    }
  }

  // Time to the first plotted point and the default comparison.
  row('Training', 'panel open → first plotted point', null, 's', '≤ 2 s', '', 'not measured yet: the headless runner exposes no event timing');
  if (quick) {
    row('Training', 'default comparison (seed, 7 initializers, 10 epochs): wall time', null, 's', '', '', 'skipped (--quick)');
  } else if (!canCompare) {
    row('Training', 'default comparison (seed, 7 initializers, 10 epochs): wall time', null, 's', '', '', 'build failed');
  } else {
    log('training: default comparison (compare --model seed --epochs 10, default initializers); this takes minutes');
    const run = await compare(['--model', 'seed', '--epochs', '10'], 2_400_000);
    raw.defaultComparison = run;
    const inits = run.ok ? (run.json.results ?? []).map((r) => r.initializer) : [];
    row(
      'Training',
      `default comparison (seed, ${run.ok ? inits.length : 7} initializers, 10 epochs): wall time`,
      run.ok ? Math.round(run.wallMs / 100) / 10 : null,
      's',
      '',
      '',
      run.ok ? `process wall time, Chromium start included; backend ${run.json.backend?.backend}; ${inits.join(', ')}` : run.reason,
    );
  }
  return raw;
}
