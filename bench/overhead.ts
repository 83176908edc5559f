// Harness overhead per step, excluding model time: a 100-step scripted session through the real harness (fixture
// model over HTTP, built-in MCP servers over stdio, the permission engine, the trace on disk). For each step the
// wall time from one model reply to the next request, minus nothing else: that is the harness's own time (tool
// gate, policy, MCP round trip, trace write, prompt preparation). Tool execution inside the MCP server is reported
// beside it, from the trace, so the two can be told apart. Run: `npm run bench:overhead` (builds first).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHarness } from '../extension/core/harness.js';
import { readTrace } from '../extension/core/trace/read.js';
import { startModelServer, type ScriptedReply } from '../test/fixtures/model-server.js';

const STEPS = Number(process.env.BENCH_STEPS ?? 100);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'tiller-bench-'));
  for (let i = 0; i < 20; i++) {
    mkdirSync(join(ws, 'src', `m${i}`), { recursive: true });
    writeFileSync(join(ws, 'src', `m${i}`, 'index.ts'), `export function f${i}(x: number) {\n  return x * ${i};\n}\n`.repeat(20));
  }
  const tools = [
    (i: number) => ({ name: 'workspace__read_file', arguments: { path: `src/m${i % 20}/index.ts`, startLine: 1 + (i % 7) } }),
    (i: number) => ({ name: 'workspace__search_text', arguments: { query: `f${i % 20}(` } }),
    (i: number) => ({ name: 'workspace__list_dir', arguments: { path: `src/m${i % 20}` } }),
    (i: number) => ({ name: 'workspace__find_files', arguments: { pattern: `src/m${i % 20}/*.ts` } }),
  ];
  const script: ScriptedReply[] = Array.from({ length: STEPS - 1 }, (_, i) => ({ toolCalls: [tools[i % tools.length]!(i)] }));
  script.push({ text: 'done' });

  // When each request arrives at the model server, and when each reply finished, give the gaps between model calls.
  const server = await startModelServer({ script });
  const modelSpans: { start: number; end: number }[] = [];
  const harness = await createHarness({
    workspaceRoot: ws,
    model: { baseUrl: server.baseUrl, largeModel: 'fixture-large' },
    approver: { approve: async () => ({ approved: true }), askUser: async () => undefined },
    distDir: resolve(__dirname, '../dist'),
    tracePath: join(ws, '..', `bench-${Date.now()}.jsonl`),
  });
  const wrapStart = performance.now();
  let current: { start: number; end: number } | undefined;
  const outcome = await harness.run('benchmark', {
    budgets: { maxSteps: STEPS + 1 },
    onEvent: (e) => {
      if (e.type === 'step') {
        current = { start: performance.now(), end: 0 };
        modelSpans.push(current);
      } else if (e.type === 'tool_call' && current && !current.end) {
        current.end = performance.now();
      }
    },
  });
  const wall = performance.now() - wrapStart;
  await harness.close();
  await server.close();
  if (outcome.status !== 'done' || outcome.totals.steps !== STEPS) throw new Error(`benchmark session ended ${outcome.status} after ${outcome.totals.steps} steps`);

  // Step i's harness time: from its model reply (tool_call event) to the start of step i+1's model call.
  const harnessMs: number[] = [];
  for (let i = 0; i + 1 < modelSpans.length; i++) harnessMs.push(modelSpans[i + 1]!.start - modelSpans[i]!.end);
  const { events } = readTrace(harness.tracePath);
  const toolMs = events.flatMap((e) => (e.type === 'tool_result' ? [e.durationMs] : []));
  const modelMs = events.flatMap((e) => (e.type === 'model_call' ? [e.latencyMs] : []));
  const sorted = [...harnessMs].sort((a, b) => a - b);
  const toolSorted = [...toolMs].sort((a, b) => a - b);
  const perStepOwn = harnessMs.map((h, i) => h - (toolMs[i] ?? 0)).sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(2).padStart(8);
  console.log(`harness overhead over a ${STEPS}-step scripted session (fixture model on loopback, real MCP servers)`);
  console.log(`                                   p50       p95       max   (ms per step)`);
  console.log(`harness time excl. model     ${fmt(percentile(sorted, 50))}  ${fmt(percentile(sorted, 95))}  ${fmt(sorted.at(-1)!)}`);
  console.log(`  of which MCP tool call     ${fmt(percentile(toolSorted, 50))}  ${fmt(percentile(toolSorted, 95))}  ${fmt(toolSorted.at(-1)!)}`);
  console.log(`  harness minus tool call    ${fmt(percentile(perStepOwn, 50))}  ${fmt(percentile(perStepOwn, 95))}  ${fmt(perStepOwn.at(-1)!)}`);
  console.log(`model call (loopback fixture)${fmt(percentile([...modelMs].sort((a, b) => a - b), 50))}  ${fmt(percentile([...modelMs].sort((a, b) => a - b), 95))}`);
  console.log(`session wall ${(wall / 1000).toFixed(2)} s, ${outcome.totals.steps} steps, ${outcome.totals.toolCalls} tool calls; target p95 < 20 ms: ${percentile(sorted, 95) < 20 ? 'met' : 'NOT met'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
