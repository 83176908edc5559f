// Permission decision time: a realistic mix of reads, writes, shell commands (simple, chained, substituted, heredocs,
// loops) and MCP tools, decided by the engine built the way the harness builds it, 20,000 decisions after a warm-up.
// The same actions are decided in the same run by the engine as it was before issue 12 (the hand-written shell
// lexer), checked out of git at BASELINE into a temporary directory, so the two figures sit side by side.
// Run: `npm run bench:policy`. Target: p95 under 2 ms with the tree-sitter parser.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPolicyEngine } from '../extension/core/policy/engine.js';
import { initShellParser } from '../extension/core/policy/shell-parser.js';
import { splitShell } from '../extension/core/policy/shell.js';
import type { PolicyAction, PolicyEngine } from '../extension/core/policy/types.js';

/** The last commit with the hand-written lexer (extension/core/policy/shell.ts before tree-sitter). */
const BASELINE = '6c47480';

const root = mkdtempSync(join(tmpdir(), 'tiller-policy-bench-'));
for (const d of ['src/a', 'src/b', 'test', '.tiller']) mkdirSync(join(root, d), { recursive: true });
for (const f of ['src/a/x.ts', 'src/b/y.ts', 'test/x.test.ts', '.env', 'README.md']) writeFileSync(join(root, f), 'x');

const options = {
  workspaceRoots: [root],
  userRules: { deny: ['shell(git push *)', 'shell(rm -rf *)'], allow: ['shell(npm test)', 'shell(npm run *)', 'shell(git *)', 'shell(cat *)', 'shell(echo *)', 'shell(ls *)'] },
  projectRules: { allow: ['write(src/**)', 'mcp(github.get_*)'], ask: ['write(src/generated/**)'], deny: ['read(**/private/**)'] },
};

const actions: PolicyAction[] = [
  { kind: 'read', path: 'src/a/x.ts' },
  { kind: 'read', path: '.env' },
  { kind: 'read', path: '../../etc/passwd' },
  { kind: 'write', path: 'src/b/y.ts' },
  { kind: 'write', path: '.git/config' },
  { kind: 'write', path: 'src/generated/z.ts' },
  { kind: 'shell', command: 'npm test' },
  { kind: 'shell', command: 'npm run build && npm test 2>&1 | tail -20' },
  { kind: 'shell', command: 'git status; git diff --stat' },
  { kind: 'shell', command: 'echo $(cat .env) > out.txt' },
  { kind: 'shell', command: 'bash -c "git push origin main"' },
  { kind: 'shell', command: 'find src -name "*.ts" | xargs grep -n TODO' },
  { kind: 'shell', command: `git commit -m "$(cat <<'EOF'\nFix the parser\n\nBody.\nEOF\n)"` },
  { kind: 'shell', command: 'for f in src/a/*.ts; do cat "$f"; done' },
  { kind: 'shell', command: 'ls src/*/ # list' },
  { kind: 'mcp', tool: 'github.get_issue' },
  { kind: 'mcp', tool: 'github.create_pull_request' },
];

interface Figures {
  byKind: Record<string, number[]>;
  all: number[];
}

function measure(engine: PolicyEngine): Figures {
  for (let i = 0; i < 2000; i++) engine.decide(actions[i % actions.length]!);
  const byKind: Record<string, number[]> = {};
  const all: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const a = actions[i % actions.length]!;
    const t0 = performance.now();
    engine.decide(a);
    const dt = performance.now() - t0;
    all.push(dt);
    (byKind[a.kind] ??= []).push(dt);
  }
  return { byKind, all };
}

function splitTimes(split: (line: string) => unknown): number[] {
  const lines = actions.filter((a): a is Extract<PolicyAction, { kind: 'shell' }> => a.kind === 'shell').map((a) => a.command);
  for (let i = 0; i < 1000; i++) split(lines[i % lines.length]!);
  const out: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t0 = performance.now();
    split(lines[i % lines.length]!);
    out.push(performance.now() - t0);
  }
  return out;
}

/** The baseline engine and splitter, from git; undefined when the commit is not available (a shallow clone). */
async function baseline(): Promise<{ engine: PolicyEngine; split: (line: string) => unknown } | undefined> {
  const repo = resolve(__dirname, '..');
  // Inside the repository, so the baseline's own imports (minimatch) resolve; removed once loaded.
  const dir = mkdtempSync(join(repo, 'bench', '.baseline-'));
  try {
    const files = execFileSync('git', ['ls-tree', '--name-only', `${BASELINE}:extension/core/policy/`], { cwd: repo, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
    for (const f of files) writeFileSync(join(dir, f), execFileSync('git', ['show', `${BASELINE}:extension/core/policy/${f}`], { cwd: repo }));
  } catch (e) {
    console.log(`(baseline ${BASELINE} not available: ${(e as Error).message.split('\n')[0]})`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  try {
    const engineModule = (await import(join(dir, 'engine.ts'))) as { createPolicyEngine: typeof createPolicyEngine };
    const shellModule = (await import(join(dir, 'shell.ts'))) as { splitShell: (line: string) => unknown };
    return { engine: engineModule.createPolicyEngine(options), split: shellModule.splitShell };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const us = (ms: number | undefined) => (ms === undefined ? '      –   ' : `${(ms * 1000).toFixed(1).padStart(7)} µs`);

async function main(): Promise<void> {
  await initShellParser();
  const now = measure(createPolicyEngine(options));
  const nowSplit = splitTimes(splitShell);
  const old = await baseline();
  const before = old ? measure(old.engine) : undefined;
  const beforeSplit = old ? splitTimes(old.split) : undefined;

  console.log(`policy decisions: ${now.all.length} over ${actions.length} distinct actions (real files, symlink-resolving paths)`);
  console.log(`${''.padEnd(14)}${'tree-sitter (now)'.padEnd(36)}hand-written lexer (${BASELINE})`);
  console.log(`${''.padEnd(14)}${'p50        p95        p99'.padEnd(36)}p50        p95        p99`);
  const row = (label: string, a: number[], b: number[] | undefined) =>
    console.log(`  ${label.padEnd(12)}${[50, 95, 99].map((p) => us(pct(a, p))).join(' ').padEnd(36)}${[50, 95, 99].map((p) => us(b ? pct(b, p) : undefined)).join(' ')}`);
  for (const kind of Object.keys(now.byKind)) row(kind, now.byKind[kind]!, before?.byKind[kind]);
  row('all', now.all, before?.all);
  row('split only', nowSplit, beforeSplit);
  const p95 = pct(now.all, 95);
  console.log(`target p95 < 2 ms with the tree-sitter parser: ${p95 < 2 ? 'met' : 'NOT met'} (${us(p95).trim()})`);
}

void main();
