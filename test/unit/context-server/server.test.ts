// The context server in-process over a pair of streams, with a fake index: lifecycle, document sync, file watching,
// cancellation, validation and rule-file diagnostics. The real index and the bundled server are exercised by
// test/integration/context-server/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  createConnection,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { startContextServer } from '../../../extension/context-server/server.js';
import { RANK_METHOD, REPO_MAP_METHOD, STATS_METHOD, SYMBOL_METHOD, type RankResult, type StatsResult } from '../../../extension/context-server/protocol.js';
import { fakeBuilder } from './fake-index.js';
import { eventually, fileUri, LspTestClient, requestFailure } from './lsp-test-client.js';

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'tiller-ctx-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/dates.ts'), 'export function parseDate(s: string) { return new Date(s); }\n');
  writeFileSync(join(root, 'src/money.ts'), 'export function formatMoney(n: number) { return n.toFixed(2); }\n');
  writeFileSync(join(root, 'README.md'), 'A small project.\n');
  return root;
}

function start(builder = fakeBuilder(), typingPauseMs?: number) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startContextServer(server, { buildIndex: builder.build, ...(typingPauseMs ? { typingPauseMs } : {}) });
  const client = new LspTestClient(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const dispose = async (): Promise<void> => {
    await client.connection.sendRequest('shutdown');
    client.connection.dispose();
    server.dispose();
  };
  return { client, builder, dispose, server };
}

test('ranks the file that defines the symbol named in the query first, after the background build', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, builder, dispose } = start();
  t.after(dispose);
  await client.initialize(root, { exclude: ['**/dist'], memoryCeilingBytes: 64 * 1024 * 1024 });
  await client.ready();
  const options = await builder.options;
  assert.equal(options.root, root);
  assert.deepEqual(options.exclude, ['**/dist']);
  assert.equal(options.memoryCeilingBytes, 64 * 1024 * 1024);

  const ranked = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'where is parseDate broken?', top: 2 });
  assert.equal(ranked[0]?.path, 'src/dates.ts');
  assert.ok(ranked.length <= 2);

  const symbols = await client.connection.sendRequest<{ path: string }[]>(SYMBOL_METHOD, { name: 'formatMoney' });
  assert.deepEqual(symbols.map((s) => s.path), ['src/money.ts']);
  const map = await client.connection.sendRequest<{ files: { path: string }[] }>(REPO_MAP_METHOD, { query: 'formatMoney', budgetTokens: 100 });
  assert.equal(map.files[0]?.path, 'src/money.ts');

  const stats = await client.connection.sendRequest<StatsResult>(STATS_METHOD);
  assert.equal(stats.ready, true);
  assert.equal(stats.index?.files, 3);
  assert.equal(client.progress.at(-1)?.phase, 'ready');
  // The client said it can register watchers dynamically, so the server asked for one.
  assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
});

test('editor signals travel with the query to the index', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, builder, dispose } = start();
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  const signals = { openFiles: ['src/money.ts'], activeFile: 'src/money.ts', diagnostics: [{ path: 'src/money.ts', line: 1, message: 'x', severity: 'error' }] };
  await client.connection.sendRequest(RANK_METHOD, { query: 'money', signals });
  const index = await builder.built;
  assert.deepEqual(index.queries.at(-1), { text: 'money', ...signals });
});

test('unsaved buffers change the ranking without touching the disk, and closing reverts to the disk', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, dispose } = start();
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  const rank = (query: string) => client.connection.sendRequest<RankResult>(RANK_METHOD, { query });

  assert.deepEqual((await rank('convertCurrency')).map((f) => f.path), []);
  const uri = fileUri(root, 'src/money.ts');
  const original = readFileSync(join(root, 'src/money.ts'), 'utf8');
  await client.open(uri, original);
  // An incremental edit: insert a new function at the end of line 1.
  await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'export function convertCurrency() {}\n' }]);
  assert.deepEqual((await rank('convertCurrency')).map((f) => f.path), ['src/money.ts']);
  assert.equal(readFileSync(join(root, 'src/money.ts'), 'utf8'), original);

  await client.close(uri);
  await eventually(async () => ((await rank('convertCurrency')).length === 0 ? true : undefined), 'the closed buffer to revert');
});

test('files changed, created and deleted on disk reach the index through watched-file events', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, builder, dispose } = start();
  t.after(dispose);
  await client.initialize(root, { exclude: ['**/generated'] });
  await client.ready();
  const rank = (query: string) => client.connection.sendRequest<RankResult>(RANK_METHOD, { query });

  writeFileSync(join(root, 'src/tax.ts'), 'export function computeVat() {}\n');
  mkdirSync(join(root, 'generated'));
  writeFileSync(join(root, 'generated/out.ts'), 'export function computeVat() {}\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [
      { uri: fileUri(root, 'src/tax.ts'), type: FileChangeType.Created },
      { uri: fileUri(root, 'generated/out.ts'), type: FileChangeType.Created },
    ],
  });
  await eventually(async () => ((await rank('computeVat')).length ? true : undefined), 'the created file');
  assert.deepEqual((await rank('computeVat')).map((f) => f.path), ['src/tax.ts']);

  rmSync(join(root, 'src/tax.ts'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, 'src/tax.ts'), type: FileChangeType.Deleted }] });
  assert.deepEqual(await rank('computeVat'), []);
  const index = await builder.built;
  assert.ok(!index.updates.some((u) => u.path.startsWith('generated/')), 'excluded paths are not indexed');
});

test('URIs outside the workspace are ignored, not read', async (t) => {
  const root = workspace();
  const outside = mkdtempSync(join(tmpdir(), 'tiller-outside-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(join(outside, 'secret.ts'), 'export const secretToken = 1;\n');
  const { client, builder, dispose } = start();
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  await client.open(fileUri(outside, 'secret.ts'), 'export const secretToken = 1;\n');
  await client.open(`${fileUri(root, 'src')}/../../${outside.split('/').pop()}/x.ts`, 'secretToken');
  await client.open('untitled:Untitled-1', 'secretToken');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(outside, 'secret.ts'), type: FileChangeType.Changed }] });
  // A link inside the workspace that leads out of it is not followed.
  symlinkSync(join(outside, 'secret.ts'), join(root, 'src/link.ts'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, 'src/link.ts'), type: FileChangeType.Created }] });
  assert.deepEqual(await client.connection.sendRequest(RANK_METHOD, { query: 'secretToken' }), []);
  assert.deepEqual((await builder.built).updates.filter((u) => u.content !== null), []);
});

test('a ranked request made while the index builds waits for it, and a cancelled one is answered RequestCancelled', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  let release!: () => void;
  const { client, dispose } = start(fakeBuilder(new Promise<void>((r) => (release = r))));
  t.after(dispose);
  await client.initialize(root);
  await client.nextProgress((p) => p.phase === 'read');

  const stats = await client.connection.sendRequest<StatsResult>(STATS_METHOD);
  assert.equal(stats.ready, false);
  const cancel = new CancellationTokenSource();
  const cancelled = client.connection.sendRequest(RANK_METHOD, { query: 'parseDate' }, cancel.token);
  const waiting = client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'parseDate' });
  // An edit made during the build is applied once it ends.
  await client.open(fileUri(root, 'src/late.ts'), 'export function parseDate2() {}');
  cancel.cancel();
  const error = await requestFailure(cancelled);
  assert.equal(error.code, LSPErrorCodes.RequestCancelled);
  // Cancelled before the server even dispatched it (the token it gets is already cancelled and never fires).
  const atOnce = new CancellationTokenSource();
  const immediate = client.connection.sendRequest(RANK_METHOD, { query: 'parseDate' }, atOnce.token);
  atOnce.cancel();
  assert.equal((await requestFailure(immediate)).code, LSPErrorCodes.RequestCancelled);

  // A file created on disk during the build (after the walk saw the tree) is read once the build is over.
  writeFileSync(join(root, 'src/during.ts'), 'export function parseDuring() {}\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, 'src/during.ts'), type: FileChangeType.Created }] });
  release();
  assert.equal((await waiting)[0]?.path, 'src/dates.ts');
  const late = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'parseDate2' });
  assert.deepEqual(late.map((f) => f.path), ['src/late.ts']);
  const during = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'parseDuring' });
  assert.deepEqual(during.map((f) => f.path), ['src/during.ts']);
});

test('bad params are an InvalidParams error naming the field', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, dispose } = start();
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  const cases: Array<[string, unknown, RegExp]> = [
    [RANK_METHOD, { query: 'x', top: 'ten' }, /`top`/],
    [RANK_METHOD, { query: '' }, /`query`: must not be empty/],
    [RANK_METHOD, { query: 'x', signals: { openFiles: [3] } }, /`signals\.openFiles\.0`/],
    [RANK_METHOD, { query: 'x', tpo: 3 }, /unknown field tpo/],
    [REPO_MAP_METHOD, { query: 'x' }, /`budgetTokens`/],
    [SYMBOL_METHOD, {}, /`name`/],
    [RANK_METHOD, [1, 2], /`\(params\)`/],
  ];
  for (const [method, params, message] of cases) {
    const error = await requestFailure(client.connection.sendRequest(method, params));
    assert.equal(error.code, ErrorCodes.InvalidParams, method);
    assert.match(error.message, message);
  }
});

test('.tiller/permissions.json problems are published as diagnostics with their line, and cleared when fixed', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, '.tiller'));
  writeFileSync(join(root, '.tiller/permissions.json'), '{\n  "allow": ["read(**)"],\n  "alow": []\n}\n');
  const { client, dispose } = start();
  t.after(dispose);
  const uri = fileUri(root, '.tiller/permissions.json');
  const fromDisk = client.nextDiagnostics(uri);
  await client.initialize(root);
  const first = await fromDisk;
  assert.equal(first.diagnostics.length, 1);
  assert.equal(first.diagnostics[0]?.range.start.line, 2);
  assert.match(first.diagnostics[0]?.message ?? '', /alow/);

  const broken = client.nextDiagnostics(uri);
  await client.open(uri, '{\n  "allow": [\n', 'json');
  const parseError = await broken;
  assert.equal(parseError.diagnostics.length, 1);
  assert.match(parseError.diagnostics[0]?.message ?? '', /not valid JSON/);

  const fixed = client.nextDiagnostics(uri);
  await client.change(uri, [{ text: '{ "allow": ["read(**)"] }\n' }]);
  assert.deepEqual((await fixed).diagnostics, []);
});

test('.claude/settings.json hook and permission problems reach the Problems view with their line; the rest is fine', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, '.claude'));
  const text = '{\n  "permissions": {\n    "deny": ["Bash(rm -rf"]\n  },\n  "hooks": {\n    "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./ok.sh"}]}],\n    "OnBoot": []\n  }\n}\n';
  writeFileSync(join(root, '.claude/settings.json'), text);
  const { client, dispose } = start();
  t.after(dispose);
  const uri = fileUri(root, '.claude/settings.json');
  const fromDisk = client.nextDiagnostics(uri);
  await client.initialize(root);
  const found = (await fromDisk).diagnostics.map((d) => [d.range.start.line, d.message] as const);
  assert.equal(found.length, 2, JSON.stringify(found));
  assert.equal(found.find(([, m]) => /OnBoot/.test(m))?.[0], 6);
  assert.match(found.find(([l]) => l === 2)?.[1] ?? '', /deny `Bash\(rm -rf` cannot be translated/);

  const broken = client.nextDiagnostics(uri);
  await client.open(uri, '{ "hooks": ', 'json');
  assert.match((await broken).diagnostics[0]?.message ?? '', /not valid JSON/);
});

test('a failed build is reported and ranked requests answer with its error', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startContextServer(server, { buildIndex: () => Promise.reject(new Error('grammar dir missing')) });
  const client = new LspTestClient(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  t.after(() => {
    client.connection.dispose();
    server.dispose();
  });
  await client.initialize(root);
  await assert.rejects(client.ready(), /failed/);
  const error = await requestFailure(client.connection.sendRequest(RANK_METHOD, { query: 'x' }));
  assert.match(error.message, /grammar dir missing/);
});

test('after the build, gitignored, binary and minified files stay out of the index; a changed .gitignore is re-read', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, '.gitignore'), 'build/\n*.log\n');
  const { client, builder, dispose } = start();
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  const index = await builder.built;
  const rank = (query: string) => client.connection.sendRequest<RankResult>(RANK_METHOD, { query });
  const created = async (...rels: string[]): Promise<void> => {
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: rels.map((rel) => ({ uri: fileUri(root, rel), type: FileChangeType.Created })),
    });
  };

  mkdirSync(join(root, 'build'));
  writeFileSync(join(root, 'build/out.ts'), 'export function shippedThing() {}\n');
  writeFileSync(join(root, 'debug.log'), 'shippedThing failed\n');
  writeFileSync(join(root, 'src/blob.bin'), Buffer.from([0x73, 0x68, 0, 1, 2, 0x73]));
  writeFileSync(join(root, 'src/min.js'), `var shippedThing=1;${'a=1;'.repeat(2000)}`);
  writeFileSync(join(root, 'src/real.ts'), 'export function shippedThing() {}\n');
  await created('build/out.ts', 'debug.log', 'src/blob.bin', 'src/min.js', 'src/real.ts');
  await eventually(async () => ((await rank('shippedThing')).length ? true : undefined), 'the created file');
  assert.deepEqual((await rank('shippedThing')).map((f) => f.path), ['src/real.ts']);
  assert.deepEqual(index.updates.filter((u) => u.content !== null).map((u) => u.path), ['src/real.ts']);

  // A minified buffer opened in the editor is not indexed either.
  await client.open(fileUri(root, 'src/real.ts'), `export const shippedThing=1;${'b=2;'.repeat(2000)}`);
  assert.deepEqual(await eventually(async () => ((await rank('shippedThing')).length === 0 ? [] : undefined), 'the minified buffer to drop the file'), []);

  writeFileSync(join(root, '.gitignore'), '*.log\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(root, '.gitignore'), type: FileChangeType.Changed }] });
  await created('build/out.ts');
  await eventually(async () => ((await rank('shippedThing')).length ? true : undefined), 'the no longer ignored file');
  assert.deepEqual((await rank('shippedThing')).map((f) => f.path), ['build/out.ts']);
});

test('keystrokes are coalesced: a burst of edits reaches the index once, before the next ranked request', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  // A pause longer than the test: only the request's flush can apply the edits.
  const { client, builder, dispose } = start(fakeBuilder(), 3_600_000);
  t.after(dispose);
  await client.initialize(root);
  await client.ready();
  const uri = fileUri(root, 'src/money.ts');
  await client.open(uri, '');
  for (const ch of 'function typedName() {}') await client.change(uri, [{ range: { start: { line: 0, character: 99 }, end: { line: 0, character: 99 } }, text: ch }]);
  const ranked = await client.connection.sendRequest<RankResult>(RANK_METHOD, { query: 'typedName' });
  assert.deepEqual(ranked.map((f) => f.path), ['src/money.ts']);
  const updates = (await builder.built).updates.filter((u) => u.path === 'src/money.ts');
  assert.deepEqual(updates, [{ path: 'src/money.ts', content: 'function typedName() {}' }]);
});

test('bad initializationOptions fail initialize with an error naming the option', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const { client, server } = start();
  t.after(() => {
    client.connection.dispose();
    server.dispose();
  });
  const error = await requestFailure(client.initialize(root, { exclude: 'node_modules', memoryCeilingBytes: -1 }));
  assert.equal(error.code, ErrorCodes.InvalidParams);
  assert.match(error.message, /`exclude`/);
  assert.match(error.message, /`memoryCeilingBytes`/);
});

test('malformed front matter in a slash command is a diagnostic on its line; fixing the file on disk clears it', async (t) => {
  const root = workspace();
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, '.claude/commands'), { recursive: true });
  writeFileSync(join(root, '.claude/commands/review.md'), '---\ndescription: Review\nallowed-tools: [Read\n---\nReview $ARGUMENTS\n');
  writeFileSync(join(root, '.claude/commands/ok.md'), '---\ndescription: fine\n---\nFine.\n');
  const { client, dispose } = start();
  t.after(dispose);
  const uri = fileUri(root, '.claude/commands/review.md');
  const first = client.nextDiagnostics(uri);
  await client.initialize(root);
  const published = await first;
  assert.equal(published.diagnostics.length, 1);
  assert.ok(published.diagnostics[0]!.range.start.line >= 2, JSON.stringify(published.diagnostics[0]!.range));
  assert.match(published.diagnostics[0]!.message, /front matter is not valid YAML.*not loaded/);
  assert.equal(published.diagnostics[0]!.source, 'tiller');
  assert.equal(client.diagnostics.get(fileUri(root, '.claude/commands/ok.md')), undefined, 'a good file gets nothing');

  const cleared = client.nextDiagnostics(uri);
  writeFileSync(join(root, '.claude/commands/review.md'), '---\ndescription: Review\nallowed-tools: [Read]\n---\nReview $ARGUMENTS\n');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: FileChangeType.Changed }] });
  assert.deepEqual((await cleared).diagnostics, []);
});
