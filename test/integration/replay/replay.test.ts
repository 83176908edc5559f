// Replay end to end: a twenty-step session recorded through the real harness (fixture model over HTTP, built MCP
// servers over stdio) replays with no difference; a deliberate change to prompt assembly is reported at the first
// step it changes; the CLI's exit codes follow.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../helpers/bundles.js';
import { FIXTURE_PRICES, runTaskOnce, writeWorkspace, type TaskRun } from '../../evals/lib/run-task.js';
import { buildLedger } from '../../../extension/core/trace/ledger.js';
import { replaySession } from '../../../extension/core/run-replay.js';
import { formatComparison } from '../../../extension/core/trace/replay/compare.js';
import { plainContext, type ContextHooks } from '../../../extension/core/agent/context-hooks.js';
import { summarizeTrace } from '../../../extension/core/trace/summary.js';
import { main } from '../../../extension/cli/main.js';
import type { CliIo } from '../../../extension/cli/io.js';
import { PassThrough } from 'node:stream';
import { TWENTY_STEP_FILES, TWENTY_STEP_SCRIPT, TWENTY_STEP_TASK, twentyStepAnswer, twentyStepApprove } from './twenty-steps.js';

let dist = '';
let recorded: TaskRun;
let fixture = '';
const home = mkdtempSync(join(tmpdir(), 'tiller-replay-home-'));
const previousHome = process.env.TILLER_HOME;

before(async () => {
  process.env.TILLER_HOME = home;
  dist = await buildBundles();
  recorded = await runTaskOnce({
    files: TWENTY_STEP_FILES,
    task: TWENTY_STEP_TASK,
    script: TWENTY_STEP_SCRIPT,
    approve: twentyStepApprove,
    answer: twentyStepAnswer,
    distDir: dist,
  });
  // The workspace as it was before the session: replay copies it.
  fixture = writeWorkspace(TWENTY_STEP_FILES);
});
after(() => {
  if (previousHome === undefined) delete process.env.TILLER_HOME;
  else process.env.TILLER_HOME = previousHome;
});

test('the recorded session has twenty coordinator steps, an explorer, a declined edit, a denied read and a question', () => {
  const s = summarizeTrace(recorded.events);
  assert.equal(recorded.outcome.status, 'done', recorded.outcome.summary);
  assert.equal(s.steps, 20);
  assert.ok(s.byAgent['explorer-1']);
  assert.equal(s.decisions.deny, 1);
  assert.equal(s.approvals.denied, 1);
  assert.ok(recorded.events.some((e) => e.type === 'question' && e.answer === 'yes, two numbers'));
  assert.equal(readFileSync(join(recorded.workspace, 'README.md'), 'utf8'), '# demo\n\nadd and subtract numbers.\n');
  const start = recorded.events[0]!;
  assert.ok(start.type === 'session_start' && start.traceVersion === 2);
  for (const e of recorded.events) if (e.type === 'model_call') assert.match(e.requestHash ?? '', /^[0-9a-f]{64}$/);
  // Prompts stay out of the trace unless the user opts in.
  assert.ok(recorded.events.every((e) => e.type !== 'model_call' || e.request === undefined));
});

test('replaying the session on the commit that recorded it finds no difference', async () => {
  const report = await replaySession({ trace: recorded.tracePath, workspace: fixture, distDir: dist });
  assert.equal(report.same, true, formatComparison(report));
  assert.equal(report.replayedStatus, 'done');
  assert.deepEqual(report.modelCalls, { recorded: 22, served: 22, overrun: 0 });
  assert.deepEqual(report.unanswered, []);
  assert.match(formatComparison(report), /no difference/);
  // The fixture itself is never changed: replay works on a copy.
  assert.equal(readFileSync(join(fixture, 'src/math.js'), 'utf8'), TWENTY_STEP_FILES['src/math.js']);
});

test('a change to prompt assembly from step 8 on is reported at step 8 as a different prompt', async () => {
  // The baseline is recorded with known hooks (the plain conversation), so the change below is the only difference.
  const baseline = await runTaskOnce({
    files: TWENTY_STEP_FILES,
    task: TWENTY_STEP_TASK,
    script: TWENTY_STEP_SCRIPT,
    approve: twentyStepApprove,
    answer: twentyStepAnswer,
    distDir: dist,
    context: plainContext,
  });
  const same = await replaySession({ trace: baseline.tracePath, workspace: fixture, distDir: dist, context: plainContext });
  assert.equal(same.same, true, formatComparison(same));
  const changed: ContextHooks = {
    ...plainContext,
    async prepare({ step, messages, agentId }) {
      if (agentId === 'main' && step === 8) return [...messages, { role: 'user', content: 'Reminder: keep answers short.' }];
      return messages;
    },
  };
  const report = await replaySession({ trace: baseline.tracePath, workspace: fixture, distDir: dist, context: changed });
  assert.equal(report.same, false);
  assert.equal(report.first?.step, 8);
  assert.equal(report.first?.agent, 'main');
  assert.equal(report.first?.kind, 'prompt');
  // Steps before it are all the same.
  for (const s of report.steps) if (s.agent === 'main' && s.step >= 1 && s.step < 8) assert.deepEqual(s.differing, [], `step ${s.step}`);
  assert.ok(report.more > 0);
  const text = formatComparison(report);
  assert.match(text, /first difference at step 8 \(main\): a different prompt/);
});

test('tiller replay exits 0 with "no difference", 1 with the first difference, and 2 naming the problem without --workspace', async () => {
  const run = async (argv: string[]) => {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    const io: CliIo = { stdin: new PassThrough(), stdout: out, stderr: err, env: {}, distDir: dist, onInterrupt() {} };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  };
  const ok = await run(['replay', recorded.tracePath, '--workspace', fixture]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /no difference/);
  // The workspace differs from the recorded one (the README): the read at step 17 returns something else.
  const changed = writeWorkspace({ ...TWENTY_STEP_FILES, 'README.md': '# demo\n\nadd numbers!\n' });
  const different = await run(['replay', recorded.tracePath, '--workspace', changed]);
  assert.equal(different.code, 1, different.stdout + different.stderr);
  assert.match(different.stdout, /first difference at step 17 \(main\): a different tool result/);
  const missing = await run(['replay', recorded.tracePath]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--workspace DIR is required/);
});

test('the cost ledger equals the usage the fixture reported, exactly, per agent too', () => {
  const ledger = buildLedger(recorded.events);
  assert.equal(recorded.reported.length, 22);
  const sum = (us: typeof recorded.reported) => ({ p: us.reduce((n, u) => n + u.prompt_tokens, 0), c: us.reduce((n, u) => n + u.completion_tokens, 0) });
  const all = sum(recorded.reported);
  assert.equal(ledger.total.promptTokens, all.p);
  assert.equal(ledger.total.completionTokens, all.c);
  assert.equal(ledger.total.estimatedCalls, 0);
  // The explorer's two calls were the fifth and sixth the fixture answered.
  const explorer = sum(recorded.reported.slice(4, 6));
  assert.equal(ledger.byAgent['explorer-1']!.promptTokens, explorer.p);
  assert.equal(ledger.byAgent['explorer-1']!.completionTokens, explorer.c);
  const price = FIXTURE_PRICES['fixture-large']!;
  assert.ok(Math.abs(ledger.total.costUsd - (all.p * price.inputPerMTok + all.c * price.outputPerMTok) / 1e6) < 1e-12);
  const toolShares = Object.values(ledger.byTool).reduce((n, x) => n + x.promptTokens, 0);
  assert.ok(Math.abs(toolShares - all.p) < 1e-6);
});

test('tiller trace show prints the ledger; tiller trace export --otlp writes spans without prompts', async () => {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout: out, stderr: new PassThrough(), env: {}, distDir: dist, onInterrupt() {} };
  assert.equal(await main(['trace', 'show', recorded.tracePath], io), 0);
  assert.match(stdout, /cost ledger/);
  assert.match(stdout, /by server[\s\S]*workspace/);
  assert.match(stdout, /explorer-1/);
  const file = join(mkdtempSync(join(tmpdir(), 'tiller-otlp-')), 'spans.json');
  assert.equal(await main(['trace', 'export', recorded.tracePath, '--otlp', file], io), 0);
  const otlp = JSON.parse(readFileSync(file, 'utf8')) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
  const spans = otlp.resourceSpans[0]!.scopeSpans[0]!.spans;
  assert.equal(spans.filter((s) => s.name.startsWith('chat ')).length, 22);
  assert.ok(spans.filter((s) => s.name.startsWith('execute_tool ')).length >= 15);
  assert.doesNotMatch(readFileSync(file, 'utf8'), /Fix add\(\)/);
});
