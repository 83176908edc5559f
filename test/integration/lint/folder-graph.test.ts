// ARCHITECTURE.md's folder graph is generated from the imports; this fails when the code's graph moved on without it,
// and when a folder cycle appears (the graph could not be ordered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dependencyOrder, documentedGraph, renderGraph } from '../../../scripts/folder-graph.mjs';
import { repoRoot } from '../../helpers/bundles.js';

test('the folder graph in ARCHITECTURE.md is the one the imports draw', () => {
  const documented = documentedGraph(readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8'));
  assert.equal(documented, renderGraph(), 'run `node scripts/folder-graph.mjs` and paste its output between the markers');
});

test('a cycle is reported, not ordered', () => {
  assert.throws(() => dependencyOrder(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]])), /folder cycle among: a, b/);
});
