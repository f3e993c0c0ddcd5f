#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled by `npm run build` (run by `npm install` through `prepare`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  console.error('xavier-lens: dist/cli.js is missing; run `npm run build` first.');
  process.exit(2);
}
require(bundle);
