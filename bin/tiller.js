#!/usr/bin/env node
// The `tiller` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs via `prepare`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('tiller: the CLI is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n');
  process.exit(2);
}
require(cli).runFromProcess();
