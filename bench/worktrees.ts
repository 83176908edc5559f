// bench:worktrees — wall time of 3 scripted worktree tasks run in parallel (3 CLI processes at once) against the same
// 3 run one after another, and each task's harness memory (peak RSS of its CLI process, from /usr/bin/time -f %M;
// the MCP server children are separate processes and not included), printed side by side. Each task: one model
// reply every step with a fixed latency (BENCH_MODEL_DELAY_MS, default 400, standing in for a provider), a file read,
// an edit applied in the task's worktree, a sandboxed shell command, and the final commit on its branch.
// Run: `npm run bench:worktrees` (builds dist/ first).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startModelServer, type ModelServer, type ScriptedReply } from '../test/fixtures/model-server.js';
import { tempRepo } from '../test/helpers/git-repo.js';

const TASKS = 3;
const DELAY = Number(process.env.BENCH_MODEL_DELAY_MS ?? 400);
const dist = resolve(__dirname, '..', 'dist');

interface RunResult { ms: number; peakRssMb: number; code: number | null }

function script(i: number): ScriptedReply[] {
  const call = (name: string, args: unknown) => ({ name, arguments: args });
  return [
    { toolCalls: [call('workspace__read_file', { path: `f${i}.txt` })], delayMs: DELAY },
    { toolCalls: [call('workspace__propose_edit', { path: `f${i}.txt`, content: `changed by task ${i}\n` })], delayMs: DELAY },
    { toolCalls: [call('shell__run_command', { command: 'git status --short && ls' })], delayMs: DELAY },
    { text: `Task ${i} done.`, delayMs: DELAY },
  ];
}

function runTask(repo: string, home: string, model: ModelServer, i: number): Promise<RunResult> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-f', 'TILLER-PEAK-RSS-KB %M', process.execPath, join(dist, 'cli.js'), 'run', `Change f${i}.txt`, '--worktree', '--workspace', repo, '--base-url', model.baseUrl, '--model', 'fixture-large', '--approve', 'all'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TILLER_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const kb = /TILLER-PEAK-RSS-KB (\d+)/.exec(stderr);
      if (code !== 0) process.stderr.write(stderr);
      done({ ms: performance.now() - started, peakRssMb: kb ? Number(kb[1]) / 1024 : NaN, code });
    });
  });
}

async function round(parallel: boolean): Promise<{ wallMs: number; runs: RunResult[] }> {
  const repo = tempRepo(Object.fromEntries(Array.from({ length: TASKS }, (_, i) => [`f${i}.txt`, `file ${i}\n`])));
  const home = mkdtempSync(join(tmpdir(), 'tiller-bench-home-'));
  const models = await Promise.all(Array.from({ length: TASKS }, (_, i) => startModelServer({ script: script(i) })));
  const started = performance.now();
  let runs: RunResult[] = [];
  try {
    if (parallel) runs = await Promise.all(models.map((m, i) => runTask(repo, home, m, i)));
    else for (const [i, m] of models.entries()) runs.push(await runTask(repo, home, m, i));
    return { wallMs: performance.now() - started, runs };
  } finally {
    await Promise.all(models.map((m) => m.close()));
    rmSync(repo, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm run bench:worktrees does)');
  // A warm-up so the first measured round does not pay for cold caches alone.
  await round(false);
  const sequential = await round(false);
  const parallel = await round(true);
  const failed = [...sequential.runs, ...parallel.runs].filter((r) => r.code !== 0).length;
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`worktree tasks: ${TASKS} scripted tasks (4 model replies of ${DELAY} ms each, a read, an edit, a sandboxed command, a commit), ${cpus().length} cores`);
  console.log('');
  console.log(`                     sequential    parallel`);
  console.log(`wall time            ${f(sequential.wallMs).padStart(10)}  ${f(parallel.wallMs).padStart(10)}   (parallel/sequential ${(parallel.wallMs / sequential.wallMs).toFixed(2)})`);
  for (let i = 0; i < TASKS; i++) {
    const s = sequential.runs[i]!;
    const p = parallel.runs[i]!;
    console.log(`task ${i} time          ${f(s.ms).padStart(10)}  ${f(p.ms).padStart(10)}`);
  }
  for (let i = 0; i < TASKS; i++) {
    const s = sequential.runs[i]!;
    const p = parallel.runs[i]!;
    console.log(`task ${i} peak RSS      ${`${s.peakRssMb.toFixed(0)} MB`.padStart(10)}  ${`${p.peakRssMb.toFixed(0)} MB`.padStart(10)}   (CLI process only)`);
  }
  if (failed) {
    console.log(`\n${failed} run(s) failed; figures above are not comparable`);
    process.exitCode = 1;
  }
}

void main();
