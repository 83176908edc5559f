// Definitions, references and the file graph built from them: file A uses a name file B defines -> edge A->B; file A
// imports file B -> edge A->B. Kept incrementally: when a file changes, only its own edges and those of files that use
// names it added or removed are recomputed.
import type { DefinedSymbol } from './symbols.js';
import type { WeightedGraph } from '../ranking/pagerank.js';

/** Names defined in more files than this say nothing about which one a user meant (`get`, `init`, `index`). */
const MAX_DEFINERS = 12;
const IMPORT_WEIGHT = 2;
/** Strongest out-edges kept per file: bounds PageRank's cost on huge trees; weak links barely move rank anyway. */
const MAX_OUT_EDGES = 40;

export class SymbolGraph {
  private readonly defs = new Map<number, DefinedSymbol[]>();
  private readonly refs = new Map<number, Map<string, number>>();
  private readonly imports = new Map<number, number[]>();
  private readonly definers = new Map<string, Set<number>>();
  private readonly definersLower = new Map<string, Set<number>>();
  private users: Map<string, Set<number>> | undefined;
  readonly edges: WeightedGraph = new Map();
  /** In-edges (who links to a file), kept beside `edges` so ranking can walk the graph both ways. */
  private readonly reverse = new Map<number, Set<number>>();
  /** Bumped on every change, so cached derived data (the compact graph) knows to rebuild. */
  version = 0;

  symbolsOf(id: number): readonly DefinedSymbol[] {
    return this.defs.get(id) ?? [];
  }

  /** Files with an edge to this one (they import it or use names it defines). */
  linkedFrom(id: number): ReadonlySet<number> {
    return this.reverse.get(id) ?? EMPTY;
  }

  definersOf(name: string): ReadonlySet<number> | undefined {
    return this.definers.get(name);
  }

  definersOfLower(name: string): ReadonlySet<number> | undefined {
    return this.definersLower.get(name.toLowerCase());
  }

  private symbolTotal = 0;

  get symbolCount(): number {
    return this.symbolTotal;
  }

  get edgeCount(): number {
    let n = 0;
    for (const e of this.edges.values()) n += e.size;
    return n;
  }

  /** Replaces a file's symbols, references and resolved imports, and refreshes the edges that depend on them. */
  set(id: number, defs: DefinedSymbol[], refs: Map<string, number>, imports: number[], recomputeEdges = true): void {
    const oldNames = new Set((this.defs.get(id) ?? []).map((d) => d.name));
    this.removeEntries(id);
    this.symbolTotal += defs.length - (this.defs.get(id)?.length ?? 0);
    this.defs.set(id, defs);
    this.refs.set(id, refs);
    this.imports.set(id, imports);
    for (const d of defs) {
      addTo(this.definers, d.name, id);
      addTo(this.definersLower, d.name.toLowerCase(), id);
    }
    if (this.users) for (const name of refs.keys()) addTo(this.users, name, id);
    this.version++;
    if (!recomputeEdges) return;
    const newNames = new Set(defs.map((d) => d.name));
    const affected = new Set<number>([id]);
    for (const user of this.usersOf(symmetricDifference(oldNames, newNames))) affected.add(user);
    for (const a of affected) this.computeEdges(a);
  }

  delete(id: number): void {
    const names = (this.defs.get(id) ?? []).map((d) => d.name);
    this.removeEntries(id);
    this.symbolTotal -= this.defs.get(id)?.length ?? 0;
    this.defs.delete(id);
    this.refs.delete(id);
    this.imports.delete(id);
    this.setEdges(id, undefined);
    for (const from of [...(this.reverse.get(id) ?? [])]) this.edges.get(from)?.delete(id);
    this.reverse.delete(id);
    for (const user of this.usersOf(names)) this.computeEdges(user);
    this.version++;
  }

  computeAllEdges(): void {
    for (const id of this.defs.keys()) this.computeEdges(id);
    this.version++;
  }

  private computeEdges(id: number): void {
    const out = new Map<number, number>();
    for (const [name, count] of this.refs.get(id) ?? []) {
      const files = this.definers.get(name);
      if (!files || files.size > MAX_DEFINERS || files.has(id)) continue;
      // Long, specific names (parseTimezoneOffset) link files more surely than short ones (get, id).
      const specificity = name.length >= 8 ? 2 : name.length >= 4 ? 1 : 0.3;
      const w = (specificity * Math.sqrt(count)) / files.size;
      for (const to of files) out.set(to, (out.get(to) ?? 0) + w);
    }
    for (const to of this.imports.get(id) ?? []) if (to !== id) out.set(to, (out.get(to) ?? 0) + IMPORT_WEIGHT);
    const kept = out.size > MAX_OUT_EDGES ? new Map([...out].sort((a, b) => b[1] - a[1]).slice(0, MAX_OUT_EDGES)) : out;
    this.setEdges(id, kept.size ? kept : undefined);
  }

  private setEdges(id: number, out: Map<number, number> | undefined): void {
    for (const to of this.edges.get(id)?.keys() ?? []) removeFrom(this.reverse, to, id);
    if (out) {
      this.edges.set(id, out);
      for (const to of out.keys()) addTo(this.reverse, to, id);
    } else this.edges.delete(id);
  }

  /**
   * Files using any of these names, from an inverted index of every name used anywhere. A cold build never needs it,
   * so it is built on the first incremental update (one slow update) and kept current from then on.
   */
  private usersOf(names: string[]): Iterable<number> {
    if (names.length === 0) return [];
    if (!this.users) {
      this.users = new Map();
      for (const [id, refs] of this.refs) for (const name of refs.keys()) addTo(this.users, name, id);
    }
    const out = new Set<number>();
    for (const name of names) for (const id of this.users.get(name) ?? []) out.add(id);
    return out;
  }

  private removeEntries(id: number): void {
    for (const d of this.defs.get(id) ?? []) {
      removeFrom(this.definers, d.name, id);
      removeFrom(this.definersLower, d.name.toLowerCase(), id);
    }
    if (this.users) for (const name of this.refs.get(id)?.keys() ?? []) removeFrom(this.users, name, id);
  }
}

const EMPTY: ReadonlySet<number> = new Set();

function addTo<K>(map: Map<K, Set<number>>, key: K, id: number): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function removeFrom<K>(map: Map<K, Set<number>>, key: K, id: number): void {
  const set = map.get(key);
  set?.delete(id);
  if (set?.size === 0) map.delete(key);
}

function symmetricDifference(a: Set<string>, b: Set<string>): string[] {
  const out: string[] = [];
  for (const x of a) if (!b.has(x)) out.push(x);
  for (const x of b) if (!a.has(x)) out.push(x);
  return out;
}
