// Measures warm parseSource against the bare tree-sitter parse (same loader) on the bench's generated inputs.
// Run from /work/main:  cp /tmp/tsproto/measure.ts ./.measure.ts && node --import tsx ./.measure.ts; rm ./.measure.ts
import { parseSource } from './src/analysis/parse/index';
import { parserFor } from './src/analysis/parse/treeSitter';
// eslint-disable-next-line
const inputs = require('./bench/inputs.mjs');
void (async () => {
  const parser = await parserFor('python');
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  for (const [name, text, runs] of [['keras-1000-layers', inputs.kerasModelWithLayers(1000), 60], ['python-5MB', inputs.bigPythonFile(5_000_000).text, 5]]) {
    const b: number[] = [], f: number[] = [];
    let layers = 0;
    for (let i = 0; i < runs + 1; i++) {
      let t = performance.now(); const tree = parser.parse(text)!; const bare = performance.now() - t; tree.delete();
      t = performance.now(); const r = await parseSource(text, 'python'); const full = performance.now() - t;
      layers = r.models.reduce((s, m) => s + m.layers.length, 0);
      if (i > 0) { b.push(bare); f.push(full); }
    }
    console.log(`${name} (${text.length} chars, ${layers} layers): bare parse median ${med(b).toFixed(1)} ms, parseSource median ${med(f).toFixed(1)} ms, ratio ${(med(f) / med(b)).toFixed(2)}`);
  }
})();
