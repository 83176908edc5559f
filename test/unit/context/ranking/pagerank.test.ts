import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactGraph, pagerank, type WeightedGraph } from '../../../../extension/core/context/ranking/pagerank.js';

const edges = (pairs: [number, number][]): WeightedGraph => {
  const g: WeightedGraph = new Map();
  for (const [a, b] of pairs) {
    if (!g.has(a)) g.set(a, new Map());
    g.get(a)!.set(b, 1);
  }
  return g;
};

test('on a star, the hub everyone links to ranks first and ranks sum to one', () => {
  const g = compactGraph([0, 1, 2, 3], edges([[1, 0], [2, 0], [3, 0]]));
  const pr = pagerank(g);
  const sum = [...pr.values()].reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-6);
  assert.ok(pr.get(0)! > pr.get(1)! * 2);
  assert.ok(Math.abs(pr.get(1)! - pr.get(2)!) < 1e-9);
});

test('a symmetric cycle gives equal ranks', () => {
  const pr = pagerank(compactGraph([0, 1, 2], edges([[0, 1], [1, 2], [2, 0]])));
  for (const v of pr.values()) assert.ok(Math.abs(v - 1 / 3) < 1e-4);
});

test('personalisation moves rank towards the seed and what it links to', () => {
  // Two separate chains: 0 -> 1 and 2 -> 3. Seeding 0 lifts 1 above 3.
  const g = compactGraph([0, 1, 2, 3], edges([[0, 1], [2, 3]]));
  const pr = pagerank(g, new Map([[0, 1]]));
  assert.ok(pr.get(1)! > pr.get(3)!);
  assert.ok(pr.get(0)! > pr.get(2)!);
  assert.equal(pr.get(3), 0);
});

test('an empty graph ranks nothing', () => {
  assert.equal(pagerank(compactGraph([], new Map())).size, 0);
});
