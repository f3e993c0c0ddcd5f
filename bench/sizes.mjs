// Sizes: each bundle in dist/ (the WASM folders as totals) and the .vsix that `npm run package` writes.
// The ≤ 10 MB budget is asserted by test/unit/package.test.ts; here it is only reported.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureLine, log, runProcess } from './child.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

function folderBytes(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

const kib = (bytes) => Math.round((bytes / 1024) * 10) / 10;

export async function benchSizes({ row, built }) {
  // Package first: `npm run package` rebuilds dist/ as it ships (minified, no source maps), so the bundle
  // sizes below are those inside the .vsix, not those of the development build.
  log('size: npm run package');
  const vsix = join(root, 'xavier-lens.vsix');
  const r = await runProcess('npm', ['run', 'package'], { timeoutMs: 300_000 });
  const packaged = r.code === 0 && existsSync(vsix);

  const dist = join(root, 'dist');
  const bundles = {};
  if (!built || !existsSync(dist)) {
    row('Size', 'bundles in dist/', null, '', '', '', 'build failed');
  } else {
    for (const name of readdirSync(dist).sort()) {
      const p = join(dist, name);
      const s = statSync(p);
      if (s.isDirectory()) bundles[`${name}/`] = folderBytes(p);
      else if (name.endsWith('.js')) bundles[name] = s.size;
    }
    for (const [name, bytes] of Object.entries(bundles)) {
      const note = name.endsWith('/') ? 'folder total (.wasm copied by the build)' : packaged ? 'as packaged (minified)' : 'development build (packaging failed)';
      row('Size', `dist/${name}`, kib(bytes), 'KiB', '', '', note);
    }
  }

  let vsixBytes = null;
  if (packaged) {
    vsixBytes = statSync(vsix).size;
    row('Size', 'xavier-lens.vsix', Math.round((vsixBytes / MiB) * 100) / 100, 'MiB', '≤ 10 MB (test/unit/package.test.ts)', '', `${vsixBytes} bytes`);
  } else {
    row('Size', 'xavier-lens.vsix', null, 'MiB', '≤ 10 MB', '', `npm run package failed (exit ${r.code}): ${failureLine(r.tail)}`);
  }
  return { bundles, vsixBytes, packageFailure: r.code === 0 ? undefined : r.tail };
}
