import { readFileSync } from 'node:fs';
import { analyzeText, formatFileTable } from './src/analysis/index';
for (const f of process.argv.slice(2)) {
  const r = await analyzeText(readFileSync(f, 'utf8'), f);
  console.log(formatFileTable(r));
}
