// Permission decision time: a realistic mix of reads, writes, shell commands (simple, chained, substituted) and MCP
// tools, decided by the engine built the way the harness builds it, 20,000 decisions after a warm-up.
// Run: `npm run bench:policy`. Target: p95 under 1 ms.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicyEngine } from '../extension/core/policy/engine.js';
import type { PolicyAction } from '../extension/core/policy/types.js';

const root = mkdtempSync(join(tmpdir(), 'tiller-policy-bench-'));
for (const d of ['src/a', 'src/b', 'test', '.tiller']) mkdirSync(join(root, d), { recursive: true });
for (const f of ['src/a/x.ts', 'src/b/y.ts', 'test/x.test.ts', '.env', 'README.md']) writeFileSync(join(root, f), 'x');

const engine = createPolicyEngine({
  workspaceRoots: [root],
  userRules: { deny: ['shell(git push *)', 'shell(rm -rf *)'], allow: ['shell(npm test)', 'shell(npm run *)'] },
  projectRules: { allow: ['write(src/**)', 'mcp(github.get_*)'], ask: ['write(src/generated/**)'], deny: ['read(**/private/**)'] },
});

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
  { kind: 'mcp', tool: 'github.get_issue' },
  { kind: 'mcp', tool: 'github.create_pull_request' },
];

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
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1).padStart(7)} µs`;
console.log(`policy decisions: ${all.length} over ${actions.length} distinct actions (real files, symlink-resolving paths)`);
for (const [kind, xs] of Object.entries(byKind)) console.log(`  ${kind.padEnd(6)} p50 ${us(pct(xs, 50))}   p95 ${us(pct(xs, 95))}   p99 ${us(pct(xs, 99))}`);
console.log(`  all    p50 ${us(pct(all, 50))}   p95 ${us(pct(all, 95))}   p99 ${us(pct(all, 99))}`);
console.log(`target p95 < 1 ms: ${pct(all, 95) < 1 ? 'met' : 'NOT met'}`);
