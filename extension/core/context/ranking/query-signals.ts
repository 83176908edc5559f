// What a query names, lifted from its text: stack frames, file paths, and code identifiers (backticked, called,
// dotted, camelCase or snake_case). These are matched against paths and symbol definitions, which says far more
// than word overlap does.

export interface StackFrame {
  path: string;
  line?: number;
  fn?: string;
  /** Python prints the innermost frame last, JavaScript first. */
  innermostLast?: boolean;
}

export interface QuerySignals {
  frames: StackFrame[];
  /** Paths or file names mentioned (`src/bar.js`, `utils.py`), without line numbers. */
  files: string[];
  /** Identifiers that look like code, in order of first appearance, deduplicated. */
  identifiers: string[];
  /**
   * Names that only a stack frame gives (`at Object.isFormData (lib/utils.js:195)`): the frame already credits its
   * file, so they count as definitions only when the frame's path is not in the workspace.
   */
  frameOnly: Set<string>;
}

const FILE_EXT = '(?:[cm]?[jt]sx?|py|pyi|go|rs|java|kt|rb|php|cs|cc|cpp|c|h|hpp|swift|scala|vue|svelte|json|ya?ml|toml|md|css|scss|html)';
const JS_FRAME = /\bat\s+(?:(?:async\s+)?([\w$.<>[\] ]+?)\s+\()?(?:file:\/\/)?([^\s()'"]+?):(\d+)(?::\d+)?\)?(?=\s|$)/g;
const PY_FRAME = /File\s+"([^"]+)",\s+line\s+(\d+)(?:,\s+in\s+([\w<>]+))?/g;
const IPYTHON_FRAME = /File\s+([^\s"',]+\.pyx?):(\d+)(?:,\s+in\s+([\w<>.]+))?/g;
const FILE_MENTION = new RegExp(`(?:^|[\\s(\`'"\\[])((?:[\\w.@-]+/)*[\\w.@-]+\\.${FILE_EXT})(?::\\d+)?(?=$|[\\s)\`'",:;\\]])`, 'gm');
const PERMALINK = /https?:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+\/(?:-\/)?blob\/[^\s/]+\/([^\s#?)\]'"`]+)/g;
const BACKTICKED = /`([^`\n]{1,120})`/g;
const CALLED = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/g;
const CODEY = /\b([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+|[a-z]+[A-Z][\w$]*|[A-Z][a-z0-9]+[A-Z][\w$]*|[A-Za-z]+_[\w$]+)\b/g;
const IDENT = /[A-Za-z_$][\w$]*/g;

export function extractQuerySignals(text: string): QuerySignals {
  const frames: StackFrame[] = [];
  for (const m of text.matchAll(JS_FRAME)) {
    const path = cleanPath(m[2] ?? '');
    if (!path || !/[./]/.test(path)) continue;
    frames.push({ path, line: Number(m[3]), ...(m[1] ? { fn: m[1].trim() } : {}) });
  }
  for (const m of text.matchAll(PY_FRAME)) {
    frames.push({ path: cleanPath(m[1] ?? ''), line: Number(m[2]), innermostLast: true, ...(m[3] ? { fn: m[3] } : {}) });
  }
  // IPython and Jupyter print `File ~/src/pkg/mod.py:30, in Class.method(self, x)`.
  for (const m of text.matchAll(IPYTHON_FRAME)) {
    frames.push({ path: cleanPath(m[1] ?? ''), line: Number(m[2]), innermostLast: true, ...(m[3] ? { fn: m[3] } : {}) });
  }
  const files = new Set<string>();
  for (const m of text.matchAll(FILE_MENTION)) {
    const p = cleanPath(m[1] ?? '');
    // `Foo.bar` followed by a file-like extension is ambiguous (e.g. `dayjs.js`); keep it, matching decides.
    if (p && !/^https?:/.test(p)) files.add(p);
  }
  // A permalink to a source line (`https://github.com/o/r/blob/<ref>/src/index.js#L254`) names the file and line.
  for (const m of text.matchAll(PERMALINK)) {
    files.add(decodeURIComponent(m[1] ?? ''));
  }
  for (const f of frames) files.add(f.path);

  const ids: string[] = [];
  const add = (raw: string): void => {
    for (const part of expandDotted(raw)) if (part.length >= 2 && !ids.includes(part)) ids.push(part);
  };
  // A frame line's names are the frame's; what the rest of the issue names is read without them.
  const prose = withoutFrameLines(text);
  for (const m of prose.matchAll(BACKTICKED)) for (const id of (m[1] ?? '').matchAll(IDENT)) add(id[0]);
  for (const m of prose.matchAll(CALLED)) add(m[1] ?? '');
  for (const m of prose.matchAll(CODEY)) add(m[1] ?? '');
  const named = ids.length;
  for (const f of frames) if (f.fn) add(f.fn);
  const identifiers = ids.filter((id) => !/^\d/.test(id));
  return { frames, files: [...files], identifiers, frameOnly: new Set(ids.slice(named)) };
}

/** Stack-frame lines (`at fn (path:1:2)`, `File "x.py", line 3, in f`, `fn @ file.js:1`) blanked out. */
export function withoutFrameLines(text: string): string {
  return text.replace(FRAME_LINE, '');
}

const FRAME_LINE = /^[ \t]*(?:at\s+\S.*:\d+(?::\d+)?\)?|File\s+"[^"]+",\s+line\s+\d+.*|File\s+[^\s"',]+\.pyx?:\d+.*|[\w$.<>]+\s+@\s+\S+:\d+(?::\d+)?)[ \t]*$/gm;

/** `Foo.bar.baz` -> Foo, bar, baz (each part may be a definition); plain names pass through. */
function expandDotted(raw: string): string[] {
  return raw.split('.').filter((p) => /^[A-Za-z_$][\w$]*$/.test(p));
}

function cleanPath(p: string): string {
  return p
    .replace(/^webpack:\/\/\/?/, '')
    .replace(/^~\//, '')
    .replace(/^\.?\//, '')
    .replace(/\\/g, '/')
    .replace(/:\d+(:\d+)?$/, '');
}

/**
 * An installed copy's path inside its package: `/usr/lib/python3/site-packages/pkg/mod.py` -> `pkg/mod.py`,
 * `/app/node_modules/pkg/lib/x.js` -> `lib/x.js` (a package's root is the repository's root, or one of its packages).
 */
export function installedRelative(mention: string): string | undefined {
  const py = /(?:^|\/)(?:site|dist)-packages\/(.+)$/.exec(mention);
  if (py) return py[1];
  const js = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/(.+)$/.exec(mention);
  return js?.[1];
}

/** Whether a mentioned path (possibly absolute, installed or partial) names this workspace-relative file. */
export function pathMatchesMention(path: string, mention: string): boolean {
  const p = path.toLowerCase();
  const installed = installedRelative(mention);
  if (installed && matchesRelative(p, installed.toLowerCase())) return true;
  return matchesRelative(p, mention.toLowerCase());
}

function matchesRelative(p: string, m: string): boolean {
  if (p === m) return true;
  if (m.includes('/')) return p.endsWith(`/${m}`) || m.endsWith(`/${p}`);
  return p.endsWith(`/${m}`) || p === m;
}
