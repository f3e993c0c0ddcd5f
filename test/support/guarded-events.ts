// The protocol guards over real events: what the headless runs of the webview tests delivered is checked with the
// very guard the extension host applies to a forwarded training event (isTrainingEvent in src/protocol.ts).
import assert from 'node:assert/strict';
import { isTrainingEvent, type TrainingEvent } from '../../src/protocol';

function describe(event: unknown): string {
  const text = JSON.stringify(event, (_key, value: unknown) => (Array.isArray(value) && value.length > 8 ? [...value.slice(0, 8), `… ${value.length - 8} more`] : value));
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/**
 * Asserts that `delivered` is not empty, holds every type in `mustInclude` (so the guards of those types were
 * exercised, not skipped), and that `delivered.every(isTrainingEvent)`. Returns a per-type count for diagnostics.
 */
export function assertEventsPassGuards(delivered: readonly unknown[], mustInclude: readonly TrainingEvent['type'][]): string {
  assert.ok(delivered.length > 0, 'no events were delivered: the guard check would prove nothing');
  const counts = new Map<string, number>();
  for (const e of delivered) {
    const type = typeof e === 'object' && e !== null && 'type' in e ? String((e as { type: unknown }).type) : '(no type)';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  for (const type of mustInclude) assert.ok(counts.has(type), `no '${type}' event among the ${delivered.length} delivered`);
  const rejected = delivered.filter((e) => !isTrainingEvent(e));
  assert.ok(
    delivered.every(isTrainingEvent),
    `${rejected.length} of ${delivered.length} events rejected by isTrainingEvent, e.g.:\n${rejected.slice(0, 3).map(describe).join('\n')}`,
  );
  return [...counts].map(([type, n]) => `${type} ${n}`).join(', ');
}
