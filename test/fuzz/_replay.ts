import fc from 'fast-check';
import { analyzeText } from '../../src/analysis/index';
import { fuzzCase, loadSeeds, nonFiniteNumbers } from './mutations';
(async () => {
  const seeds = await loadSeeds();
  const out = await fc.check(fc.asyncProperty(fuzzCase(seeds, 24), async (c) => {
    const r = await analyzeText(c.text, c.fileName);
    const bad = nonFiniteNumbers(r);
    if (bad.length) {
      const m = /models\[(\d+)\]\.layers\[(\d+)\]/.exec(bad[0])!;
      const layer = r.models[+m[1]].layers[+m[2]];
      console.log(bad, JSON.stringify({ type: layer.type, config: layer.config, weights: layer.weights.map(w => [w.name, w.initializer, w.inUse, w.shape]) }));
      console.log(c.text.split('\n')[layer.line - 1]);
      return false;
    }
    return true;
  }), { seed: Number(process.env.S ?? 1592598566), numRuns: Number(process.env.N ?? 10000), endOnFailure: true });
  console.log(out.failed, out.numRuns);
})();
