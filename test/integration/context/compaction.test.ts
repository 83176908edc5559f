// The real context hooks through the harness, the real model client and the fixture model over HTTP: a long task on
// a model with a small window is compacted (masking, then a small-model summary that is traced and charged), and the
// goal, the constraint and the agent's notes are still in the prompt at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModelServer, type RecordedRequest, type ScriptedReply } from '../../fixtures/model-server.js';
import { fakeHost } from '../../helpers/fakes.js';
import { createHarness } from '../../../extension/core/harness.js';
import { readTrace } from '../../../extension/core/trace/read.js';
import { memoryPath, SessionMemory } from '../../../extension/core/memory/session-memory.js';

const GOAL = 'Make the retry queue drop expired jobs (ticket KESTREL-301).';
const STEPS = 30;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const text = (body: any) => (body.messages as { content?: string | null }[]).map((m) => m.content ?? '').join('\n');

test('a long task is compacted by masking and a traced small-model summary, and the goal survives', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tiller-ctx-home-'));
  const ws = mkdtempSync(join(tmpdir(), 'tiller-ctx-ws-'));
  writeFileSync(join(ws, 'AGENTS.md'), 'Run `npm run check:queue` after every change.\n');
  const previousHome = process.env.TILLER_HOME;
  process.env.TILLER_HOME = home;
  let step = 0;
  const script = (request: RecordedRequest): ScriptedReply => {
    if (request.body.model === 'fixture-small') return { text: 'Summary: read queue files. Note: the TTL constant is TTL_MS_90210.' };
    step++;
    if (step === STEPS) return { text: 'Done: expired jobs are dropped.' };
    return {
      text: step === 2 ? 'Note: the TTL constant is TTL_MS_90210.' : '',
      toolCalls: [{ name: 'workspace__read_file', arguments: { path: `src/queue/part${step}.ts` } }],
    };
  };
  const server = await startModelServer({ script });
  const host = fakeHost({ 'workspace.read_file': (a) => ({ content: `// ${String(a.path)}\n${'queue.push(job); '.repeat(400)}`, isError: false }) });
  try {
    const harness = await createHarness(
      { workspaceRoot: ws, model: { baseUrl: server.baseUrl, largeModel: 'fixture-large', smallModel: 'fixture-small', maxRetries: 0 }, approver: { approve: async () => ({ approved: true }), askUser: async () => undefined }, distDir: '/nonexistent' },
      { toolHost: host, contextWindows: { 'fixture-large': 12_000 } },
    );
    const outcome = await harness.run(`${GOAL} Don't touch src/queue/legacy.ts.`, { budgets: { maxSteps: STEPS + 2 } });
    const inspection = harness.inspectContext();
    await harness.close();
    assert.equal(outcome.status, 'done', outcome.summary);

    // Every request the large model got kept the goal, the constraint and the project rule; every call answered.
    const large = server.requests.filter((r) => r.body.model === 'fixture-large');
    assert.equal(large.length, STEPS);
    for (const r of large) {
      const t = text(r.body);
      assert.ok(t.includes('KESTREL-301') && t.includes("Don't touch src/queue/legacy.ts") && t.includes('npm run check:queue'));
      const calls = new Set<string>();
      const answers = new Set<string>();
      for (const m of r.body.messages) {
        for (const c of m.tool_calls ?? []) calls.add(c.id);
        if (m.role === 'tool') answers.add(m.tool_call_id);
      }
      assert.deepEqual([...answers].sort(), [...calls].sort());
    }
    const last = text(large.at(-1)!.body);
    assert.match(last, /\[output of workspace\.read_file src\/queue\/part\d+\.ts elided; [\d,]+ tokens; read it again if needed\]/);
    assert.match(last, /\[Task record[\s\S]*Goal:\nMake the retry queue[\s\S]*Note: the TTL constant is TTL_MS_90210/);
    // The prompt never outgrew the model's 12k window (estimated at four characters a token).
    for (const r of large) assert.ok(JSON.stringify(r.body.messages).length / 4 < 12_000);

    // The summary went through the small model, was traced as a compaction call and charged to the task.
    const small = server.requests.filter((r) => r.body.model === 'fixture-small');
    assert.ok(small.length >= 1, 'at least one summary');
    assert.match(small[0]!.body.messages[0].content, /compress the early part/);
    const { events } = readTrace(harness.tracePath);
    const compactionCalls = events.filter((e) => e.type === 'model_call' && e.purpose === 'compaction');
    assert.equal(compactionCalls.length, small.length);
    assert.equal(outcome.totals.modelCalls, STEPS + small.length);
    assert.ok(events.some((e) => e.type === 'notice' && /^compaction: masked \d+ old tool outputs/.test(e.message)));

    // The inspector, the task record on disk and the session memory for the next task.
    assert.ok(inspection && inspection.totalTokens <= inspection.budget && inspection.items.some((i) => i.kind === 'task_record'));
    const tasks = readdirSync(join(home, 'tasks'));
    assert.equal(tasks.length, 1);
    const memory = new SessionMemory(memoryPath(home, realpathSync(ws)));
    assert.ok(existsSync(memory.path));
    assert.match(memory.recall('retry queue expired jobs')[0]!.summary, /expired jobs are dropped/);
  } finally {
    if (previousHome === undefined) delete process.env.TILLER_HOME;
    else process.env.TILLER_HOME = previousHome;
    await server.close();
  }
});
