// The lexical index: postings for path terms and content terms per file, kept incrementally (a file can be removed
// and re-added without a rebuild), scored with BM25. Paths and contents are separate fields because a query word in
// a path says much more than the same word somewhere in a body.
import { TermCounter, type CountedTerms } from './term-counter.js';
import { countIdentifiers, pathTerms } from './tokenize.js';

const K1 = 1.2;
const B = 0.75;

export interface LexicalDoc {
  id: number;
  path: string;
  /** The ids of the content terms the file has, each once (kept so the file can be removed from the postings). */
  termIds: Int32Array;
  pathTerms: string[];
  length: number;
}

/**
 * Terms are interned to small integers and postings live in arrays indexed by term id: on a tree of tens of thousands
 * of files this is several times cheaper to build than a Map per file and a string lookup per term occurrence, and it
 * keeps the per-file record to one typed array.
 */
export class LexicalIndex {
  /** The term ids the postings are indexed by. Workers' ids are mapped to these before `addCounted`. */
  readonly dictionary = new TermCounter();
  private readonly docs = new Map<number, LexicalDoc>();
  /** Postings as parallel arrays per term id: file ids and the term's frequency in each. */
  private readonly postingIds: number[][] = [];
  private readonly postingTfs: number[][] = [];
  private readonly paths = new Map<string, Set<number>>();
  /** Document lengths by id, for scoring loops (an array index is much cheaper than a Map lookup per posting). */
  private readonly lengths: number[] = [];
  private totalLength = 0;
  /** Kept as a running total: the memory check runs on every update and must not walk every document. */
  private bytes = 0;

  get size(): number {
    return this.docs.size;
  }

  /** `identifiers` are the text's identifier counts when the caller already has them. */
  add(id: number, path: string, text: string, identifiers = countIdentifiers(text)): LexicalDoc {
    return this.addCounted(id, path, this.dictionary.count(identifiers));
  }

  /** Adds a file whose content terms are already counted against this index's dictionary. */
  addCounted(id: number, path: string, counted: CountedTerms): LexicalDoc {
    this.remove(id);
    const { termIds, tfs, length } = counted;
    for (let k = 0; k < termIds.length; k++) {
      const t = termIds[k]!;
      (this.postingIds[t] ??= []).push(id);
      (this.postingTfs[t] ??= []).push(tfs[k]!);
    }
    const pts = pathTerms(path);
    for (const term of pts) {
      let posting = this.paths.get(term);
      if (!posting) this.paths.set(term, (posting = new Set()));
      posting.add(id);
    }
    const doc: LexicalDoc = { id, path, termIds, pathTerms: pts, length };
    this.docs.set(id, doc);
    this.lengths[id] = length;
    this.totalLength += length;
    this.bytes += docBytes(doc);
    return doc;
  }

  remove(id: number): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const t of doc.termIds) {
      const ids = this.postingIds[t];
      const tfs = this.postingTfs[t];
      if (!ids || !tfs) continue;
      // Order does not matter: move the last entry into the removed one's place.
      const at = ids.indexOf(id);
      if (at < 0) continue;
      const last = ids.length - 1;
      ids[at] = ids[last]!;
      tfs[at] = tfs[last]!;
      ids.pop();
      tfs.pop();
    }
    for (const term of doc.pathTerms) {
      const posting = this.paths.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.paths.delete(term);
    }
    this.totalLength -= doc.length;
    this.bytes -= docBytes(doc);
    this.docs.delete(id);
  }

  doc(id: number): LexicalDoc | undefined {
    return this.docs.get(id);
  }

  /** The files whose contents have the term (a live view: do not keep it across updates). */
  filesWithTerm(term: string): readonly number[] {
    const t = this.dictionary.idOf(term);
    return (t === undefined ? undefined : this.postingIds[t]) ?? [];
  }

  /** Number of files whose contents have the term. */
  documentFrequency(term: string): number {
    const t = this.dictionary.idOf(term);
    return t === undefined ? 0 : (this.postingIds[t]?.length ?? 0);
  }

  /** Inverse document frequency of a content term (BM25's, floored at a small positive value). */
  contentIdf(term: string): number {
    return idf(this.docs.size, this.documentFrequency(term));
  }

  pathIdf(term: string): number {
    return idf(this.docs.size, this.paths.get(term)?.size ?? 0);
  }

  pathPosting(term: string): ReadonlySet<number> | undefined {
    return this.paths.get(term);
  }

  /** BM25 over contents. Repeated query terms count once: an issue that repeats a word is not more about it. */
  scoreContent(terms: readonly string[]): Map<number, number> {
    const scores = new Map<number, number>();
    const avg = this.docs.size ? this.totalLength / this.docs.size : 1;
    // On large trees a term in a tenth of all files says little and costs a pass over thousands of postings.
    const tooCommon = Math.max(1000, this.docs.size / 10);
    for (const term of new Set(terms)) {
      const t = this.dictionary.idOf(term);
      const ids = t === undefined ? undefined : this.postingIds[t];
      const tfs = t === undefined ? undefined : this.postingTfs[t];
      if (!ids || !tfs || ids.length === 0 || ids.length > tooCommon) continue;
      const w = idf(this.docs.size, ids.length);
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const tf = tfs[k]!;
        const len = this.lengths[id] ?? avg;
        const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    return scores;
  }

  /** Plain BM25 over whole files: path terms count 3x in the term frequency, one field. The baseline. */
  scorePlain(terms: readonly string[]): Map<number, number> {
    const scores = new Map<number, number>();
    const avg = this.docs.size ? this.totalLength / this.docs.size : 1;
    for (const term of new Set(terms)) {
      const t = this.dictionary.idOf(term);
      const ids = t === undefined ? undefined : this.postingIds[t];
      const counts = t === undefined ? undefined : this.postingTfs[t];
      const pathPosting = this.paths.get(term);
      const tfs = new Map<number, number>();
      ids?.forEach((id, k) => tfs.set(id, counts![k]!));
      for (const id of pathPosting ?? []) tfs.set(id, (tfs.get(id) ?? 0) + 3);
      if (tfs.size === 0) continue;
      const w = idf(this.docs.size, tfs.size);
      for (const [id, tf] of tfs) {
        const len = this.docs.get(id)?.length ?? avg;
        const s = (w * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    return scores;
  }

  approxBytes(): number {
    return this.bytes + this.dictionary.size * 80 + this.paths.size * 80 + this.dictionary.memoSize * 64;
  }
}

/** A document's share: its term map and its postings entries. */
function docBytes(doc: LexicalDoc): number {
  // A posting entry is two array slots (ids and tfs); the record keeps one 4-byte term id.
  return 64 + doc.path.length * 2 + doc.termIds.length * 20 + doc.pathTerms.length * 40;
}

function idf(total: number, n: number): number {
  return Math.max(0.01, Math.log(1 + (total - n + 0.5) / (n + 0.5)));
}
