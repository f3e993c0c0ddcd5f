// Training throughput: the seed MLP (784-128-64-10, Adam) in headless Chromium through `xavier-lens compare`, per
// backend and batch size, beside PyTorch eager on the CPU (bench/pytorch_mlp.py, Debian's python3-torch) on the
// same data and the same number of samples per epoch, default and tuned; then the time to the first plotted point
// and the wall time of the default comparison.
//
// One timing rule for every contestant: each epoch's wall time is measured inside the one page (ours: the
// epoch-end event's epochSeconds; model.fit: its onEpochBegin/onEpochEnd callbacks) or the one process (PyTorch:
// perf_counter around each epoch), and the figure of a run is samples per epoch / the median of epochs 2..N. A
// round runs every contestant once, back to back (ours first in odd rounds, PyTorch first in even ones); there
// are at least 3 rounds, and each figure is reported as min / median / max over them. A target is met only when
// the least favourable round meets it (report.mjs).
//
// The CNN group (issue #20) applies the same rule to the convnet of examples/keras_cnn.py: ours on WASM through
// bench/cnnTraining.ts (the engine's spec of the file, the panel's training code in headless Chromium, as
// `xavier-lens compare --model examples/keras_cnn.py` trains it), beside bench/pytorch_mlp.py --model cnn (the same
// layers in NCHW), default and tuned, at batch 64. The issue sets no target for its ratio.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureLine, log, runNode, runProcess } from './child.mjs';
import { median } from './stats.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON_WITH_TORCH = '/usr/bin/python3';
export const TRAINING_DEFAULTS = { models: ['mlp', 'cnn'], backends: ['wasm', 'webgl', 'cpu'], batches: [32, 256], rounds: 3, epochs: 5 };
/** The CNN group: one backend (the CPU path of a webview without a GPU), batch 64; samples 0 = the whole split. */
export const CNN_DEFAULTS = { file: 'examples/keras_cnn.py', backend: 'wasm', batches: [64], samples: 0 };
/** The headline: the CPU path of a VS Code webview without a GPU, at the panel's default batch. */
const HEADLINE = { backend: 'wasm', batch: 32, target: '≥ 1.5×' };

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

/**
 * The steady-state rate of one run from its per-epoch wall times: samples per epoch / median of epochs 2..N.
 * Null (with the reason) when the run has fewer than two epochs or a time is missing.
 */
export function steadyRate(samplesPerEpoch, epochSeconds, epochs) {
  if (!Array.isArray(epochSeconds) || epochSeconds.length !== epochs || epochs < 2) {
    return { rate: null, reason: `expected ${epochs} per-epoch times (≥ 2), got ${Array.isArray(epochSeconds) ? epochSeconds.length : 'none'}` };
  }
  if (!epochSeconds.every((s) => typeof s === 'number' && s > 0)) return { rate: null, reason: `a per-epoch time is not positive: ${epochSeconds.join(', ')}` };
  if (!(samplesPerEpoch > 0)) return { rate: null, reason: 'samples per epoch unknown' };
  const mid = median(epochSeconds.slice(1));
  return { rate: samplesPerEpoch / mid, epochSeconds, medianEpochSeconds: mid };
}

/** min / median / max of the numbers (nulls left out). */
export function spread(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return null;
  return { min: Math.min(...v), median: median(v), max: Math.max(...v), n: v.length };
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

/** Ours (and, with `fit`, the model.fit reference in its own browser first) for one backend and batch size. */
async function ours({ batch, backend, epochs, fit, round }) {
  log(`training: round ${round}: compare --backend ${backend} --batch ${batch} --epochs ${epochs}${fit ? ' --fit-baseline' : ''}`);
  const args = ['--model', 'seed', '--inits', 'xavier_uniform', '--epochs', String(epochs), '--batch', String(batch), '--backend', backend];
  if (fit) args.push('--fit-baseline');
  const run = await compare(args, 900_000);
  if (!run.ok) return { run, ours: { rate: null, reason: run.reason } };
  const { json } = run;
  const steady = steadyRate(json.trainSize, json.epochSeconds, epochs);
  const used = json.backend?.backend ?? '?';
  const result = { ...steady, used, askedReason: used !== backend ? json.backend?.reason : undefined, trainSize: json.trainSize, wholeRun: json.results?.[0]?.samplesPerSec };
  // A run that fell back to another backend is not a figure of the backend asked for.
  if (used !== backend) Object.assign(result, { rate: null, reason: `asked ${backend}, ran on ${used}: ${json.backend?.reason ?? ''}` });
  const fitResult = json.fitBaseline ? { ...steadyRate(json.fitBaseline.trainSize, json.fitBaseline.epochSeconds, epochs), used: json.fitBaseline.backend } : undefined;
  return { run, ours: result, fit: fitResult };
}

async function pytorch({ batch, samples, epochs, tuned, round, model = 'mlp' }) {
  log(`training: round ${round}: PyTorch eager ${model}${tuned ? ' (tuned)' : ''}, batch ${batch}`);
  if (!existsSync(PYTHON_WITH_TORCH)) return { rate: null, reason: `${PYTHON_WITH_TORCH} not found` };
  const args = ['bench/pytorch_mlp.py', '--model', model, '--batch', String(batch), '--epochs', String(epochs)];
  if (samples) args.push('--samples', String(samples));
  if (tuned) args.push('--tuned');
  const r = await runProcess(PYTHON_WITH_TORCH, args, { timeoutMs: 600_000 });
  const json = r.code === 0 ? parseJsonOutput(r.stdout) : null;
  if (!json) return { rate: null, reason: `bench/pytorch_mlp.py failed (exit ${r.code}): ${failureLine(r.tail)}` };
  return { ...steadyRate(json.samplesPerEpoch, json.epochSeconds, epochs), json };
}

const perSec = (v) => (typeof v === 'number' ? Math.round(v) : null);
const r2 = (v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : null);
const fmtSpread = (s, f) => (s ? `min ${f(s.min)} / median ${f(s.median)} / max ${f(s.max)}` : 'n/a');
const fmtRatio = (v) => `${v.toFixed(2)}×`;

/** The first failure reason among the samples, for a figure with no value. */
const why = (samples) => samples.find((s) => s && s.rate === null)?.reason ?? 'no samples';

/** Runs the two sides of a round, ours first in odd rounds: a host that drifts in one direction favours neither. */
async function inAlternatingOrder(round, runOurs, runTorch) {
  if (round % 2 === 1) {
    await runOurs();
    await runTorch();
  } else {
    await runTorch();
    await runOurs();
  }
}

/** PyTorch default, then tuned, for one batch size of a round; each run recorded in `raw` and under its contestant. */
async function pytorchDefaultAndTuned(args, raw, push) {
  for (const tuned of [false, true]) {
    const t = await pytorch({ ...args, tuned });
    raw.runs.push({ round: args.round, batch: args.batch, pytorch: tuned ? 'tuned' : 'default', ...t });
    push(args.batch, tuned ? 'torchTuned' : 'torch', t);
  }
}

/** Ours on the CNN (bench/cnnTraining.ts, one headless Chromium per run). */
async function oursCnn({ batch, backend, epochs, samples, round }) {
  log(`training: round ${round}: CNN ${CNN_DEFAULTS.file} on ${backend}, batch ${batch}, ${epochs} epochs${samples ? `, ${samples} samples` : ''}`);
  const args = ['--import', 'tsx', 'bench/cnnTraining.ts', '--model', CNN_DEFAULTS.file, '--backend', backend, '--batch', String(batch), '--epochs', String(epochs)];
  if (samples) args.push('--samples', String(samples));
  const r = await runNode(args, { timeoutMs: 1_800_000 });
  const json = r.code === 0 ? parseJsonOutput(r.stdout) : null;
  if (!json) {
    const why = r.timedOut ? 'timed out after 1,800 s' : `exit ${r.code}: ${failureLine(r.tail)}`;
    return { run: { ok: false, reason: `bench/cnnTraining.ts failed (${why})` }, ours: { rate: null, reason: `bench/cnnTraining.ts failed (${why})` } };
  }
  const used = json.backend?.backend ?? '?';
  const result = { ...steadyRate(json.trainSize, json.epochSeconds, epochs), used, trainSize: json.trainSize, wholeRun: json.results?.[0]?.samplesPerSec, valAccuracy: json.results?.[0]?.finalValAccuracy };
  if (used !== backend) Object.assign(result, { rate: null, reason: `asked ${backend}, ran on ${used}: ${json.backend?.reason ?? ''}` });
  return { run: { ok: true, wallMs: r.ms, json }, ours: result };
}

/**
 * The CNN group: ours (WASM) and PyTorch default and tuned on examples/keras_cnn.py, per batch size, in rounds
 * (ours first in odd rounds), under the MLP's rule; ratios within a round, no target.
 */
async function benchCnn({ row, canBuild, rounds, epochs, batches, samples }) {
  const backend = CNN_DEFAULTS.backend;
  const raw = { file: CNN_DEFAULTS.file, backend, batches, samples: samples || 'whole training split', runs: [] };
  const samplesOf = Object.fromEntries(batches.map((b) => [b, {}]));
  const push = (batch, who, value) => (samplesOf[batch][who] ??= []).push(value);
  let trainSize = null;
  for (let round = 1; round <= rounds; round++) {
    for (const batch of batches) {
      const runOurs = async () => {
        if (!canBuild) return push(batch, 'ours', { rate: null, reason: 'build failed' });
        const r = await oursCnn({ batch, backend, epochs, samples, round });
        raw.runs.push({ round, batch, backend, ok: r.run.ok, wallMs: r.run.wallMs, ours: r.ours });
        push(batch, 'ours', r.ours);
        trainSize ??= r.ours.trainSize ?? null;
      };
      // Ours runs first in round 1, so the count is known; if it failed, the split's size (8,000) or --samples.
      const runTorch = () => pytorchDefaultAndTuned({ batch, samples: trainSize ?? (samples || 8000), epochs, round, model: 'cnn' }, raw, push);
      await inAlternatingOrder(round, runOurs, runTorch);
    }
  }
  const how = `${rounds} round(s) of ${epochs} epochs; per round samples/epoch ÷ median of epochs 2..${epochs}`;
  const name = 'keras_cnn CNN (conv32-pool-conv64-pool-128-10), Adam';
  for (const batch of batches) {
    const s = samplesOf[batch];
    const rates = (who) => (s[who] ?? []).map((x) => x.rate);
    const sp = spread(rates('ours'));
    row('Training', `${name}, batch ${batch}: ours, ${backend}`, perSec(sp?.median), 'samples/s', '', '',
      sp ? `${how}, measured in the page; ${trainSize} samples/epoch; spec read from ${CNN_DEFAULTS.file} by the engine; backend used: ${(s.ours ?? []).find((x) => x.used)?.used}` : why(s.ours ?? []),
      sp ? { rounds: rates('ours').map(perSec) } : undefined);
    for (const who of ['torch', 'torchTuned']) {
      const tsp = spread(rates(who));
      const info = (s[who] ?? []).find((x) => x.json)?.json;
      const setup = info ? `${info.threads} thread(s)${who === 'torch' ? ` (PyTorch's default here)` : ` (= cores)`}, Adam ${info.foreach ? 'foreach=True' : 'default implementation'}; torch ${info.torch}; NCHW, ${info.parameters} parameters` : '';
      row('Training', `${name}, batch ${batch}: PyTorch eager CPU, ${who === 'torch' ? 'default' : 'tuned'}`, perSec(tsp?.median), 'samples/s', '', 'peer',
        tsp ? `${how}; ${setup}; data: ${info?.data}` : why(s[who] ?? []),
        tsp ? { rounds: rates(who).map(perSec) } : undefined);
    }
    const peerRate = (who, i) => (who === 'best' ? spread([s.torch?.[i]?.rate, s.torchTuned?.[i]?.rate])?.max ?? null : s[who]?.[i]?.rate ?? null);
    for (const [who, label] of [['torch', 'PyTorch default'], ['torchTuned', 'PyTorch tuned'], ['best', 'PyTorch at its best (faster of default and tuned per round)']]) {
      const ratios = (s.ours ?? []).map((o, i) => (o.rate && peerRate(who, i) ? o.rate / peerRate(who, i) : null));
      const rs = spread(ratios);
      row('Training', `CNN: ours (${backend}) / ${label}, batch ${batch}`, r2(rs?.median), '×', '', 'PyTorch eager CPU',
        rs ? `per round, ours and PyTorch back to back; no target (issue #20 sets none)` : 'needs both figures in a round',
        rs ? { rounds: ratios.map(r2) } : undefined);
    }
  }
  return raw;
}

/**
 * `options`: {models, backends, batches, rounds, epochs, cnnBatches, cnnSamples} (TRAINING_DEFAULTS and
 * CNN_DEFAULTS where absent); `quick`: 3 epochs per run and no default comparison. `models` picks the row groups:
 * 'mlp' (the seed MLP per backend and batch, the first plotted point, the default comparison) and 'cnn'.
 */
export async function benchTraining({ row, built, quick, options = {} }) {
  const models = options.models ?? TRAINING_DEFAULTS.models;
  for (const m of models) if (!TRAINING_DEFAULTS.models.includes(m)) throw new Error(`training: --training-models: unknown ${m} (known: ${TRAINING_DEFAULTS.models.join(', ')})`);
  const backends = options.backends ?? TRAINING_DEFAULTS.backends;
  const batches = options.batches ?? TRAINING_DEFAULTS.batches;
  const rounds = options.rounds ?? TRAINING_DEFAULTS.rounds;
  const epochs = options.epochs ?? (quick ? 3 : TRAINING_DEFAULTS.epochs);
  if (!(epochs >= 2)) throw new Error(`training: --training-epochs must be ≥ 2 (the figure is the median of epochs 2..N), got ${epochs}`);
  const raw = { rule: 'samples per epoch / median wall time of epochs 2..N, per run; min / median / max over rounds', models, backends, batches, rounds, epochs, runs: [] };
  const canCompare = built && existsSync(join(root, 'dist/cli.js'));
  if (models.includes('mlp')) await benchMlp({ row, built, quick, raw, canCompare, backends, batches, rounds, epochs });
  if (models.includes('cnn')) {
    const cnnSamples = options.cnnSamples ?? CNN_DEFAULTS.samples;
    if (!(Number.isInteger(cnnSamples) && cnnSamples >= 0)) throw new Error(`training: --training-cnn-samples must be a whole number ≥ 0, got ${cnnSamples}`);
    raw.cnn = await benchCnn({ row, canBuild: built && existsSync(join(root, 'dist/headless.js')), rounds, epochs, batches: options.cnnBatches ?? CNN_DEFAULTS.batches, samples: cnnSamples });
  }
  return raw;
}

async function benchMlp({ row, built, quick, raw, canCompare, backends, batches, rounds, epochs }) {
  const fitWanted = (backend, batch) => backend === HEADLINE.backend && batch === HEADLINE.batch;

  // samples[batch][who] = one entry per round; who: a backend, 'fit', 'torch', 'torchTuned'.
  const samples = Object.fromEntries(batches.map((b) => [b, {}]));
  const push = (batch, who, value) => (samples[batch][who] ??= []).push(value);
  let trainSize = null;
  for (let round = 1; round <= rounds; round++) {
    for (const batch of batches) {
      const runOurs = async () => {
        for (const backend of backends) {
          if (!canCompare) {
            push(batch, backend, { rate: null, reason: 'build failed' });
            continue;
          }
          const r = await ours({ batch, backend, epochs, fit: fitWanted(backend, batch), round });
          raw.runs.push({ round, batch, backend, ...r.run, ours: r.ours, fit: r.fit });
          push(batch, backend, r.ours);
          if (fitWanted(backend, batch)) push(batch, 'fit', r.fit ?? { rate: null, reason: r.ours.reason ?? 'no model.fit figure' });
          trainSize ??= r.ours.trainSize ?? null;
        }
      };
      const runTorch = () => pytorchDefaultAndTuned({ batch, samples: trainSize ?? 8000, epochs, round }, raw, push);
      await inAlternatingOrder(round, runOurs, runTorch);
    }
  }

  const how = `${rounds} round(s) of ${epochs} epochs; per round samples/epoch ÷ median of epochs 2..${epochs}`;
  for (const batch of batches) {
    const s = samples[batch];
    const rates = (who) => (s[who] ?? []).map((x) => x.rate);
    const torchInfo = (who) => (s[who] ?? []).find((x) => x.json)?.json;
    for (const backend of backends) {
      const sp = spread(rates(backend));
      const used = (s[backend] ?? []).find((x) => x.used)?.used;
      row('Training', `seed MLP, Adam, batch ${batch}: ours, ${backend}`, perSec(sp?.median), 'samples/s', '', '',
        sp ? `${how}, measured in the page; ${trainSize} samples/epoch; backend used: ${used}` : why(s[backend] ?? []),
        sp ? { rounds: rates(backend).map(perSec) } : undefined);
    }
    if (s.fit) {
      const sp = spread(rates('fit'));
      const ratios = s.fit.map((f, i) => (f.rate && s[HEADLINE.backend]?.[i]?.rate ? s[HEADLINE.backend][i].rate / f.rate : null));
      const rs = spread(ratios);
      row('Training', `seed MLP, Adam, batch ${batch}: TF.js model.fit reference (${s.fit.find((f) => f.used)?.used ?? '?'})`, perSec(sp?.median), 'samples/s', '',
        rs ? `ours / model.fit ${fmtSpread(rs, fmtRatio)}` : '',
        sp ? `same rule (onEpochBegin → onEpochEnd in the page), in its own browser before ours` : why(s.fit),
        sp ? { rounds: rates('fit').map(perSec) } : undefined);
    }
    for (const who of ['torch', 'torchTuned']) {
      const sp = spread(rates(who));
      const info = torchInfo(who);
      const label = who === 'torch' ? 'PyTorch eager CPU, default' : 'PyTorch eager CPU, tuned';
      const setup = info ? `${info.threads} thread(s)${who === 'torch' ? ` (PyTorch's default here)` : ` (= cores)`}, Adam ${info.foreach ? 'foreach=True' : 'default implementation'}; torch ${info.torch}` : '';
      row('Training', `seed MLP, Adam, batch ${batch}: ${label}`, perSec(sp?.median), 'samples/s', '', 'peer',
        sp ? `${how}; ${setup}; data: ${info?.data}` : why(s[who] ?? []),
        sp ? { rounds: rates(who).map(perSec) } : undefined);
    }
    // Ratios within each round. The target is judged against PyTorch's defaults (the headline) and against the
    // faster of its two configurations in that round; the tuned one alone gets no target (where threads = cores
    // oversubscribes a busy host it is the slower one, and a ✓ against it would flatter us).
    const peers = [
      { who: 'torch', label: 'PyTorch default', target: true },
      { who: 'torchTuned', label: 'PyTorch tuned', target: false },
      { who: 'best', label: 'PyTorch at its best (faster of default and tuned per round)', target: true },
    ];
    const peerRate = (who, i) => (who === 'best' ? spread([s.torch?.[i]?.rate, s.torchTuned?.[i]?.rate])?.max ?? null : s[who]?.[i]?.rate ?? null);
    for (const backend of backends) {
      const headline = backend === HEADLINE.backend && batch === HEADLINE.batch;
      for (const peer of peers) {
        if (peer.who === 'best' && !headline) continue;
        const ratios = (s[backend] ?? []).map((o, i) => (o.rate && peerRate(peer.who, i) ? o.rate / peerRate(peer.who, i) : null));
        const rs = spread(ratios);
        row('Training', `ours (${backend}) / ${peer.label}, batch ${batch}`, r2(rs?.median), '×', headline && peer.target ? HEADLINE.target : '',
          'PyTorch eager CPU',
          rs ? `per round, ours and PyTorch back to back${headline ? '; the CPU path of a VS Code webview without a GPU' : ''}` : 'needs both figures in a round',
          rs ? { rounds: ratios.map(r2) } : undefined);
      }
    }
  }

  // Time to the first plotted point: one fresh session per round.
  if (!built) {
    row('Training', 'start training → first plotted point (headless)', null, 's', '≤ 2 s', '', 'build failed');
  } else {
    const sessions = rounds;
    const firstPoints = [];
    for (let i = 0; i < sessions; i++) {
      log(`training: first plotted point (headless Chromium, panel defaults; session ${i + 1}/${sessions})`);
      const out = join(tmpdir(), `xavier-lens-bench-first-point-${process.pid}-${i}.json`);
      const r = await runNode(['--import', 'tsx', 'bench/firstPoint.ts', '--out', out], { timeoutMs: 400_000 });
      firstPoints.push(r.code === 0 && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { available: false, reason: `bench/firstPoint.ts failed (exit ${r.code}): ${failureLine(r.tail)}` });
      rmSync(out, { force: true });
    }
    raw.firstPoint = firstPoints;
    const failed = firstPoints.find((f) => !f.available);
    const s = (v) => (typeof v === 'number' ? Math.round(v / 10) / 100 : null);
    const per = firstPoints.map((f) => s(f.runToFirstPointMs));
    const sp = failed ? null : spread(per);
    const fp = firstPoints[0];
    row(
      'Training',
      'start training → first plotted point (headless)',
      sp ? sp.median : null,
      's',
      '≤ 2 s',
      '',
      sp
        ? `${sessions} fresh session(s); first batch-loss event (after ${fp.firstPoint.step} batches of ${fp.batchSize}) on a loaded page, ${fp.initializers.length} initializers, backend ${fp.backend?.backend}; incl. dataset load, backend init, network build (the epoch-0 layer stats follow the first chunk); Chromium launch + page load ${s(fp.openMs)} s not incl.`
        : failed.reason,
      sp ? { rounds: per } : undefined,
    );
  }
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
      run.ok ? `process wall time, Chromium start included; one run; backend ${run.json.backend?.backend}; ${inits.join(', ')}` : run.reason,
    );
  }
  return raw;
}
