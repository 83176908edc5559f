// Turns a file's text (or its identifier counts) into content-term frequencies over interned term ids. The lexical index owns one
// (its ids index the postings); each index worker owns its own, and the main thread maps a worker's ids to its own
// through the terms the worker reports, in the order it interned them.
import { IDENTIFIER_CHARS, keptTermsOf } from './tokenize.js';

/** Distinct identifiers whose term ids are remembered; past this the memo starts again (term ids stay valid). */
const DEFAULT_MEMO_MAX = 500_000;
/** Identifier lengths `countIdentifiers` counts; `countText` must agree with it. */
const MIN_IDENTIFIER = 2;
const MAX_IDENTIFIER = 80;
/** Read once into a module constant: in the hot loop a property read through the import binding is measurable. */
const CHARS = IDENTIFIER_CHARS;
/**
 * Probes before a lookup gives up on the table and uses the overflow map. Repository files may be hostile: with a
 * per-counter random hash multiplier collisions cannot be planned, and this bounds the cost if they happen anyway.
 */
const MAX_PROBES = 32;

/** A file's distinct content terms, each once, with its frequency; `length` is the sum of the frequencies. */
export interface CountedTerms {
  termIds: Int32Array;
  tfs: Int32Array;
  length: number;
}

export class TermCounter {
  /** Term by id, in the order the terms were first seen. */
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * Identifier -> the term ids it contributes per occurrence (identifiers recur across files: split each once), as an
   * open-addressing table keyed by the hash `countText` computes while scanning. A lookup compares characters in
   * place, so no string is made per occurrence. Slots hold entry index + 1 (0 is empty).
   */
  private slots = new Int32Array(1 << 16);
  private readonly entryHash: number[] = [];
  private readonly entryName: string[] = [];
  private readonly entryTerms: Int32Array[] = [];
  /** Where identifiers go whose probe ran too long (see MAX_PROBES). */
  private readonly overflow = new Map<string, Int32Array>();
  /** Frequencies by term id for the file being counted; zeroed again before `count` or `countText` returns. */
  private scratch = new Int32Array(1024);
  /**
   * @param memoMax distinct identifiers remembered before the memo starts again.
   * @param multiplier the scan hash's multiplier; drawn at random (odd) unless given, which only tests do.
   */
  constructor(
    private readonly memoMax = DEFAULT_MEMO_MAX,
    private readonly multiplier = (Math.floor(Math.random() * 0x3fffffff) * 2 + 1) | 0,
  ) {}

  get size(): number {
    return this.terms.length;
  }

  get memoSize(): number {
    return this.entryName.length + this.overflow.size;
  }

  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  intern(term: string): number {
    let t = this.ids.get(term);
    if (t !== undefined) return t;
    t = this.terms.length;
    this.ids.set(term, t);
    this.terms.push(term);
    if (t >= this.scratch.length) {
      const grown = new Int32Array(this.scratch.length * 2);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    return t;
  }

  count(identifiers: ReadonlyMap<string, number>): CountedTerms {
    const touched: number[] = [];
    for (const [identifier, occurrences] of identifiers) {
      const ids = this.lookup(identifier, 0, identifier.length, this.hashOf(identifier));
      // Read after the lookup: interning a new term may have replaced the scratch array with a larger one.
      const scratch = this.scratch;
      for (let k = 0; k < ids.length; k++) {
        const t = ids[k]!;
        if (scratch[t] === 0) touched.push(t);
        scratch[t]! += occurrences;
      }
    }
    return this.collect(touched);
  }

  /** The touched terms' frequencies out of the scratch array, which is left zeroed for the next file. */
  private collect(touched: number[]): CountedTerms {
    // Read here, not before the caller's loop: interning a new term may have replaced the scratch array.
    const scratch = this.scratch;
    const termIds = Int32Array.from(touched);
    const tfs = new Int32Array(touched.length);
    let length = 0;
    for (let k = 0; k < touched.length; k++) {
      const t = touched[k]!;
      tfs[k] = scratch[t]!;
      length += scratch[t]!;
      scratch[t] = 0;
    }
    return { termIds, tfs, length };
  }

  /**
   * `count(countIdentifiers(text))` in one pass and without the per-file identifier map: the cold build's hottest
   * loop. Identifiers are hashed as they are scanned and looked up in place.
   */
  countText(text: string): CountedTerms {
    const touched: number[] = [];
    const multiplier = this.multiplier;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && CHARS[c] === 3) {
        const start = i;
        let hash = c;
        i++;
        for (let d = text.charCodeAt(i); d < 128 && CHARS[d] !== 0; d = text.charCodeAt(++i)) hash = (Math.imul(hash, multiplier) + d) | 0;
        const len = i - start;
        if (len < MIN_IDENTIFIER || len > MAX_IDENTIFIER) continue;
        const ids = this.lookup(text, start, len, mix(hash));
        // Read after the lookup: interning a new term may have replaced the scratch array with a larger one.
        const scratch = this.scratch;
        for (let k = 0; k < ids.length; k++) {
          const t = ids[k]!;
          if (scratch[t] === 0) touched.push(t);
          scratch[t]!++;
        }
      } else if (c >= 48 && c <= 57) {
        // A number: skip its digits and letters (0x1F, 1e9) so they are not read as identifiers.
        i++;
        for (let d = text.charCodeAt(i); d < 128 && CHARS[d] !== 0; d = text.charCodeAt(++i));
      } else {
        i++;
      }
    }
    return this.collect(touched);
  }

  /** The scan's hash of a whole identifier, for `count`, which has the identifiers as strings. */
  private hashOf(identifier: string): number {
    let hash = identifier.charCodeAt(0);
    for (let k = 1; k < identifier.length; k++) hash = (Math.imul(hash, this.multiplier) + identifier.charCodeAt(k)) | 0;
    return mix(hash);
  }

  /** The term ids of the identifier at `source[start, start + len)`, remembered on first sight. */
  private lookup(source: string, start: number, len: number, hash: number): Int32Array {
    const { slots, entryHash, entryName, entryTerms } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let e = slots[slot]!, probes = 0; e !== 0; e = slots[slot]!) {
      if (entryHash[e - 1] === hash && sameAt(entryName[e - 1]!, source, start, len)) return entryTerms[e - 1]!;
      if (++probes > MAX_PROBES) return this.overflowTermIds(source.slice(start, start + len));
      slot = (slot + 1) & mask;
    }
    return this.addEntry(source.slice(start, start + len), hash, slot);
  }

  /** Remembers an identifier not seen before, in the empty `slot` its probe ended at. */
  private addEntry(name: string, hash: number, slot: number): Int32Array {
    const ids = this.internAll(keptTermsOf(name));
    if (this.entryName.length >= this.memoMax) {
      this.resetTable();
      return ids;
    }
    this.entryHash.push(hash);
    this.entryName.push(name);
    this.entryTerms.push(ids);
    this.slots[slot] = this.entryName.length;
    // Keep the table at most half full so probes stay short.
    if (this.entryName.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return ids;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.entryName.length; e++) {
      let slot = this.entryHash[e]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = e + 1;
    }
  }

  private resetTable(): void {
    this.slots = new Int32Array(1 << 16);
    this.entryHash.length = 0;
    this.entryName.length = 0;
    this.entryTerms.length = 0;
  }

  /** Identifiers whose probe ran past MAX_PROBES are remembered in a plain map instead. */
  private overflowTermIds(identifier: string): Int32Array {
    const known = this.overflow.get(identifier);
    if (known) return known;
    const ids = this.internAll(keptTermsOf(identifier));
    if (this.overflow.size >= this.memoMax) this.overflow.clear();
    this.overflow.set(identifier, ids);
    return ids;
  }

  private internAll(terms: string[]): Int32Array {
    const ids = new Int32Array(terms.length);
    for (let k = 0; k < terms.length; k++) ids[k] = this.intern(terms[k]!);
    return ids;
  }
}

/** Whether `name` is the `len` characters of `text` at `start` (a loop: `startsWith` is a runtime call per probe). */
function sameAt(name: string, text: string, start: number, len: number): boolean {
  if (name.length !== len) return false;
  for (let k = 0; k < len; k++) if (name.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** Spreads the hash's high bits into the low ones the table's slot is taken from. */
function mix(hash: number): number {
  const h = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}
