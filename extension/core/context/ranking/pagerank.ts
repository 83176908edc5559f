// Personalised PageRank over a weighted directed graph (power iteration on a compressed adjacency, built once per
// graph change). Personalisation moves the teleport mass to the files the query matched, so centrality is measured
// from where the query points (Aider's repo map does the same).

export type WeightedGraph = Map<number, Map<number, number>>;

export interface CompactGraph {
  nodes: number[];
  index: Map<number, number>;
  offsets: Int32Array;
  targets: Int32Array;
  /** Out-weights normalised per source. */
  weights: Float64Array;
}

export function compactGraph(nodes: readonly number[], edges: WeightedGraph): CompactGraph {
  const index = new Map<number, number>();
  nodes.forEach((id, i) => index.set(id, i));
  const offsets = new Int32Array(nodes.length + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  nodes.forEach((id, i) => {
    offsets[i] = targets.length;
    const start = targets.length;
    let total = 0;
    for (const [to, w] of edges.get(id) ?? []) {
      const j = index.get(to);
      if (j === undefined || w <= 0 || j === i) continue;
      targets.push(j);
      weights.push(w);
      total += w;
    }
    for (let k = start; k < weights.length; k++) weights[k] = (weights[k] ?? 0) / total;
  });
  offsets[nodes.length] = targets.length;
  return { nodes: [...nodes], index, offsets, targets: Int32Array.from(targets), weights: Float64Array.from(weights) };
}

export function pagerank(
  graph: CompactGraph,
  personalization?: ReadonlyMap<number, number>,
  options: { damping?: number; iterations?: number; tolerance?: number } = {},
): Map<number, number> {
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 30;
  const tolerance = options.tolerance ?? 1e-6;
  const n = graph.nodes.length;
  const result = new Map<number, number>();
  if (n === 0) return result;

  const teleport = new Float64Array(n);
  let pTotal = 0;
  for (const [id, w] of personalization ?? []) {
    const i = graph.index.get(id);
    if (i !== undefined && w > 0) {
      teleport[i] = (teleport[i] ?? 0) + w;
      pTotal += w;
    }
  }
  if (pTotal > 0) for (let i = 0; i < n; i++) teleport[i] = (teleport[i] ?? 0) / pTotal;
  else teleport.fill(1 / n);

  let rank = Float64Array.from(teleport);
  let next = new Float64Array(n);
  const { offsets, targets, weights } = graph;
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const r = rank[i]!;
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      if (start === end) {
        dangling += r;
        continue;
      }
      for (let k = start; k < end; k++) {
        const j = targets[k]!;
        next[j] = next[j]! + damping * r * weights[k]!;
      }
    }
    // Dangling mass and the teleport both return to the personalisation, so it stays the anchor.
    const back = damping * dangling + (1 - damping);
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const v = next[i]! + back * teleport[i]!;
      delta += Math.abs(v - rank[i]!);
      next[i] = v;
    }
    [rank, next] = [next, rank];
    if (delta < tolerance) break;
  }
  graph.nodes.forEach((id, i) => result.set(id, rank[i]!));
  return result;
}

/**
 * The part of the graph personalised PageRank from these seeds can reach within `hops` out-edges (at most `maxNodes`
 * nodes). Rank mass decays by the damping factor per hop, so beyond a few hops it is negligible; ranking on this
 * neighbourhood keeps a query's cost independent of the workspace's size.
 */
export function neighbourhood(edges: WeightedGraph, seeds: Iterable<number>, hops = 2, maxNodes = 1000): number[] {
  const seen = new Set<number>(seeds);
  let frontier = [...seen];
  for (let h = 0; h < hops && frontier.length && seen.size < maxNodes; h++) {
    const next: number[] = [];
    for (const id of frontier) {
      for (const to of edges.get(id)?.keys() ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        next.push(to);
        if (seen.size >= maxNodes) break;
      }
      if (seen.size >= maxNodes) break;
    }
    frontier = next;
  }
  return [...seen];
}
