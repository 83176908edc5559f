// What a check's output says went wrong, as file:line findings: the failing tests and the errors, read from the
// formats test runners, type checkers and linters print (node:test TAP and spec, jest, vitest, mocha, tsc, eslint
// stylish and unix, pytest), with a generic `path:line:col: message` for the rest. The model gets these first, so it
// does not have to dig through a screenful of output to find the line that broke.

export interface Finding {
  /** Workspace-relative when the path was inside the workspace. */
  file?: string;
  line?: number;
  col?: number;
  /** The failing test's name, when the output is a test run's. */
  test?: string;
  message: string;
}

/** Lines of the message kept per finding: the assertion and its expected/actual, not the whole diff. */
const MESSAGE_LINES = 6;
const MESSAGE_CHARS = 400;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A location in a stack line or a report, with `file://` and the workspace root taken off. */
function relativePath(path: string, root: string | undefined): string {
  let p = path.trim().replace(/^file:\/\//, '');
  try {
    if (/%[0-9A-Fa-f]{2}/.test(p)) p = decodeURIComponent(p);
  } catch {
    // keep it as printed
  }
  if (root) {
    const r = root.endsWith('/') ? root : `${root}/`;
    if (p.startsWith(r)) p = p.slice(r.length);
  }
  return p.replace(/^\.\//, '');
}

function clip(lines: string[]): string {
  const kept = lines.map((l) => l.trimEnd()).filter((l, i, all) => l.trim() !== '' || (i > 0 && all[i - 1]!.trim() !== ''));
  const text = kept
    .slice(0, MESSAGE_LINES)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' | ');
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 1)}…` : text;
}

/** `at X (/abs/file.js:6:10)`, `at /abs/file.js:6:10`, TAP's `X (/abs/file.js:6:10)`, `❯ src/a.test.ts:5:21`: the first frame outside node internals and node_modules. */
const FRAME = /(?:\bat\s+(?:.*?\()?|❯\s+|\()((?:file:\/\/)?[^\s()'"]+?\.[cm]?[jt]sx?):(\d+):(\d+)\)?/;

function firstUserFrame(lines: string[], root: string | undefined): { file: string; line: number; col: number } | undefined {
  for (const l of lines) {
    const m = FRAME.exec(l);
    if (!m) continue;
    const file = relativePath(m[1]!, root);
    if (file.startsWith('node:') || file.includes('node_modules/') || file.startsWith('internal/')) continue;
    return { file, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}

/** node:test with the TAP reporter: `not ok N - name` and its YAML block (location, error, stack). */
function nodeTap(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)not ok \d+ - (.*?)(?:\s+#.*)?$/.exec(lines[i]!);
    if (!head) continue;
    const indent = head[1]!.length;
    const block: string[] = [];
    let j = i + 1;
    if (lines[j]?.trim() === '---') {
      for (j++; j < lines.length && lines[j]!.trim() !== '...'; j++) block.push(lines[j]!);
    }
    // A suite's own `not ok` only says a subtest failed; its subtests are reported themselves.
    if (block.some((l) => /failureType:\s*'subtestsFailed'/.test(l))) continue;
    const error: string[] = [];
    let inError = false;
    let errorIndent = 0;
    for (const l of block) {
      const key = /^(\s*)([a-zA-Z_]+):\s?(.*)$/.exec(l);
      if (key && (!inError || key[1]!.length <= errorIndent)) {
        inError = key[2] === 'error';
        errorIndent = key[1]!.length;
        if (inError && key[3] && !/^[|>]-?$/.test(key[3])) error.push(key[3].replace(/^'(.*)'$/, '$1'));
        continue;
      }
      if (inError) error.push(l);
    }
    const located = block.map((l) => /location:\s*'(.*):(\d+):(\d+)'/.exec(l)).find(Boolean);
    const frame = firstUserFrame(block, root);
    const where = frame ?? (located ? { file: relativePath(located[1]!, root), line: Number(located[2]), col: Number(located[3]) } : undefined);
    out.push({ ...where, test: head[2]!.trim(), message: clip(error.length ? error : ['failed']) });
    void indent;
  }
  return out;
}

/** node:test with the spec reporter: `✖ name (1.2ms)` followed by the indented error and its stack. */
function nodeSpec(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)✖ (.+?)(?: \([\d.]+m?s\))?$/.exec(lines[i]!);
    if (!head || /^failing tests:?$/.test(head[2]!.trim())) continue;
    const indent = head[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.trim() === '') {
        body.push(l);
        continue;
      }
      if (l.length - l.trimStart().length <= indent) break;
      body.push(l);
    }
    const message = body.filter((l) => !/^\s*at\s/.test(l) && !/^\s*\{?\s*(generatedMessage|code|actual|expected|operator)\b/.test(l) && l.trim() !== '}');
    // A suite's line has no error of its own, only its failed subtests under it.
    if (!message.some((l) => l.trim())) continue;
    if (body.some((l) => /^\s*[✖✔▶﹣]/.test(l))) continue;
    const frame = firstUserFrame(body, root);
    const f: Finding = { ...frame, test: head[2]!.trim(), message: clip(message) };
    const key = `${f.test}|${f.file}:${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** jest: `● suite › test` then the message, the code frame and `at ... (file:line:col)`. */
function jest(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*● (.+)$/.exec(lines[i]!);
    if (!head || /^Test suite failed to run/.test(head[1]!)) {
      if (head) {
        const body = lines.slice(i + 1, i + 12);
        const frame = firstUserFrame(body, root) ?? genericLocation(body.join('\n'), root);
        out.push({ ...frame, message: clip(body.filter((l) => !/^\s*at\s/.test(l))) });
      }
      continue;
    }
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*● /.test(lines[j]!) && !/^(Test Suites|Tests):/.test(lines[j]!); j++) body.push(lines[j]!);
    const message = body.filter((l) => !/^\s*at\s/.test(l) && !/^\s*(>?\s*\d+ \||\|)/.test(l));
    out.push({ ...firstUserFrame(body, root), test: head[1]!.trim(), message: clip(message) });
  }
  return out;
}

/** vitest: ` FAIL  file > suite > test` then `AssertionError: ...` and ` ❯ file:line:col`. */
function vitest(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*(?:FAIL|×)\s+(\S+\.[cm]?[jt]sx?)\s+>\s+(.+?)(?:\s+\d+ms)?$/.exec(lines[i]!);
    if (!head) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*(FAIL|⎯{3,})/.test(lines[j]!); j++) body.push(lines[j]!);
    const message = body.filter((l) => !/^\s*❯/.test(l) && !/^\s*\d+\s*\|/.test(l) && !/^\s*\|/.test(l));
    out.push({ ...(firstUserFrame(body, root) ?? { file: relativePath(head[1]!, root) }), test: head[2]!.trim(), message: clip(message) });
  }
  return out;
}

/** mocha: `  1) suite\n       test:` then the error and its stack. */
function mocha(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s{2}(\d+)\) (.+)$/.exec(lines[i]!);
    if (!head) continue;
    const title = [head[2]!.trim()];
    let j = i + 1;
    for (; j < lines.length && /^\s+\S.*:$/.test(lines[j]!) && !/Error/.test(lines[j]!); j++) title.push(lines[j]!.trim().replace(/:$/, ''));
    if (j === i + 1 && !head[2]!.trim().endsWith(':')) continue;
    const body: string[] = [];
    for (; j < lines.length && !/^\s{2}\d+\) /.test(lines[j]!); j++) body.push(lines[j]!);
    if (!body.some((l) => /Error|expected/i.test(l))) continue;
    const message = body.filter((l) => !/^\s*at\s/.test(l) && !/^\s*[+-] expected - actual/.test(l));
    out.push({ ...firstUserFrame(body, root), test: title.join(' ').replace(/:$/, ''), message: clip(message) });
  }
  return out;
}

/** tsc: `src/a.ts(3,7): error TS2322: ...`, or the pretty `src/a.ts:3:7 - error TS2322: ...`. */
function tsc(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const l of lines) {
    const m = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/.exec(l) ?? /^(.+?):(\d+):(\d+) - (error|warning) (TS\d+): (.*)$/.exec(l);
    if (m) out.push({ file: relativePath(m[1]!, root), line: Number(m[2]), col: Number(m[3]), message: `${m[4]} ${m[5]}: ${m[6]!.trim()}` });
  }
  return out;
}

/** eslint stylish: a file path line, then `  3:7  error  message  rule`. */
function eslintStylish(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  let file: string | undefined;
  for (const l of lines) {
    if (/^\S.*\.[cm]?[jt]sx?$/.test(l.trim()) && !l.startsWith(' ')) {
      file = relativePath(l.trim(), root);
      continue;
    }
    const m = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?$/.exec(l);
    if (m && file) out.push({ file, line: Number(m[1]), col: Number(m[2]), message: `${m[3]} ${m[4]!.trim()}${m[5] ? ` (${m[5]})` : ''}` });
    else if (l.trim() === '') file = undefined;
  }
  return out;
}

/** pytest: the short summary (`FAILED file::test - message`) and the `file:line: Error` lines of each failure. */
function pytest(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  const located = new Map<string, { file: string; line: number; message: string }>();
  let current: string | undefined;
  let eLines: string[] = [];
  for (const l of lines) {
    const section = /^_{3,} (.+?) _{3,}$/.exec(l);
    if (section) {
      current = section[1]!.trim();
      eLines = [];
      continue;
    }
    if (current && /^E\s/.test(l)) eLines.push(l.slice(1));
    const loc = /^(\S+\.py):(\d+): (\w+)/.exec(l);
    if (current && loc) {
      located.set(current, { file: relativePath(loc[1]!, root), line: Number(loc[2]), message: clip(eLines.length ? eLines : [loc[3]!]) });
      current = undefined;
    }
  }
  for (const l of lines) {
    const m = /^(?:FAILED|ERROR) (\S+?\.py)::(\S+)(?: - (.*))?$/.exec(l);
    if (!m) continue;
    const test = m[2]!.split('::').pop()!;
    const loc = located.get(test) ?? located.get(m[2]!.replace(/::/g, '.'));
    out.push({ file: loc?.file ?? relativePath(m[1]!, root), ...(loc ? { line: loc.line } : {}), test: m[2]!, message: loc?.message ?? m[3] ?? 'failed' });
  }
  if (out.length === 0) for (const [test, loc] of located) out.push({ ...loc, test });
  return out;
}

/** The last resort: `path:line:col: message` or `path:line: message` (gcc, eslint unix, go vet, shellcheck gcc, ...). */
function generic(lines: string[], root: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const l of lines) {
    const m = /^\s*((?:\.{0,2}\/)?[\w@.\-/]+\.[A-Za-z0-9]{1,6}):(\d+)(?::(\d+))?:?\s+(.*\S)\s*$/.exec(l);
    if (!m || /^\s*at\s/.test(l) || /^https?:/.test(m[1]!)) continue;
    out.push({
      file: relativePath(m[1]!, root),
      line: Number(m[2]),
      ...(m[3] ? { col: Number(m[3]) } : {}),
      message: m[4]!.replace(/^[-:]\s*/, '').slice(0, MESSAGE_CHARS),
    });
  }
  return out;
}

function genericLocation(text: string, root: string | undefined): { file: string; line: number } | undefined {
  const f = generic(text.split('\n'), root)[0];
  return f?.file && f.line ? { file: f.file, line: f.line } : undefined;
}

const STRUCTURED = [nodeTap, nodeSpec, jest, vitest, mocha, tsc, eslintStylish, pytest];

/**
 * The findings in a check's output, most specific format first; the generic pattern only when no known format
 * matched. `root` is the workspace folder, taken off absolute paths.
 */
export function extractFindings(output: string, root?: string): Finding[] {
  const lines = stripAnsi(output).replace(/\r\n?/g, '\n').split('\n');
  const found: Finding[] = [];
  const seen = new Set<string>();
  for (const parse of STRUCTURED) {
    for (const f of parse(lines, root)) {
      const key = `${f.file ?? ''}:${f.line ?? ''}:${f.test ?? ''}:${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(f);
    }
  }
  return found.length ? found : generic(lines, root);
}

export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}${f.col ? `:${f.col}` : ''}` : ''}` : '';
  const head = [where, f.test ? `test "${f.test}"` : ''].filter(Boolean).join(' ');
  return head ? `${head}: ${f.message}` : f.message;
}
