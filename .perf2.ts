import { parseSource } from './src/analysis/parse/index';
import { parserFor } from './src/analysis/parse/treeSitter';
// eslint-disable-next-line
const inputs = require('./bench/inputs.mjs');
void (async () => {
  const parser = await parserFor('python');
  const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
  for (const [name, text, runs] of [['keras-1000', inputs.kerasModelWithLayers(1000), 60], ['python-5MB', inputs.bigPythonFile(5_000_000).text, 3]]) {
    const b: number[] = [], f: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now(); const tree = parser.parse(text)!; b.push(performance.now() - t); tree.delete();
      t = performance.now(); await parseSource(text, 'python'); f.push(performance.now() - t);
    }
    console.log(name, 'bare', med(b).toFixed(1), 'parseSource', med(f).toFixed(1), 'ratio', (med(f) / med(b)).toFixed(2));
  }
})();
