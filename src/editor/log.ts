/**
 * The one "Xavier Lens" output channel, and the guard every provider runs inside: nothing throws out of
 * a provider; a failure is logged with what was being done and the provider answers its empty value.
 */
import * as vscode from 'vscode';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(): { log: Log; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('Xavier Lens', { log: true });
  const log: Log = {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return { log, channel };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs `work`; on an exception or a rejected promise logs "<what> failed: …" and returns `fallback`. */
export async function guarded<T>(log: Log, what: string, fallback: T, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    log.error(`${what} failed: ${describeError(error)}`);
    return fallback;
  }
}
