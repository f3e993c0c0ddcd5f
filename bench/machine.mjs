// What the figures were measured on: CPU, cores, memory, load, and the versions of everything timed.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { runProcess } from './child.mjs';

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

async function commandVersion(command, args) {
  try {
    const r = await runProcess(command, args, { timeoutMs: 30_000 });
    // Debian's chromium wrapper prints shell noise on stderr; the version is on stdout.
    return r.code === 0 ? r.stdout.trim().split('\n').pop() : `unavailable (exit ${r.code})`;
  } catch (error) {
    return `unavailable (${error.message})`;
  }
}

export async function machineInfo() {
  const chromium = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    chromium: await commandVersion(chromium, ['--version']),
    torch: await commandVersion('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__, "threads", torch.get_num_threads())']),
  };
}
