// The sandbox's cost per command: wall time from "run this" to "it exited" for `true` and `node -e 0`, once as the
// shell server ran them before (`/bin/bash -c` in its own process group) and once through the sandbox runner
// (mount plan, bubblewrap, cleanup), interleaved in one run so both see the same machine load. The workspace is this
// repository (its tree is walked for files to hide; node_modules is a symlink and not followed).
// Run: `npm run bench:sandbox`. Target: under 30 ms added at p95.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { createSandboxRunner } from '../extension/core/sandbox/runner.js';
import { buildCommandEnv } from '../mcp-servers/shell/command-env.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const root = realpathSync(resolve(__dirname, '..'));

function exec(file: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd: root, env, detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', fail);
    child.on('close', () => done());
  });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const runner = createSandboxRunner({
    policy: { version: 1, workspaceRoots: [root], caseInsensitive: false, userRules: {}, projectRules: {} },
    mode: 'required',
    home: process.env.HOME ?? homedir(),
  });
  if (!runner.availability.available) {
    process.stderr.write(`no sandbox here: ${runner.availability.missing}; ${runner.availability.howToGet}\n`);
    process.exit(2);
  }
  const env = buildCommandEnv(process.env);
  const commands = ['true', 'node -e 0'];
  const times: Record<string, { plain: number[]; sandboxed: number[] }> = {};
  for (const c of commands) times[c] = { plain: [], sandboxed: [] };
  // Warm-up: the first plan walks the whole tree; later ones reuse the per-directory cache.
  for (const c of commands) {
    const p = await runner.prepare(c, root, env);
    await exec(p.file, p.args, p.env);
    await p.finish();
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const c of commands) {
      let t = performance.now();
      await exec('/bin/bash', ['-c', c], env);
      times[c]!.plain.push(performance.now() - t);
      t = performance.now();
      const p = await runner.prepare(c, root, env);
      await exec(p.file, p.args, p.env);
      await p.finish();
      times[c]!.sandboxed.push(performance.now() - t);
    }
  }
  runner.close();
  const f = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
  console.log(`sandbox: ${runner.availability.mechanism}; workspace ${root}; ${ROUNDS} rounds, interleaved`);
  console.log(`${'command'.padEnd(12)} ${'plain p50'.padStart(10)} ${'plain p95'.padStart(10)} ${'sbx p50'.padStart(10)} ${'sbx p95'.padStart(10)} ${'added p95'.padStart(10)}`);
  let worst = 0;
  for (const c of commands) {
    const { plain, sandboxed } = times[c]!;
    const added = pct(sandboxed, 95) - pct(plain, 95);
    worst = Math.max(worst, added);
    console.log(`${c.padEnd(12)} ${f(pct(plain, 50))} ${f(pct(plain, 95))} ${f(pct(sandboxed, 50))} ${f(pct(sandboxed, 95))} ${f(added)}`);
  }
  console.log(`target: under 30 ms added at p95 — ${worst < 30 ? 'met' : 'NOT met'} (${worst.toFixed(1)} ms)`);
}

void main();
