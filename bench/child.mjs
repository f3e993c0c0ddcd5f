// Runs the benchmarks' child processes: bounded in time, output captured, killed (their whole process group,
// by id) when they overrun, so a hung Chromium or engine cannot hold the bench.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * Runs `command args` in the repository root; resolves with {code, stdout, stderr, ms, tail} (code null and
 * timedOut true when it was killed after timeoutMs). `tail` is the last lines of stderr+stdout, for messages.
 */
export function runProcess(command, args, { timeoutMs = 600_000, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env: env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const tail = `${stderr}\n${stdout}`.trim().split('\n').slice(-15).join('\n');
      resolvePromise({ code: timedOut ? null : code, timedOut, stdout, stderr, ms, tail: timedOut ? `timed out after ${timeoutMs / 1000} s\n${tail}` : tail });
    });
  });
}

/** The most telling line of a failed child's output: an esbuild/Node error line, else the last line. */
export function failureLine(tail) {
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  const pick = lines.find((l) => /\bERROR:/.test(l)) ?? lines.find((l) => /^\w*Error\b|^error\b/i.test(l)) ?? lines.at(-1) ?? '';
  return pick.length > 300 ? `${pick.slice(0, 300)}…` : pick;
}

/** Runs this Node binary on `args` (a script and its arguments). */
export function runNode(args, options) {
  return runProcess(process.execPath, args, options);
}
