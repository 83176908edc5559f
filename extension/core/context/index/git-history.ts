// History as evidence: which files changed together (co-change) and what each commit said it did. Read from
// `git log --name-only` over the last commits (bounded), then incrementally: a refresh reads only the commits since
// the newest one already read. Hooks and external diff drivers a hostile repository could configure stay off; no git,
// no repository or a slow git all mean "no history", never an error.
import { execFile } from 'node:child_process';
import { queryTerms } from './tokenize.js';

const MAX_COMMITS = 500;
/** Commits touching more files than this are sweeping changes (renames, formatting): they say nothing about pairs. */
const MAX_FILES_FOR_PAIRS = 20;
const TIMEOUT_MS = 10_000;

export interface Commit {
  sha: string;
  subject: string;
  files: string[];
}

/** Newest first, at most `limit`; with `since`, only the commits after it (an empty list when it is HEAD). */
export function readGitLog(root: string, options: { limit?: number; since?: string } = {}): Promise<Commit[] | undefined> {
  const range = options.since ? [`${options.since}..HEAD`] : [];
  const args = [
    '-c',
    'core.quotepath=off',
    '-c',
    'core.fsmonitor=false',
    '-c',
    'diff.external=',
    'log',
    `-n${options.limit ?? MAX_COMMITS}`,
    '--name-only',
    '--format=%x00%H%x1f%s',
    '--relative',
    '--no-renames',
    ...range,
    '--',
  ];
  return new Promise((resolve) => {
    execFile('git', args, { cwd: root, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, windowsHide: true }, (err, stdout) => {
      if (err) return resolve(undefined);
      const commits: Commit[] = [];
      for (const block of stdout.split('\0').slice(1)) {
        const [head = '', ...rest] = block.split('\n');
        const [sha = '', subject = ''] = head.split('\x1f');
        if (!/^[0-9a-f]{40}$/.test(sha)) continue;
        commits.push({ sha, subject, files: rest.map((l) => l.trim()).filter(Boolean) });
      }
      resolve(commits);
    });
  });
}

/** Co-change counts and commit subjects, newest commits first, kept to the last MAX_COMMITS. */
export class GitHistory {
  private commits: Commit[] = [];
  private pairs = new Map<string, Map<string, number>>();
  private subjectTerms: Set<string>[] = [];
  private termCommits = new Map<string, number>();

  get head(): string | undefined {
    return this.commits[0]?.sha;
  }

  get size(): number {
    return this.commits.length;
  }

  /** Adds commits newer than those held (newest first), dropping the oldest past the bound. */
  addNewer(newer: Commit[]): void {
    if (!newer.length) return;
    this.commits = [...newer, ...this.commits].slice(0, MAX_COMMITS);
    this.rebuild();
  }

  /** Replaces everything held (a rewritten history). */
  replace(commits: Commit[]): void {
    this.commits = commits.slice(0, MAX_COMMITS);
    this.rebuild();
  }

  /** Files changed in the same commits as `path`, with how many commits they shared. */
  coChanged(path: string): ReadonlyMap<string, number> {
    return this.pairs.get(path) ?? new Map();
  }

  /**
   * Commits whose subjects share rare words with the query, best first: each shared word counts by how few commits
   * use it, and a commit needs two shared words or one very rare one.
   */
  matchingCommits(query: string, limit = 5): { commit: Commit; score: number; words: string[] }[] {
    const terms = new Set(queryTerms(query));
    const n = this.commits.length;
    const out: { commit: Commit; score: number; words: string[] }[] = [];
    this.commits.forEach((commit, i) => {
      const words: string[] = [];
      let score = 0;
      for (const t of this.subjectTerms[i] ?? []) {
        if (!terms.has(t)) continue;
        const df = this.termCommits.get(t) ?? 1;
        if (df > n / 4) continue;
        words.push(t);
        score += Math.log(1 + n / df);
      }
      if (words.length >= 2 || (words.length === 1 && score >= Math.log(1 + n) && n >= 20)) out.push({ commit, score, words });
    });
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private rebuild(): void {
    this.pairs = new Map();
    this.termCommits = new Map();
    this.subjectTerms = this.commits.map((c) => new Set(queryTerms(c.subject)));
    for (const terms of this.subjectTerms) for (const t of terms) this.termCommits.set(t, (this.termCommits.get(t) ?? 0) + 1);
    for (const c of this.commits) {
      if (c.files.length < 2 || c.files.length > MAX_FILES_FOR_PAIRS) continue;
      for (const a of c.files) {
        let row = this.pairs.get(a);
        if (!row) this.pairs.set(a, (row = new Map()));
        for (const b of c.files) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      }
    }
  }
}

/** Reads the history of `root` into `history`: everything on the first call, only the new commits after that. */
export async function refreshGitHistory(root: string, history: GitHistory): Promise<number> {
  const since = history.head;
  let newer = await readGitLog(root, since ? { since } : {});
  // A rewritten history (rebase, reset) makes `since` unknown: read it all again.
  if (newer === undefined && since) {
    newer = await readGitLog(root);
    if (newer) {
      history.replace(newer);
      return newer.length;
    }
  }
  if (!newer) return 0;
  history.addNewer(newer);
  return newer.length;
}
