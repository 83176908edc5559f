// The lexical index: postings for path terms and content terms per file, kept incrementally (a file can be removed
// and re-added without a rebuild), scored with BM25. Paths and contents are separate fields because a query word in
// a path says much more than the same word somewhere in a body.
import { countIdentifiers, pathTerms, termsFromIdentifiers } from './tokenize.js';

const K1 = 1.2;
const B = 0.75;

export interface LexicalDoc {
  id: number;
  path: string;
  /** Content term frequencies (kept so the file can be removed from the postings on update). */
  terms: Map<string, number>;
  pathTerms: string[];
  length: number;
}

/** A term's postings as parallel arrays: far cheaper to build and scan than a Map per term on large trees. */
interface Posting {
  ids: number[];
  tfs: number[];
}

export class LexicalIndex {
  private readonly docs = new Map<number, LexicalDoc>();
  private readonly content = new Map<string, Posting>();
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
    this.remove(id);
    const terms = termsFromIdentifiers(identifiers);
    let length = 0;
    for (const [term, tf] of terms) {
      length += tf;
      const posting = this.content.get(term);
      if (posting) {
        posting.ids.push(id);
        posting.tfs.push(tf);
      } else {
        this.content.set(term, { ids: [id], tfs: [tf] });
      }
    }
    const pts = pathTerms(path);
    for (const term of pts) {
      let posting = this.paths.get(term);
      if (!posting) this.paths.set(term, (posting = new Set()));
      posting.add(id);
    }
    const doc: LexicalDoc = { id, path, terms, pathTerms: pts, length };
    this.docs.set(id, doc);
    this.lengths[id] = length;
    this.totalLength += length;
    this.bytes += docBytes(doc);
    return doc;
  }

  remove(id: number): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    for (const term of doc.terms.keys()) {
      const posting = this.content.get(term);
      if (!posting) continue;
      // Order does not matter: move the last entry into the removed one's place.
      const at = posting.ids.indexOf(id);
      if (at < 0) continue;
      const last = posting.ids.length - 1;
      posting.ids[at] = posting.ids[last]!;
      posting.tfs[at] = posting.tfs[last]!;
      posting.ids.pop();
      posting.tfs.pop();
      if (posting.ids.length === 0) this.content.delete(term);
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

  /** Inverse document frequency of a content term (BM25's, floored at a small positive value). */
  contentIdf(term: string): number {
    return idf(this.docs.size, this.content.get(term)?.ids.length ?? 0);
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
      const posting = this.content.get(term);
      if (!posting || posting.ids.length > tooCommon) continue;
      const w = idf(this.docs.size, posting.ids.length);
      const { ids, tfs } = posting;
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
      const posting = this.content.get(term);
      const pathPosting = this.paths.get(term);
      const tfs = new Map<number, number>();
      posting?.ids.forEach((id, k) => tfs.set(id, posting.tfs[k]!));
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
    return this.bytes + this.content.size * 80 + this.paths.size * 80;
  }
}

/** A document's share: its term map and its postings entries. */
function docBytes(doc: LexicalDoc): number {
  return 64 + doc.path.length * 2 + doc.terms.size * 80 + doc.pathTerms.length * 40;
}

function idf(total: number, n: number): number {
  return Math.max(0.01, Math.log(1 + (total - n + 0.5) / (n + 0.5)));
}
