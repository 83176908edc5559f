// Every trace in test/replays/<name>/trace.jsonl is a regression test: replayed against the harness as it is now,
// from the workspace in test/replays/<name>/workspace/, it must show no difference. When a change in behaviour is
// intended, re-record with `node --import tsx test/replays/record.ts` and review the trace diff.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles, repoRoot } from '../../helpers/bundles.js';
import { replaySession } from '../../../extension/core/run-replay.js';
import { formatComparison } from '../../../extension/core/trace/replay/compare.js';

const replays = join(repoRoot, 'test', 'replays');
const names = readdirSync(replays, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(replays, d.name, 'trace.jsonl')))
  .map((d) => d.name)
  .sort();

let dist = '';
const previousHome = process.env.TILLER_HOME;
before(async () => {
  process.env.TILLER_HOME = mkdtempSync(join(tmpdir(), 'tiller-replays-home-'));
  dist = await buildBundles();
});
after(() => {
  if (previousHome === undefined) delete process.env.TILLER_HOME;
  else process.env.TILLER_HOME = previousHome;
});

test('test/replays holds at least one recorded session', () => {
  assert.ok(names.length > 0);
});

for (const name of names) {
  test(`replay ${name}: no difference`, async () => {
    const dir = join(replays, name);
    const report = await replaySession({ trace: join(dir, 'trace.jsonl'), workspace: join(dir, 'workspace'), distDir: dist });
    assert.equal(
      report.same,
      true,
      `${name} now behaves differently:\n${formatComparison(report)}\nIf the change is intended, re-record: node --import tsx test/replays/record.ts`,
    );
  });
}
