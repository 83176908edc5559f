// `npm run eval [-- NAME...] [--history FILE]`: the scripted eval suite through the real harness, printed as a table,
// appended to the history, compared with the last run. With TILLER_BASE_URL (and TILLER_MODEL, TILLER_API_KEY) set,
// the same tasks run against that endpoint with the real model deciding.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../helpers/bundles.js';
import { modelConfigFrom } from '../../extension/cli/config.js';
import { tillerHome } from '../../extension/core/harness.js';
import { ALL_TASKS } from './tasks/index.js';
import { appendHistory, formatChange, formatTable, historyEntry, previousEntry, runEvalSuite } from './lib/suite.js';

async function main(argv: string[]): Promise<number> {
  const historyAt = argv.indexOf('--history');
  const history = historyAt >= 0 ? argv[historyAt + 1] : join(tillerHome(), 'evals', 'history.jsonl');
  if (!history) throw new Error('--history needs a file path');
  const names = argv.filter((a, i) => !a.startsWith('--') && i !== historyAt + 1);
  const unknown = names.filter((n) => !ALL_TASKS.some((t) => t.name === n));
  if (unknown.length) throw new Error(`no eval task named ${unknown.join(', ')}; tasks: ${ALL_TASKS.map((t) => t.name).join(', ')}`);
  const tasks = names.length ? ALL_TASKS.filter((t) => names.includes(t.name)) : ALL_TASKS;

  const endpoint = process.env.TILLER_BASE_URL ? modelConfigFrom({}, process.env) : undefined;
  // Scripted runs spend nothing: keep their sessions and spend records out of the user's TILLER_HOME.
  if (!endpoint) process.env.TILLER_HOME = mkdtempSync(join(tmpdir(), 'tiller-eval-home-'));
  const label = endpoint ? `${endpoint.baseUrl} (${endpoint.largeModel}), real model deciding` : 'scripted fixture model';
  process.stderr.write(`running ${tasks.length} eval task(s) against the ${label}\n`);

  const distDir = await buildBundles();
  const results = await runEvalSuite(tasks, {
    distDir,
    ...(endpoint ? { endpoint } : {}),
    onResult: (r) => process.stderr.write(`  ${r.pass ? 'pass' : 'FAIL'} ${r.name}\n`),
  });
  process.stdout.write(formatTable(results) + '\n');
  const entry = historyEntry(results, endpoint ? endpoint.baseUrl : 'scripted', endpoint ? endpoint.largeModel : 'fixture-large');
  const previous = previousEntry(history, entry.endpoint, entry.model, entry.tasks.map((t) => t.name));
  appendHistory(history, entry);
  process.stdout.write(formatChange(previous, entry) + `\nhistory: ${history}\n`);
  return entry.passed === entry.total ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
