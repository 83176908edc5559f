// Evidence from reading the issue against the code: the file that raises a quoted message, the module an import or a
// dotted path names, the file declaring a CLI flag, the subject of a failing test. Each credits files with a score in
// [0, 1] and a reason naming the evidence; rank.ts weighs them. Nothing here knows any repository.
import { queryTerms } from '../index/tokenize.js';
import type { IssueText, ModuleMention } from './issue-text.js';
import { isTestPath, subjectsOf } from './test-subjects.js';

/** What evidence needs from the index. */
export interface EvidenceIndex {
  readonly lexical: { filesWithTerm(term: string): readonly number[] };
  readonly fileCount: number;
  pathOf(id: number): string | undefined;
  contentById(id: number): string | undefined;
  filesNamed(basename: string): Iterable<number>;
  entriesInDirNamed(dir: string): Iterable<number>;
  idOf(path: string): number | undefined;
}

export type Credit = (id: number, score: number, reason: string) => void;

/** Files scanned for one literal at most: a phrase whose rarest word is in more files says too little to pay for. */
const MAX_SCAN = 600;
const MODULE_EXTS = ['.py', '.pyi', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs'];
const PACKAGE_FILES = ['__init__.py', 'index.ts', 'index.tsx', 'index.js', 'index.jsx', 'index.mjs'];

type Usage = 'raises' | 'logs' | 'contains';
const USAGE_FACTOR: Record<Usage, number> = { raises: 1, contains: 0.55, logs: 0.3 };

/** The files that raise, format or log each quoted message: raising beats mentioning beats logging. */
export function messageEvidence(index: EvidenceIndex, issue: IssueText, credit: Credit): void {
  for (const fragment of issue.messages) {
    const hits = findLiteral(index, fragment, true);
    if (!hits.length || hits.length > 20) continue;
    const specificity = 1 / Math.sqrt(hits.length);
    for (const { id, usage } of hits) {
      const verb = usage === 'raises' ? 'raises' : usage === 'logs' ? 'logs' : 'contains';
      credit(id, USAGE_FACTOR[usage] * specificity, `${verb} '${short(fragment)}' (quoted in the issue)`);
    }
  }
}

/** Definers of the callable an error line blames: `RST.__init__() got an unexpected keyword` is about class RST. */
export function blamedEvidence(
  index: EvidenceIndex & { graph: { definersOf(name: string): ReadonlySet<number> | undefined } },
  issue: IssueText,
  credit: Credit,
): void {
  for (const name of issue.errorIdentifiers) {
    if (name.startsWith('__') || name.length < 2) continue;
    const files = [...(index.graph.definersOf(name) ?? [])].filter((id) => !isTestPath(index.pathOf(id) ?? ''));
    if (!files.length || files.length > 6) continue;
    const strength = issue.signatureError ? 1 : 0.5;
    for (const id of files) credit(id, strength / Math.sqrt(files.length), `defines \`${name}\` (blamed by the error)`);
  }
}

/** The files declaring a CLI flag or config key the issue uses. */
export function flagEvidence(index: EvidenceIndex, issue: IssueText, credit: Credit): void {
  for (const flag of issue.flags) {
    const name = flag.replace(/^-+/, '');
    let hits = findLiteral(index, flag, false);
    if (!hits.length) hits = [...findLiteral(index, `'${name}'`, false), ...findLiteral(index, `"${name}"`, false)];
    if (!hits.length) hits = findLiteral(index, name.replace(/-/g, '_'), false);
    if (!hits.length || hits.length > 15) continue;
    for (const { id } of hits) credit(id, 1 / Math.sqrt(hits.length), `declares ${flag}`);
  }
  for (const key of issue.configKeys) {
    const files = index.lexical.filesWithTerm(key.toLowerCase());
    if (!files.length || files.length > 12) continue;
    const own = files.filter((id) => !isTestPath(index.pathOf(id) ?? ''));
    for (const id of own) credit(id, 0.5 / Math.sqrt(own.length), `reads the key \`${key}\` the issue sets`);
  }
}

/**
 * The user documentation (the root README) that lists an option the issue names (`hide_rank`,
 * `--max-width`, a link's `show_icons=`): a change to the option changes what the docs say about it. Returns the
 * documenting files with the options each lists.
 */
export function documentedOptions(index: EvidenceIndex, issue: IssueText, identifiers: readonly string[]): Map<number, string[]> {
  const options = new Set<string>([...issue.configKeys, ...issue.flags.map((f) => f.replace(/^-+/, ''))]);
  for (const id of identifiers) if (/^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+$/.test(id)) options.add(id);
  const out = new Map<number, string[]>();
  for (const option of options) {
    if (option.length < 4) continue;
    const term = option.toLowerCase().replace(/-/g, '_');
    for (const id of index.lexical.filesWithTerm(term)) {
      const path = index.pathOf(id) ?? '';
      if (!USER_DOCS.test(path)) continue;
      if (!index.contentById(id)?.includes(option)) continue;
      const listed = out.get(id) ?? [];
      if (!listed.includes(option)) listed.push(option);
      out.set(id, listed);
    }
  }
  return out;
}

/** The root README: translations and pages under docs/ repeat it, and lifting them all would crowd the code out. */
const USER_DOCS = /^readme(\.(md|mdx|rst|txt))?$/i;

/** Modules the issue imports or names (`from a.b import c`, `a.b.c`, `pkg/plugin/x`), resolved to files. */
export function moduleEvidence(index: EvidenceIndex, issue: IssueText, credit: Credit): void {
  const all = issue.modules.map((mention) => ({ mention, resolved: resolveMention(index, mention) }));
  // An issue's setup imports many modules to reproduce one bug: each import says less the more there are.
  const imports = all.filter((m) => m.resolved && m.mention.imported).length;
  for (const { mention, resolved } of all) {
    if (!resolved) continue;
    const { ids, depth } = resolved;
    // A bare package (`import xarray`) says little; a submodule path says where to look.
    // An import for its side effect only (a locale, a polyfill) sets the scene; the modules the code calls are the subject.
    // A route is where a request enters, not necessarily where it goes wrong: less than a path named outright.
    const share = mention.imported ? ((mention.bare ? 0.4 : 1) * 0.6) / Math.sqrt(Math.max(1, imports)) : mention.route ? 0.4 : 0.85;
    const strength = ((depth >= 2 ? 1 : 0.2) * share) / Math.sqrt(ids.length);
    const how = mention.imported ? 'imported in the issue as' : mention.route ? "a route in the issue's link:" : 'named in the issue as';
    for (const id of ids) credit(id, strength, `${how} \`${mention.as}\`${mention.bare ? ' (for its side effect)' : ''}`);
    for (const name of mention.names) {
      const sub = resolveSuffix(index, `${resolved.suffix}/${name}`);
      for (const id of sub) credit(id, 1 / Math.sqrt(sub.length), `imported in the issue (\`from ${mention.as} import ${name}\`)`);
    }
  }
}

/** A quoted name in the issue's code that is a module's file name (`locale('sv')` -> `locale/sv.js`). */
export function quotedNameEvidence(index: EvidenceIndex, issue: IssueText, credit: Credit): void {
  for (const name of issue.quotedNames) {
    if (STRUCTURAL_NAMES.has(name.toLowerCase())) continue;
    const ids = resolveSuffix(index, name).filter((id) => !isTestPath(index.pathOf(id) ?? ''));
    if (!ids.length || ids.length > 3) continue;
    for (const id of ids) credit(id, 0.6 / Math.sqrt(ids.length), `named as '${name}' in the issue's code`);
  }
}

/**
 * A code name in the issue's prose that is a module's own name (`customParseFormat` for `plugin/customParseFormat/`,
 * `dayjs.duration()` for `plugin/duration/index.js`): the reporter says which module misbehaves.
 */
export function moduleNameEvidence(index: EvidenceIndex, names: readonly string[], credit: Credit): void {
  for (const name of names) {
    if (name.length < 3 || STRUCTURAL_NAMES.has(name.toLowerCase())) continue;
    const ids = resolveSuffix(index, name).filter((id) => !isTestPath(index.pathOf(id) ?? ''));
    if (!ids.length || ids.length > 3) continue;
    for (const id of ids) credit(id, 0.6 / Math.sqrt(ids.length), `the issue's prose names the module \`${name}\``);
  }
}

const STRUCTURAL_NAMES = new Set(['index', 'main', 'init', 'src', 'lib', 'test', 'tests', 'utils', 'util', 'config', 'setup', 'default', 'types', 'constants']);

/** Failing tests the issue names point to the code they test. */
export function failingTestEvidence(index: EvidenceIndex, tests: string[], credit: Credit): void {
  for (const mention of tests) {
    const base = (mention.split('/').pop() ?? mention).toLowerCase();
    for (const id of index.filesNamed(base)) {
      const path = index.pathOf(id) ?? '';
      if (!(path === mention || path.endsWith(`/${mention}`) || mention.endsWith(`/${path}`))) continue;
      const subjects = subjectsOf(index, path);
      for (const s of subjects) credit(s, 1 / Math.sqrt(subjects.length), `tested by ${path} (failing in the issue)`);
    }
  }
}

interface LiteralHit {
  id: number;
  usage: Usage;
}

/**
 * Files whose text holds `literal` verbatim. The rarest of its words narrows the scan to the files that have it;
 * with `inString`, only occurrences inside a string literal on their line count.
 */
export function findLiteral(index: EvidenceIndex, literal: string, inString: boolean): LiteralHit[] {
  const terms = [...new Set(queryTerms(literal))];
  if (!terms.length) return [];
  // Files with every word of the literal: the rarest word's files, kept if they also have the next rarest words.
  const postings = terms.map((t) => index.lexical.filesWithTerm(t)).sort((a, b) => a.length - b.length);
  const rarest = postings[0]!;
  if (rarest.length === 0 || rarest.length > MAX_SCAN * 10) return [];
  const also = postings.slice(1, 3).map((p) => new Set(p));
  const candidates = rarest.filter((id) => also.every((s) => s.has(id)));
  if (candidates.length > MAX_SCAN) return [];
  const variants = [literal];
  const flipped = literal[0] === literal[0]?.toUpperCase() ? literal[0]!.toLowerCase() + literal.slice(1) : literal[0]!.toUpperCase() + literal.slice(1);
  if (flipped !== literal) variants.push(flipped);
  const out: LiteralHit[] = [];
  for (const id of candidates) {
    const text = index.contentById(id);
    if (!text) continue;
    let best: Usage | undefined;
    for (const v of variants) {
      for (let at = text.indexOf(v); at >= 0 && best !== 'raises'; at = text.indexOf(v, at + v.length)) {
        if (inString && !insideString(text, at)) continue;
        const u = usageAt(text, at);
        if (!best || USAGE_FACTOR[u] > USAGE_FACTOR[best]) best = u;
      }
    }
    if (best) out.push({ id, usage: best });
  }
  return out;
}

function insideString(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const before = text.slice(lineStart, at);
  // A quote earlier on the line, or a line that continues a multi-line string.
  return /["'`]/.test(before) || /^\s*$/.test(before);
}

function usageAt(text: string, at: number): Usage {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(lineStart, end < 0 ? text.length : end);
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const prev = text.slice(prevStart, lineStart);
  const raises = /\b(raise|throw|reject|panic|abort)\b|\b[A-Z]\w*(Error|Exception|Warning)\s*\(|\bnew\s+\w*Error\b|\bfail\w*\s*\(/;
  const logs = /\b(console\.\w+|log(ger|ging)?\.\w+|print|warn|warning|debug|info|echo)\s*\(/;
  if (raises.test(line)) return 'raises';
  if (logs.test(line)) return 'logs';
  if (raises.test(prev)) return 'raises';
  if (logs.test(prev)) return 'logs';
  return 'contains';
}

/**
 * A module path to the files it names: the longest suffix of it that matches a file (`a/b/c` -> `.../a/b/c.py`,
 * `.../a/b/c/index.js`); an imported package's own name may be dropped (`pkg/plugin/x` -> `src/plugin/x/index.js`);
 * a dotted name may end in attributes (`pkg.mod.Class.method` -> `pkg/mod.py`).
 */
function resolveMention(index: EvidenceIndex, mention: ModuleMention): { ids: number[]; depth: number; suffix: string } | undefined {
  const segments = mention.path.split('/');
  if (mention.imported && segments.length === 1) {
    const entry = packageEntry(index, mention.path);
    if (entry !== undefined) return { ids: [entry], depth: 2, suffix: mention.path };
  }
  // Trailing segments may be attributes, leading ones a package name or an install root.
  // A route names the whole path from the workspace's root (`api/pin` -> `api/pin.js`, `api` -> `api/index.js`).
  const lowest = mention.route ? segments.length : 1;
  for (let end = segments.length; end >= lowest; end--) {
    const maxStart = mention.imported ? Math.min(end - 1, segments[0]?.startsWith('@') ? 2 : 1) : 0;
    for (let start = 0; start <= maxStart; start++) {
      const depth = end - start;
      // One bare segment resolves only for an import (`import xarray`); in prose `foo.bar` is usually an attribute.
      if (depth < 2 && !((mention.imported || mention.route) && start === 0 && end === segments.length)) continue;
      if (mention.route) {
        const ids = resolveFromRoot(index, segments.join('/'));
        if (ids.length) return { ids, depth, suffix: segments.join('/') };
        continue;
      }
      const suffix = segments.slice(start, end).join('/');
      const ids = resolveSuffix(index, suffix);
      if (ids.length && ids.length <= 6) return { ids, depth: start > 0 ? depth + 1 : depth, suffix };
    }
    if (!mention.imported && end <= 2) break;
  }
  return undefined;
}

/**
 * The workspace's own package, imported by name (`import dayjs from 'dayjs'` in dayjs): its source entry. The
 * manifest's `source`/`module`/`main` when they are indexed source files, else the conventional entry files.
 */
function packageEntry(index: EvidenceIndex, name: string): number | undefined {
  const manifestId = index.idOf('package.json');
  const text = manifestId === undefined ? undefined : index.contentById(manifestId);
  if (!text) return undefined;
  let manifest: { name?: unknown; source?: unknown; module?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch {
    return undefined;
  }
  if (manifest.name !== name) return undefined;
  const declared = [manifest.source, manifest.module, manifest.main].filter((v): v is string => typeof v === 'string');
  for (const p of [
    ...declared.map((d) => d.replace(/^\.\//, '')),
    'src/index.ts',
    'src/index.js',
    'index.ts',
    'index.js',
    'lib/index.ts',
    'lib/index.js',
    `lib/${name}.js`,
    `src/${name}.ts`,
    `src/${name}.js`,
  ]) {
    const id = index.idOf(p);
    if (id !== undefined && !/\.min\.|(^|\/)(dist|build)\//.test(p)) return id;
  }
  return undefined;
}

/** `api/pin` -> `api/pin.js`, `api` -> `api/index.js`: the file or directory entry at exactly that path. */
function resolveFromRoot(index: EvidenceIndex, path: string): number[] {
  const out: number[] = [];
  for (const ext of MODULE_EXTS) {
    const id = index.idOf(`${path}${ext}`);
    if (id !== undefined) out.push(id);
  }
  if (out.length) return out;
  for (const file of PACKAGE_FILES) {
    const id = index.idOf(`${path}/${file}`);
    if (id !== undefined) out.push(id);
  }
  return out;
}

export function resolveSuffix(index: EvidenceIndex, suffix: string): number[] {
  const last = suffix.split('/').pop() ?? suffix;
  const out: number[] = [];
  const matches = (path: string, want: string): boolean => path === want || path.endsWith(`/${want}`);
  for (const ext of MODULE_EXTS) {
    for (const id of index.filesNamed(`${last}${ext}`.toLowerCase())) if (matches(index.pathOf(id) ?? '', `${suffix}${ext}`)) out.push(id);
  }
  if (out.length) return out;
  for (const id of index.entriesInDirNamed(last)) {
    const path = index.pathOf(id) ?? '';
    const file = path.slice(path.lastIndexOf('/') + 1);
    if (PACKAGE_FILES.includes(file) && matches(path, `${suffix}/${file}`)) out.push(id);
  }
  return out;
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
