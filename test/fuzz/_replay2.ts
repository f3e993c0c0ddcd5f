import fc from 'fast-check';
import { appendFileSync, writeFileSync } from 'node:fs';
import { analyzeText } from '../../src/analysis/index';
import { describeCase, fuzzCase, loadSeeds } from './mutations';
(async () => {
  const seeds = await loadSeeds();
  writeFileSync('/tmp/hard/cases.log', '');
  let i = 0;
  await fc.check(fc.asyncProperty(fuzzCase(seeds, 24), async (c) => {
    writeFileSync("/tmp/hard/current.txt", JSON.stringify(c)); const s = performance.now();
    await analyzeText(c.text, c.fileName);
    const t = performance.now() - s;
    i++;
    if (t > 150) appendFileSync('/tmp/hard/cases.log', `${i} ${t.toFixed(0)}ms ${process.memoryUsage().heapUsed/1e6|0}MB ${describeCase(c).slice(0, 300)}\n`);
    if (i % 200 === 0) appendFileSync('/tmp/hard/cases.log', `-- ${i} heap ${process.memoryUsage().heapUsed/1e6|0}MB\n`);
    return true;
  }), { seed: 1592598566, numRuns: 2000 });
})();
