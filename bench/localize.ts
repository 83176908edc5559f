// bench:localize — the ranking over a localisation set (instances from a git bundle, each indexed cold and queried
// with its issue text), scored with Acc@k and Recall@k beside a plain BM25 baseline computed in the same run.
// Usage: npm run bench:localize -- [--dataset FILE] [--bundle FILE] [--limit N] [--half A|B] [--verbose [--reasons]]
// --half runs one deterministic half of the set: tune on one half, check on the other. --weights JSON overrides signal weights.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildWorkspaceIndex } from '../extension/core/context/index/workspace-index.js';
import { queryTerms } from '../extension/core/context/index/tokenize.js';
import { WEIGHTS } from '../extension/core/context/ranking/rank.js';
import { BundleTrees } from './lib/bundle.js';
import { formatHeader, formatRow, meanScores, percentile, scoreInstance, type InstanceScore } from './lib/metrics.js';

interface Instance {
  id: string;
  repo: string;
  query: string;
  gold_files: string[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function readDataset(file: string): Instance[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, n) => {
      const v = JSON.parse(line) as Partial<Instance>;
      if (typeof v.id !== 'string' || typeof v.query !== 'string' || !Array.isArray(v.gold_files)) {
        throw new Error(`${file}:${n + 1}: an instance needs id, query and gold_files`);
      }
      return v as Instance;
    });
}

/** The shared bench folder sits beside the main checkout; from a worktree it is found further up. */
function defaultDataset(): string {
  for (const dir of ['../shared', '../../shared', '/work/shared']) {
    const f = resolve(dir, 'bench/localization/js-dev.jsonl');
    if (existsSync(f)) return f;
  }
  return resolve('../shared/bench/localization/js-dev.jsonl');
}

/** Deterministic split by id, so "tune on A, check on B" is reproducible without looking at the instances. */
function half(id: string): 'A' | 'B' {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 2 === 0 ? 'A' : 'B';
}

async function main(): Promise<void> {
  const dataset = resolve(arg('dataset', defaultDataset()));
  const bundle = resolve(arg('bundle', dataset.replace(/\.jsonl$/, '.bundle')));
  const limit = Number(arg('limit', '0'));
  const verbose = process.argv.includes('--verbose');
  let instances = readDataset(dataset);
  // --weights '{"path":1.2}' tries other signal weights (tune on one half, check on the other).
  const weights = arg('weights', '');
  if (weights) Object.assign(WEIGHTS, JSON.parse(weights) as Partial<typeof WEIGHTS>);
  const only = arg('half', '');
  if (only === 'A' || only === 'B') instances = instances.filter((i) => half(i.id) === only);
  else if (only) throw new Error(`--half must be A or B, not ${only}`);
  if (limit > 0) instances = instances.slice(0, limit);
  const trees = new BundleTrees(bundle);
  const ours: { id: string; s: InstanceScore }[] = [];
  const baseline: { id: string; s: InstanceScore }[] = [];
  const indexMs: number[] = [];
  const rankMs: number[] = [];
  try {
    for (const inst of instances) {
      const dir = trees.checkout(inst.id);
      const t0 = performance.now();
      const index = await buildWorkspaceIndex({ root: dir });
      const t1 = performance.now();
      const full = index.rank({ text: inst.query, top: verbose ? 30 : 10 });
      const ranked = full.slice(0, 10).map((r) => r.path);
      const t2 = performance.now();
      indexMs.push(t1 - t0);
      rankMs.push(t2 - t1);
      const plain = [...index.lexical.scorePlain(queryTerms(inst.query))]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([id]) => index.pathOf(id) ?? '');
      ours.push({ id: inst.id, s: scoreInstance(ranked, inst.gold_files) });
      baseline.push({ id: inst.id, s: scoreInstance(plain, inst.gold_files) });
      if (verbose) {
        const hit = inst.gold_files.filter((g) => ranked.slice(0, 5).includes(g)).length;
        const at = (g: string): string => {
          const k = full.findIndex((r) => r.path === g);
          return `${g}@${k < 0 ? '-' : k + 1}`;
        };
        console.log(`${inst.id}: ${hit}/${inst.gold_files.length} in top 5; top: ${ranked.slice(0, 5).join(', ')}; gold: ${inst.gold_files.slice(0, 6).map(at).join(', ')}`);
        if (process.argv.includes('--reasons')) {
          const shown = full.filter((r, k) => k < 3 || inst.gold_files.includes(r.path));
          for (const r of shown) console.log(`    ${inst.gold_files.includes(r.path) ? '*' : ' '} ${r.path} ${r.score}: ${r.reasons.join('; ')}`);
        }
      }
      trees.remove(dir);
    }
  } finally {
    trees.dispose();
  }
  const pick = (rows: { id: string; s: InstanceScore }[], h?: 'A' | 'B'): InstanceScore[] => rows.filter((r) => !h || half(r.id) === h).map((r) => r.s);
  const nA = instances.filter((i) => half(i.id) === 'A').length;
  console.log(`\nlocalization: ${instances.length} instances from ${dataset}`);
  console.log(formatHeader());
  console.log(formatRow('tiller ranking (all)', meanScores(pick(ours))));
  console.log(formatRow(`tiller ranking (half A, ${nA})`, meanScores(pick(ours, 'A'))));
  console.log(formatRow(`tiller ranking (half B, ${instances.length - nA})`, meanScores(pick(ours, 'B'))));
  console.log(formatRow('plain BM25 (all)', meanScores(pick(baseline))));
  const perInstance = indexMs.map((ms, i) => ms + (rankMs[i] ?? 0));
  console.log(
    `\ntime per instance (cold index + rank): mean ${(perInstance.reduce((a, b) => a + b, 0) / Math.max(1, perInstance.length)).toFixed(0)} ms, ` +
      `p50 ${percentile(perInstance, 50).toFixed(0)} ms, p95 ${percentile(perInstance, 95).toFixed(0)} ms; rank alone p50 ${percentile(rankMs, 50).toFixed(1)} ms, p95 ${percentile(rankMs, 95).toFixed(1)} ms`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
