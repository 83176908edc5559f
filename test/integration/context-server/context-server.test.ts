// The bundled context server spawned over stdio with the real workspace index, driven by a plain LSP client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource, ErrorCodes, FileChangeType, LSPErrorCodes, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { buildBundles } from '../../helpers/bundles.js';
import { RANK_METHOD, STATS_METHOD, SYMBOL_METHOD, type RankResult, type StatsResult, type SymbolResult } from '../../../extension/context-server/protocol.js';
import { fileUri, LspTestClient, requestFailure } from '../../unit/context-server/lsp-test-client.js';
import { sampleWorkspace } from './workspace-fixture.js';
import { writeTree } from '../../unit/context/index/tree.js';

async function spawnServer(): Promise<{ child: ChildProcess; client: LspTestClient; exited: Promise<number | null> }> {
  const dist = await buildBundles();
  const child = spawn(process.execPath, [join(dist, 'context-server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const client = new LspTestClient(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  return { child, client, exited };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the bundled server indexes, ranks, follows unsaved buffers, cancels, validates, and exits on shutdown/exit', async (t) => {
  const root = sampleWorkspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { child, client, exited } = await spawnServer();
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });

  // The build starts on `initialized`: a ranked request before it waits, so cancelling it is deterministic.
  await client.initialize(root, { exclude: ['**/node_modules'] }, false);
  const cancel = new CancellationTokenSource();
  const early = client.connection.sendRequest(RANK_METHOD, { query: 'parseDate' }, cancel.token);
  cancel.cancel();
  assert.equal((await requestFailure(early)).code, LSPErrorCodes.RequestCancelled);
  await client.connection.sendNotification('initialized', {});
  await client.ready();

  const stats = await client.connection.sendRequest<StatsResult>(STATS_METHOD);
  assert.equal(stats.ready, true);
  assert.equal(stats.index?.files, 5);

  const ranked = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'parseDate returns an invalid date', top: 3 });
  assert.equal(ranked[0]?.path, 'src/dates.ts');
  assert.ok(ranked[0]!.reasons.length > 0, 'every ranked file says why');

  const symbols = await client.connection.sendRequest<SymbolResult>(SYMBOL_METHOD, { name: 'formatMoney' });
  assert.equal(symbols[0]?.path, 'src/money.ts');

  // An unsaved buffer defines a new function: it ranks first for it, and the disk is untouched.
  const uri = fileUri(root, 'src/money.ts');
  const onDisk = readFileSync(join(root, 'src/money.ts'), 'utf8');
  const before = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'convertCurrencyRates' });
  assert.notEqual(before[0]?.path, 'src/money.ts');
  await client.open(uri, onDisk);
  await client.change(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'export function convertCurrencyRates(rate: number) {\n  return rate;\n}\n' }]);
  const after = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'convertCurrencyRates' });
  assert.equal(after[0]?.path, 'src/money.ts');
  assert.equal(readFileSync(join(root, 'src/money.ts'), 'utf8'), onDisk);

  // A file created on disk reaches the real index through a watched-file event.
  writeFileSync(join(root, 'lib/ledger.py'), 'def reconcile_ledger(entries):\n    return sum(entries)\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, 'lib/ledger.py'), type: FileChangeType.Created }] });
  const created = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'reconcile_ledger is wrong' });
  assert.equal(created[0]?.path, 'lib/ledger.py');

  const bad = await requestFailure(client.connection.sendRequest(RANK_METHOD, { query: 'parseDate', top: -1 }));
  assert.equal(bad.code, ErrorCodes.InvalidParams);
  assert.match(bad.message, /`top`/);

  await client.connection.sendRequest('shutdown');
  await client.connection.sendNotification('exit');
  assert.equal(await exited, 0);
  assert.equal(isRunning(child.pid!), false);
  client.connection.dispose();
});

test('the server exits when its client goes away without shutting it down', async () => {
  const { child, client, exited } = await spawnServer();
  await client.connection.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  child.stdin!.end();
  assert.equal(await exited, 1);
  assert.equal(isRunning(child.pid!), false);
  client.connection.dispose();
});

test('on a workspace of 2,100 files the bundled server reads with index workers (dist/index-worker.js) and loses none', async (t) => {
  const files: Record<string, string> = {};
  for (let k = 0; k < 2100; k++) files[`pkg${k % 30}/unit${k}.js`] = `export function unit${k}Handler(input) {\n  return input + ${k};\n}\n`;
  files['pkg7/settlement.js'] = 'export function reconcileSettlementBatch(batch) {\n  return batch.filter(Boolean);\n}\n';
  const root = writeTree(files);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { child, client, exited } = await spawnServer();
  t.after(() => {
    if (child.exitCode === null) child.kill();
  });
  await client.initialize(root, {}, false);
  await client.connection.sendNotification('initialized', {});
  await client.ready();

  const stats = await client.connection.sendRequest<StatsResult>(STATS_METHOD);
  assert.equal(stats.index?.files, 2101);
  assert.deepEqual(stats.index?.skipped, []);
  const expected = Math.min(3, availableParallelism() - 1);
  assert.equal(stats.index?.readWorkers?.started, expected, 'one worker per core beside the main thread');
  assert.equal(stats.index?.readWorkers?.failed, 0);
  const ranked = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'reconcileSettlementBatch drops entries', top: 1 });
  assert.equal(ranked[0]?.path, 'pkg7/settlement.js');
  await client.connection.sendRequest('shutdown');
  await client.connection.sendNotification('exit');
  assert.equal(await exited, 0);
});
