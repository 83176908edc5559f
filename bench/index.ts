// bench:index — the workspace index on a large real tree (default: this project's node_modules): cold build time
// (lexical index ready, and with symbols and graph), incremental update and query latency (p50/p95 over 100 each),
// and peak memory, printed beside scans that read every file of the same tree in the same run: ripgrep when on
// PATH, and two JS scans (bench/lib/scan.ts). The 3x target is read against the asynchronous JS scan, the reader an
// ordinary Node tool uses; the ratio to the blocking scan, the cheapest read Node has, is printed beside it so the
// figure cannot flatter itself. The index reads with blocking calls in workers and in slices on the main thread.
// Usage: npm run bench:index -- [--root DIR] [--workers N]
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { buildWorkspaceIndex } from '../extension/core/context/index/workspace-index.js';
import { percentile } from './lib/metrics.js';
import { contextServerFirstAnswer } from './lib/first-answer.js';
import { jsScan, jsScanBlocking } from './lib/scan.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall back to the current RSS.
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

function ripgrepScan(root: string): number | undefined {
  const probe = spawnSync('rg', ['--version'], { stdio: 'ignore' });
  if (probe.status !== 0) return undefined;
  const t0 = performance.now();
  // -uuu: read everything, as the index's reference; the pattern is one no file contains.
  try {
    execFileSync('rg', ['-uuu', '-c', 'tiller-bench-no-such-string-7f3a', root], { stdio: 'ignore' });
  } catch {
    // rg exits 1 when nothing matched.
  }
  return performance.now() - t0;
}

/** A small deterministic generator, so two runs ask the same queries. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function main(): Promise<void> {
  const root = resolve(arg('root', 'node_modules'));
  console.log(`bench:index on ${root} (${cpus().length} cores, shared with other work: figures are indicative)`);

  const rg = ripgrepScan(root);
  const scan = await jsScan(root);
  const blocking = jsScanBlocking(root);
  console.log(rg === undefined ? 'rg: not on PATH (Debian/Ubuntu: `sudo apt-get install ripgrep`; or put rg on PATH) — no rg ratio this run' : `rg -uuu read the tree in ${rg.toFixed(0)} ms`);
  console.log(`JS scan (fs.promises, 32 in flight): ${scan.files} files, ${(scan.bytes / 1024 / 1024).toFixed(0)} MiB read in ${scan.ms.toFixed(0)} ms`);
  console.log(`JS scan (blocking reads, one thread): ${blocking.files} files read in ${blocking.ms.toFixed(0)} ms`);

  const workersArg = arg('workers', '');
  const t0 = performance.now();
  let lexicalReady = 0;
  const index = await buildWorkspaceIndex({
    root,
    ...(workersArg ? { workers: Number(workersArg) } : {}),
    onProgress: (p) => {
      if (p.phase === 'symbols' && !lexicalReady) lexicalReady = performance.now() - t0;
    },
  });
  const cold = performance.now() - t0;
  const stats = index.stats();
  const skippedBy = new Map<string, number>();
  for (const s of stats.skipped) skippedBy.set(s.reason, (skippedBy.get(s.reason) ?? 0) + 1);
  console.log(
    `index: ${stats.files} files, ${stats.symbols} symbols, ${stats.edges} edges, ~${(stats.approxBytes / 1024 / 1024).toFixed(0)} MiB; skipped ${[...skippedBy].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`,
  );
  const ratios = [`${(lexicalReady / scan.ms).toFixed(2)}x the JS scan (target 3x)`, `${(lexicalReady / blocking.ms).toFixed(2)}x the blocking scan`];
  if (rg !== undefined) ratios.push(`${(lexicalReady / rg).toFixed(2)}x rg`);
  console.log(`cold: lexical index ready in ${lexicalReady.toFixed(0)} ms (${ratios.join(', ')}), with symbols and graph ${cold.toFixed(0)} ms`);

  const random = rng(42);
  const sources = [...index.fileIds()].map((id) => index.pathOf(id) ?? '').filter((p) => /\.(js|ts|mjs|cjs)$/.test(p) && !p.endsWith('.d.ts'));
  const updates: number[] = [];
  for (let i = 0; i < 100; i++) {
    const path = sources[Math.floor(random() * sources.length)]!;
    const text = index.contentOf(path) ?? readFileSync(resolve(root, path), 'utf8');
    const t = performance.now();
    index.update(path, `${text}\nexport function benchEdited${i}(value) { return value + ${i}; }\n`);
    updates.push(performance.now() - t);
  }
  console.log(`update one file: p50 ${percentile(updates, 50).toFixed(1)} ms, p95 ${percentile(updates, 95).toFixed(1)} ms (target p95 < 50 ms)`);

  // Queries in the shape of issues: a defined symbol, a word from a path, and some prose.
  const names: string[] = [];
  for (const path of sources.slice(0, 4000)) {
    const hits = index.lookupSymbol(path.split('/').pop()!.replace(/\..*$/, ''), 1);
    if (hits[0]) names.push(hits[0].name);
  }
  const queries: string[] = [];
  for (let i = 0; i < 155; i++) {
    const name = names.length ? names[Math.floor(random() * names.length)]! : 'parse';
    const path = sources[Math.floor(random() * sources.length)]!;
    queries.push(`TypeError when calling \`${name}\` with an empty options object\n    at ${name} (${path}:12:3)\nIt used to work in the previous release.`);
  }
  // 5 warm-up queries (the heap grows to its working size), then 3 runs of 50 queries, each with its own p95.
  for (const q of queries.slice(0, 5)) index.rank({ text: q, top: 10 });
  const runs: number[][] = [];
  for (let run = 0; run < 3; run++) {
    const ms: number[] = [];
    for (const q of queries.slice(5 + run * 50, 55 + run * 50)) {
      const t = performance.now();
      index.rank({ text: q, top: 10 });
      ms.push(performance.now() - t);
    }
    runs.push(ms);
  }
  const p95s = runs.map((ms) => percentile(ms, 95));
  console.log(
    `query (rank top 10, 50 queries per run after 5 warm-ups): ${runs.map((ms, i) => `run ${i + 1} p50 ${percentile(ms, 50).toFixed(1)} ms p95 ${p95s[i]!.toFixed(1)} ms`).join('; ')} ` +
      `(target p95 < 50 ms in every run: ${p95s.every((p) => p < 50) ? 'met' : 'missed'})`,
  );
  console.log(`peak memory (VmHWM): ${peakRssMb().toFixed(0)} MiB`);
  if (!process.argv.includes('--no-server')) {
    const first = await contextServerFirstAnswer(root, queries[0] ?? 'parse');
    console.log(typeof first === 'string' ? `context server: ${first}` : `context server: first answer (spawn, cold build, rank) in ${first.ms.toFixed(0)} ms; top ${first.top ?? 'none'}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
