// `tiller context` through the CLI bundle: the index built in-process, ranked files as a table or JSON, exit 2 on
// usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RankedFile } from '../../../extension/core/context/index/types.js';
import { buildBundles } from '../../helpers/bundles.js';
import { sampleWorkspace } from './workspace-fixture.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tiller(args: string[]): Promise<Run> {
  const cli = join(await buildBundles(), 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, TILLER_HOME: '/nonexistent-tiller-home' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('tiller context --json prints the ranked files, the defining file first, each with reasons', async (t) => {
  const root = sampleWorkspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const run = await tiller(['context', '--workspace', root, '--query', 'TypeError in parseDate when the text is empty', '--top', '2', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const ranked = JSON.parse(run.stdout) as RankedFile[];
  assert.ok(ranked.length >= 1 && ranked.length <= 2);
  assert.equal(ranked[0]?.path, 'src/dates.ts');
  for (const file of ranked) {
    assert.equal(typeof file.score, 'number');
    assert.ok(file.reasons.length > 0);
  }
});

test('tiller context prints a table of rank, score, path and reasons', async (t) => {
  const root = sampleWorkspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const run = await tiller(['context', '--workspace', root, '--query', 'formatMoney']);
  assert.equal(run.code, 0, run.stderr);
  const [first, ...rest] = run.stdout.trimEnd().split('\n');
  assert.match(first ?? '', /^1\.\s+\d+\.\d{3}\s+src\/money\.ts$/);
  assert.ok(rest.some((line) => /^\s+- \S/.test(line)), 'reasons are listed under the file');
});

test('tiller context: usage errors exit 2 and say what is wrong', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['context', '--query', 'x'], /--workspace DIR is required/],
    [['context', '--workspace', '.'], /--query TEXT is required/],
    [['context', '--workspace', '.', '--query', 'x', '--top', 'many'], /--top must be a whole number/],
    [['context', '--workspace', '/nonexistent/tiller/ws', '--query', 'x'], /workspace folder not found/],
    [['context', '--workspace', '.', '--query', 'x', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const run = await tiller(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, message);
  }
});
