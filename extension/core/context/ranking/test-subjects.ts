// Test files and the source they test: `test/plugin/utc.test.js` -> `src/plugin/utc/index.js`, `pkg/tests/test_rst.py`
// -> `pkg/rst.py`, `src/__tests__/parse.spec.ts` -> `src/parse.ts`. By name and shared directories, never by repository.

export interface SubjectIndex {
  pathOf(id: number): string | undefined;
  filesNamed(basename: string): Iterable<number>;
  /** Package entry files (index.*, __init__.py) in directories with this name. */
  entriesInDirNamed(dir: string): Iterable<number>;
}

const TEST_DIR = /^(__tests__|tests?|spec|specs|__mocks__|e2e|unit|integration)$/i;
const TEST_FILE = /(\.|_|-)(test|spec)s?\.[a-z]+$|(^|\/)test_[^/]+\.py$|(^|\/)[^/]+_test\.py$/;
const SOURCE_EXTS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.py', '.go', '.rs', '.java', '.rb', '.php', '.vue', '.svelte'];
/** Directory names that say nothing about which subject a test has. */
const NEUTRAL_DIR = /^(src|lib|source|app|packages?)$/i;

export function isTestPath(path: string): boolean {
  return (
    TEST_FILE.test(path) ||
    path
      .split('/')
      .slice(0, -1)
      .some((s) => TEST_DIR.test(s))
  );
}

/** The name a test file's subject goes by: `utc.test.js` -> utc, `test_rst.py` -> rst, `index.spec.ts` in `parse/` -> parse. */
export function subjectName(testPath: string): string | undefined {
  const parts = testPath.split('/');
  const file = parts[parts.length - 1] ?? '';
  let stem = file.replace(/\.[^.]+$/, '');
  stem = stem
    .replace(/[._-](test|spec)s?$/i, '')
    .replace(/^test_|_test$/i, '')
    .replace(/^test(?=[A-Z])/, '');
  if (stem === 'index' || stem === '__init__' || stem === '') {
    const dir = parts
      .slice(0, -1)
      .filter((s) => !TEST_DIR.test(s))
      .pop();
    return dir;
  }
  return stem || undefined;
}

/** The non-test files a test most likely tests: same name, most directories in common. At most three. */
export function subjectsOf(index: SubjectIndex, testPath: string): number[] {
  const name = subjectName(testPath);
  if (!name || name.length < 2) return [];
  const candidates: number[] = [];
  for (const ext of SOURCE_EXTS) for (const id of index.filesNamed(`${name}${ext}`.toLowerCase())) candidates.push(id);
  for (const id of index.entriesInDirNamed(name)) if (!/\.d\.ts$/.test(index.pathOf(id) ?? '')) candidates.push(id);
  const testDirs = dirsOf(testPath);
  let best = -1;
  let out: number[] = [];
  for (const id of new Set(candidates)) {
    const p = index.pathOf(id) ?? '';
    if (p === testPath || isTestPath(p)) continue;
    const shared = dirsOf(p).filter((d) => testDirs.includes(d)).length;
    if (shared > best) {
      best = shared;
      out = [id];
    } else if (shared === best) out.push(id);
  }
  return out.slice(0, 3);
}

function dirsOf(path: string): string[] {
  return path
    .split('/')
    .slice(0, -1)
    .filter((s) => !TEST_DIR.test(s) && !NEUTRAL_DIR.test(s));
}

/**
 * The type declarations written for a JavaScript module (`types/plugin/utc.d.ts` for `src/plugin/utc/index.js`):
 * they change when its API does. Same name, most directories in common; none for TypeScript sources.
 */
export function declarationsOf(index: SubjectIndex, sourcePath: string): number[] {
  if (!/\.[cm]?jsx?$/.test(sourcePath)) return [];
  const parts = sourcePath.split('/');
  const stem = (parts[parts.length - 1] ?? '').replace(/\.[^.]+$/, '');
  const name = stem === 'index' ? parts[parts.length - 2] : stem;
  if (!name) return [];
  const dirs = dirsOf(sourcePath);
  let best = -1;
  let out: number[] = [];
  const candidates = [...index.filesNamed(`${name}.d.ts`.toLowerCase())];
  for (const id of index.entriesInDirNamed(name)) if ((index.pathOf(id) ?? '').endsWith('/index.d.ts')) candidates.push(id);
  for (const id of candidates) {
    const shared = dirsOf(index.pathOf(id) ?? '').filter((d) => dirs.includes(d)).length;
    if (shared > best) {
      best = shared;
      out = [id];
    } else if (shared === best) out.push(id);
  }
  return out.slice(0, 2);
}
