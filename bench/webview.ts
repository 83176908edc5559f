// Render benchmark of the chat webview in headless Chromium: the built bundle (dist/webview.js) in a plain page
// with a stub `acquireVsCodeApi`, fed a stored session of 500 messages (markdown, code blocks, tool calls), then a
// 5,000-line change set as an approval card, then scrolled top to bottom. Frame times come from
// requestAnimationFrame deltas and long-task entries; prints the worst frame and p95. Target: no frame over 100 ms.
//
//   node esbuild.mjs && npm run bench:webview        (CHROMIUM=/path/to/chromium to use another browser)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { HostMessage, TranscriptEntry } from '../extension/protocol/messages.js';

const root = join(__dirname, '..');
const TARGET_MS = 100;

function chromiumPath(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

const totals = { steps: 3, modelCalls: 3, promptTokens: 12000, completionTokens: 800, cachedPromptTokens: 0, costUsd: 0.03, toolCalls: 2, durationMs: 9000 };

function session(count: number): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (let i = 0; entries.length < count; i++) {
    entries.push({ kind: 'task', text: `Task ${i}: refactor the parser and add tests for @src/module${i}.ts`, mode: i % 2 ? 'plan' : 'act' });
    entries.push({
      kind: 'assistant',
      text: `## Step ${i}\n\nI read **module${i}.ts**; the *tokenizer* is in \`lex()\`. See [docs](https://example.com/docs/${i}).\n\n- first point\n- second point with \`code\`\n  - nested\n\n\`\`\`ts\n${Array.from({ length: 12 }, (_, j) => `export function f${j}(a: number): number { return a * ${j}; }`).join('\n')}\n\`\`\`\n\n> A quote <img src=x onerror=alert(1)>\n\n1. one\n2. two`,
    });
    entries.push({ kind: 'tool', tool: 'workspace.read_file', args: JSON.stringify({ path: `src/module${i}.ts` }), result: 'x'.repeat(400), isError: false });
    entries.push({ kind: 'tool', tool: 'shell.run', args: JSON.stringify({ command: 'npm test' }), result: `${i} passing`, isError: i % 7 === 0 });
    entries.push({ kind: 'outcome', status: 'done', summary: `Done with task ${i}.`, totals });
  }
  return entries.slice(0, count);
}

function bigDiff(lines: number): HostMessage {
  const files = [];
  const perFile = lines / 10;
  for (let f = 0; f < 10; f++) {
    const hunks = [];
    for (let h = 0; h < perFile / 20; h++) {
      hunks.push({
        header: `@@ -${h * 40 + 1},20 +${h * 40 + 1},20 @@`,
        lines: Array.from({ length: 20 }, (_, j) => `${j % 3 === 0 ? '-' : j % 3 === 1 ? '+' : ' '}    const value${j} = compute(${h}, ${j}); // line`),
      });
    }
    files.push({ path: `src/file${f}.ts`, change: 'modify' as const, hunks });
  }
  return {
    type: 'approval',
    approvalId: 'bench-diff',
    view: { kind: 'edit', description: 'A large refactor', policy: { rule: 'ask write(**)', reason: 'edits need approval', source: 'default' }, files },
  };
}

const bundle = join(root, 'dist', 'webview.js');
const css = join(root, 'media', 'chat.css');
if (!existsSync(bundle)) {
  console.error('dist/webview.js is missing: run `node esbuild.mjs` first.');
  process.exit(1);
}

const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${readFileSync(css, 'utf8')}</style>
<style>body{width:400px;height:800px}</style></head><body><div id="app"></div>
<script>
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
window.__frames = [];
window.__long = [];
let last = performance.now();
(function tick(now) { window.__frames.push(now - last); last = now; requestAnimationFrame(tick); })(last);
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ entryTypes: ['longtask'] });
</script>
<script>${readFileSync(bundle, 'utf8')}</script></body></html>`;

async function main(): Promise<void> {
const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
  await page.setContent(html);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  const post = (message: HostMessage): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);
  const settle = (): Promise<unknown> => page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  const phases: { name: string; worst: number; p95: number; longTasks: number; wall: number }[] = [];

  async function measure(name: string, run: () => Promise<void>): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __long: number[] };
      w.__frames = [];
      w.__long = [];
    });
    const started = Date.now();
    await run();
    await settle();
    const wall = Date.now() - started;
    const { frames, long } = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __long: number[] };
      return { frames: w.__frames.slice(1), long: w.__long };
    });
    const sorted = [...frames].sort((a, b) => a - b);
    const worst = Math.max(sorted.at(-1) ?? 0, ...long);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    phases.push({ name, worst, p95, longTasks: long.length, wall });
  }

  await post({ type: 'state', configured: true, model: 'bench-model' });
  const entries = session(500);
  await measure('render 500 messages', async () => {
    await post({ type: 'sessions', current: 'bench', sessions: [{ id: 'bench', title: 'Bench', startedAt: 0 }], transcript: entries });
    await page.waitForFunction((n) => document.querySelectorAll('.entry').length >= n, entries.length, { polling: 50 });
  });
  await measure('scroll the session', async () => {
    await page.evaluate(async () => {
      const s = document.scrollingElement!;
      for (let y = 0; y < s.scrollHeight; y += 400) {
        s.scrollTop = y;
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
  });
  await measure('render a 5,000-line diff', async () => {
    await post(bigDiff(5000));
    await page.waitForFunction(() => document.querySelectorAll('.diff-line').length >= 5000, undefined, { polling: 50 });
  });
  await measure('scroll the diff', async () => {
    await page.evaluate(async () => {
      document.querySelectorAll('details.diff-file').forEach((d) => ((d as HTMLDetailsElement).open = true));
      const s = document.scrollingElement!;
      for (let y = 0; y < s.scrollHeight; y += 400) {
        s.scrollTop = y;
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
  });
  const counts = await page.evaluate(() => ({ entries: document.querySelectorAll('.entry').length, diffLines: document.querySelectorAll('.diff-line').length, imgs: document.querySelectorAll('img').length }));

  console.log(`webview bundle: ${(readFileSync(bundle).length / 1024).toFixed(0)} KB; ${counts.entries} entries, ${counts.diffLines} diff lines, ${counts.imgs} <img> elements`);
  for (const p of phases) {
    console.log(`${p.name.padEnd(28)} worst frame ${p.worst.toFixed(1).padStart(6)} ms   p95 ${p.p95.toFixed(1).padStart(5)} ms   long tasks ${String(p.longTasks).padStart(3)}   wall ${p.wall} ms`);
  }
  const worst = Math.max(...phases.map((p) => p.worst));
  console.log(`worst frame overall: ${worst.toFixed(1)} ms (target: none over ${TARGET_MS} ms) -> ${worst <= TARGET_MS ? 'OK' : 'OVER TARGET'}`);
  if (counts.imgs > 0) console.log('WARNING: an <img> element was created from model text');
  process.exitCode = worst <= TARGET_MS && counts.imgs === 0 ? 0 : 1;
} finally {
  await browser.close();
}
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
