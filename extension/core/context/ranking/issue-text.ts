// Reading an issue as an engineer does, beyond file names and identifiers: the error messages it quotes (to find the
// file that raises them), the modules it imports or names (`foo.bar.baz`, `lib/utils`, `pkg/plugin/x`), the CLI flags
// and config keys it uses, the tests it says fail, the names its code blocks use and the names its error line blames.

import { withoutFrameLines } from './query-signals.js';

export interface IssueText {
  /** Literal fragments of quoted error messages, each long enough to be specific (`got an unexpected keyword`). */
  messages: string[];
  /** Module paths, slash-separated without extension (`astropy/io/ascii/rst`, `plugin/utc`), from imports and prose. */
  modules: ModuleMention[];
  /** `--flag-name` as written. */
  flags: string[];
  /** Keys from JSON/YAML/INI snippets and `key=value` arguments (`header_rows`, `weekStart`). */
  configKeys: string[];
  /** Test files or test ids the issue says fail (`tests/test_x.py::test_y` -> `tests/test_x.py`). */
  failingTests: string[];
  /** Short quoted strings in code (`locale('sv')`, `format="ascii.rst"`): they may name a module by its file name. */
  quotedNames: string[];
  /** Identifiers used inside fenced code blocks or `>>>` sessions. */
  codeIdentifiers: Set<string>;
  /** Callables an exception line blames (`TypeError: RST.__init__() got ...` -> RST, __init__). */
  errorIdentifiers: Set<string>;
  /** The error is about a call's signature (`unexpected keyword argument`): the callee, not the caller, needs the fix. */
  signatureError: boolean;
  /**
   * Names the issue's code declares for itself (parameters, local variables) or binds by an import it never calls:
   * `async function (req, res, next)`, `const dt = ...`, `import badMutable from ...; dayjs.extend(badMutable)`. They
   * say nothing about which workspace file defines them.
   */
  setupNames: Set<string>;
}

export interface ModuleMention {
  /** Slash path, no extension. */
  path: string;
  /** How it was written, for reasons. */
  as: string;
  /** True when it came from an import of a package (its first segment may be the package name, not a directory). */
  imported: boolean;
  /** Python: `from a.b import C` -> the names imported, which may be submodules or definitions. */
  names: string[];
  /** A JavaScript import for its side effect only (`import 'pkg/locale/x'`, `require('x')` unbound): setup. */
  bare?: boolean;
  /** A link's path (`https://host/api/pin/?repo=x` -> `api/pin`): a route, read from its start only. */
  route?: boolean;
}

const FENCE = /```[^\n]*\n([\s\S]*?)```/g;
const DOCTEST = /^\s*(?:>>>|\.\.\.)\s?(.*)$/gm;
const EXCEPTION_LINE =
  /(?:^|[\s`'"(])((?:[A-Z][A-Za-z0-9]*\.)*[A-Z][A-Za-z0-9]*(?:Error|Exception|Warning|Failure)|Error|panic)(?:\s*\[[^\]]*\])?:\s+([^`\n]{6,300})/gm;
const QUOTED_PROSE = /(?:^|[\s(])(["'\u201c])([^"'\u201d\n]{10,200})(?:["'\u201d])(?=$|[\s).,;:!?])/gm;
const JS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n\s]{1,200})['"]/gm;
const PY_FROM = /^\s*(?:>>>\s*)?from\s+([A-Za-z_][\w.]*)\s+import\s+\(?([\w\s,]+)/gm;
const PY_IMPORT = /^\s*(?:>>>\s*)?import\s+([A-Za-z_][\w.]*(?:\s+as\s+\w+)?(?:\s*,\s*[A-Za-z_][\w.]*(?:\s+as\s+\w+)?)*)\s*;?\s*$/gm;
const DOTTED = /(?:^|[\s`'"([])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){1,6})(?=$|[\s`'")\],:;(])/gm;
const SLASHED = /(?:^|[\s`'"([])((?:[@A-Za-z_][\w-]*\/)+[A-Za-z_][\w-]*)\/?(?=$|[\s`'")\],:;])/gm;
const FLAG = /(?:^|[\s`'"([=])(--[a-z][a-z0-9]*(?:-[a-z0-9]+)*)\b/gm;
const KEY_IN_SNIPPET = /^\s*["']?([A-Za-z_][\w-]{3,60})["']?\s*[:=]\s*\S/gm;
const KWARG = /[(,]\s*([A-Za-z_]\w{3,60})\s*=(?!=)/g;
const PYTEST_ID = /((?:[\w.-]+\/)*[\w.-]+\.py)::[\w[\]:.-]+/g;
const FAILING_JS = /\b(?:FAIL|failing|fails?|failed)\b[:\s]+((?:[\w.@-]+\/)*[\w.@-]+\.(?:test|spec)\.[cm]?[jt]sx?)/gi;
const SIGNATURE_ERROR =
  /unexpected keyword argument|missing \d+ required|required positional argument|takes \d+ positional|takes (?:no|exactly \d+) arguments?|got multiple values for|is not a function|is not a constructor|has no attribute/;
const QUOTED_NAME = /['"]([A-Za-z][\w-]{1,40})['"]/g;
const BACKTICK_QUOTED_NAME = /`[^`\n]*?\(\s*['"]([A-Za-z][\w-]{1,40})['"]\s*\)[^`\n]*`/g;
const IDENT = /[A-Za-z_$][\w$]*/g;
const BARE_IMPORT = /^\s*(?:import\s*['"]|require\s*\(\s*['"][^'"]+['"]\s*\)\s*;?\s*$)/;
const IMPORT_BINDING =
  /^\s*(?:import\s+(?:([A-Za-z_$][\w$]*)|\*\s+as\s+([A-Za-z_$][\w$]*)|\{([^}]*)\})|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\s*\()/;
const LOCAL_VARIABLE = /(?:\b(?:const|let|var)\s+|^\s*)([A-Za-z_$][\w$]*)\s*=(?![=>])/gm;
const PARAMS = /\bfunction\b\s*[\w$]*\s*\(([^)]*)\)|\(([^()]*)\)\s*=>|\b([A-Za-z_$][\w$]*)\s*=>|\bdef\s+\w+\s*\(([^)]*)\)|\blambda\s+([^:]*):/g;
const URL = /\bhttps?:\/\/[^\s/?#)\]>'"`]+\/?([^\s?#)\]>'"`]*)(?:\?([^\s#)\]>'"`]*))?/g;
const CALL_OR_MEMBER = /(?:\.|\bnew\s+|^|[^\w$.])([A-Za-z_$][\w$]*)\s*(?=\(|\.)|\.([A-Za-z_$][\w$]*)/g;

/** Python/JS builtins and language words a code block uses without them saying where the bug is. */
const CODE_NOISE = new Set([
  'print',
  'len',
  'str',
  'int',
  'float',
  'list',
  'dict',
  'set',
  'tuple',
  'range',
  'type',
  'isinstance',
  'console',
  'log',
  'require',
  'import',
  'from',
  'self',
  'this',
  'np',
  'pd',
  'plt',
  'os',
  'sys',
  'JSON',
  'Object',
  'Array',
  'Math',
  'Date',
  'String',
  'Number',
  'Promise',
  'then',
  'catch',
  'map',
  'filter',
  'forEach',
  'push',
  'length',
  'prototype',
  'toString',
  'window',
  'document',
  'module',
  'exports',
  'return',
  'function',
  'const',
  'let',
  'var',
  'async',
  'await',
  'def',
  'class',
  'if',
  'for',
  'while',
  'in',
  'as',
  'with',
  'not',
  'and',
  'or',
  'is',
  'None',
  'True',
  'False',
  'null',
  'undefined',
  'new',
]);

/** The issue without its fenced code blocks: the title and the reporter's prose. */
export function withoutFences(text: string): string {
  return text.replace(FENCE, ' ');
}

export function readIssueText(text: string): IssueText {
  const blocks = [...text.matchAll(FENCE)].map((m) => m[1] ?? '');
  for (const m of text.matchAll(DOCTEST)) blocks.push(m[1] ?? '');
  // Trace lines pasted into a block are the trace's, read as frames; the rest is the code the issue runs.
  const code = withoutFrameLines(blocks.join('\n'));

  const codeIdentifiers = new Set<string>();
  for (const m of code.matchAll(CALL_OR_MEMBER)) {
    const id = m[1] ?? m[2] ?? '';
    if (id.length >= 2 && !CODE_NOISE.has(id)) codeIdentifiers.add(id);
  }
  const setupNames = snippetOwnNames(code, codeIdentifiers);
  for (const n of setupNames) codeIdentifiers.delete(n);

  const messages: string[] = [];
  const errorIdentifiers = new Set<string>();
  let signatureError = false;
  const addMessage = (raw: string): void => {
    for (const f of messageFragments(raw)) if (!messages.includes(f)) messages.push(f);
  };
  for (const m of text.matchAll(EXCEPTION_LINE)) {
    const body = m[2] ?? '';
    addMessage(body);
    if (SIGNATURE_ERROR.test(body)) signatureError = true;
    for (const id of body.matchAll(/([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\(/g))
      for (const part of (id[1] ?? '').split('.')) if (part.length >= 2 && !part.startsWith('__')) errorIdentifiers.add(part);
  }
  const prose = text.replace(FENCE, ' ');
  for (const m of prose.matchAll(QUOTED_PROSE)) {
    const s = m[2] ?? '';
    // A quoted sentence is a message; a quoted identifier or code is not.
    if (/\s\S+\s/.test(s) && !/[=;{}]|=>/.test(s)) addMessage(s);
  }

  const modules: ModuleMention[] = [];
  const addModule = (path: string, as: string, imported: boolean, names: string[] = []): void => {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (!clean || clean.split('/').some((s) => !s)) return;
    const prev = modules.find((x) => x.path === clean);
    if (prev) {
      for (const n of names) if (!prev.names.includes(n)) prev.names.push(n);
      prev.imported ||= imported;
      return;
    }
    modules.push({ path: clean, as, imported, names });
  };
  for (const m of text.matchAll(JS_IMPORT)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('.') || spec.startsWith('node:') || /^[a-z]+:/.test(spec)) continue;
    const at = m.index ?? 0;
    const line = text.slice(text.lastIndexOf('\n', at) + 1, (text.indexOf('\n', at) + 1 || text.length + 1) - 1);
    const before = modules.length;
    addModule(spec.replace(/\.[cm]?[jt]sx?$/, ''), spec, true);
    if (modules.length > before && BARE_IMPORT.test(line)) modules[modules.length - 1]!.bare = true;
  }
  for (const m of text.matchAll(PY_FROM)) {
    const names = (m[2] ?? '')
      .split(',')
      .map((s) => s.trim().split(/\s+/)[0] ?? '')
      .filter((s) => /^[A-Za-z_]\w*$/.test(s));
    addModule((m[1] ?? '').replace(/\./g, '/'), m[1] ?? '', true, names);
  }
  for (const m of text.matchAll(PY_IMPORT)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim().split(/\s+/)[0] ?? '';
      if (name) addModule(name.replace(/\./g, '/'), name, true);
    }
  }
  for (const m of text.matchAll(DOTTED)) {
    const dotted = m[1] ?? '';
    // `a.b` in prose is often a method call or a file name (`utils.py`); it names a module only if a file matches.
    if (/\.(py|js|ts|md|json|txt|html|css|com|org|io)$/i.test(dotted)) continue;
    addModule(dotted.replace(/\./g, '/'), dotted, false);
  }
  // A link's path may be a route the workspace serves (`/api/pin`); its query's keys are options (`show_icons`).
  const urlKeys = new Set<string>();
  for (const m of text.matchAll(URL)) {
    const [, path = '', query = ''] = m;
    const route = path.replace(/\/+$/, '');
    if (route && !/\.\w+$/.test(route) && route.split('/').length <= 4) {
      const before = modules.length;
      addModule(route, route, false);
      if (modules.length > before) modules[modules.length - 1]!.route = true;
    }
    for (const kv of query.split('&')) {
      const key = kv.split('=')[0] ?? '';
      if (/^[A-Za-z_][\w-]{3,60}$/.test(key)) urlKeys.add(key);
    }
  }
  for (const m of prose.matchAll(SLASHED)) {
    const p = m[1] ?? '';
    if (/^(https?|www)\b/.test(p) || p.includes('//')) continue;
    addModule(p, p, false);
  }

  const flags = [...new Set([...text.matchAll(FLAG)].map((m) => m[1] ?? '').filter((f) => f.length >= 5))];
  const configKeys = new Set<string>();
  for (const block of blocks) for (const m of block.matchAll(KEY_IN_SNIPPET)) configKeys.add(m[1] ?? '');
  for (const m of code.matchAll(KWARG)) configKeys.add(m[1] ?? '');
  for (const k of urlKeys) configKeys.add(k);
  const failingTests = new Set<string>();
  for (const m of text.matchAll(PYTEST_ID)) failingTests.add(m[1] ?? '');
  for (const m of text.matchAll(FAILING_JS)) failingTests.add(m[1] ?? '');

  const quotedNames = new Set<string>();
  for (const m of [...code.matchAll(QUOTED_NAME), ...text.matchAll(BACKTICK_QUOTED_NAME)]) quotedNames.add(m[1] ?? '');
  return {
    quotedNames: [...quotedNames].filter((n) => n.length >= 2),
    messages,
    modules,
    flags,
    configKeys: [...configKeys].filter((k) => /[_A-Z-]/.test(k.slice(1)) && !CODE_NOISE.has(k)),
    failingTests: [...failingTests],
    codeIdentifiers,
    errorIdentifiers,
    signatureError,
    setupNames,
  };
}

/**
 * The names a snippet declares for itself: parameters, local variables (not those an import binds), and import
 * bindings the snippet never calls or reads a member of (a plugin handed to `extend`, a component to `use`).
 */
function snippetOwnNames(code: string, used: ReadonlySet<string>): Set<string> {
  const own = new Set<string>();
  const imported = new Set<string>();
  for (const line of code.split('\n')) {
    const m = IMPORT_BINDING.exec(line);
    if (!m) continue;
    const names =
      m[3] !== undefined
        ? m[3].split(',').map(
            (p) =>
              p
                .trim()
                .split(/\s+as\s+/)
                .pop() ?? '',
          )
        : [m[1] ?? m[2] ?? m[4] ?? ''];
    for (const n of names) if (/^[A-Za-z_$][\w$]*$/.test(n)) imported.add(n);
    // A whole package bound by name (`import dayjs from 'dayjs'`, `const np = require('numpy')`) is what every issue
    // uses: its entry is credited as an import, and its name is no definition to look for.
    const spec = /['"]([^'"]+)['"]/.exec(line)?.[1] ?? '';
    const whole = m[1] ?? m[2] ?? m[4];
    if (whole && /^(@[\w.-]+\/)?[\w.-]+$/.test(spec)) own.add(whole);
  }
  for (const m of code.matchAll(PARAMS)) {
    const list = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    for (const p of list.split(',')) {
      const name = /^\s*\.{0,3}\s*\**([A-Za-z_$][\w$]*)/.exec(p)?.[1];
      if (name && name !== 'self' && name !== 'cls') own.add(name);
    }
  }
  for (const m of code.matchAll(LOCAL_VARIABLE)) {
    const name = m[1] ?? '';
    if (!imported.has(name)) own.add(name);
  }
  for (const n of imported) if (!used.has(n)) own.add(n);
  return own;
}

/**
 * The literal pieces of a message: the parts a source file would spell out, split where a program would interpolate
 * (quoted values, numbers, reprs, paths). `RST.__init__() got an unexpected keyword argument 'header_rows'` ->
 * `got an unexpected keyword argument`.
 */
export function messageFragments(message: string): string[] {
  const pieces = message.split(/'[^']*'|"[^"]*"|`[^`]*`|<[^>]*>|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|\b\d[\d.:,-]*\b|\S*[/\\]\S*|\s[:=]\s|[:;]\s|\.\s|\.$/).map((p) =>
    p
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^[^A-Za-z]+|[^A-Za-z)]+$/g, ''),
  );
  const out: string[] = [];
  for (const p of pieces) {
    const words = p.match(IDENT) ?? [];
    // Two words at least and some length: "is not" is in every file, "Invalid Date" in one.
    if (words.length >= 2 && p.length >= 10 && /\s/.test(p) && !out.includes(p)) out.push(p);
  }
  return out.slice(0, 6);
}
