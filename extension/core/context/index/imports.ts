// Import edges: module specifiers lifted from JS/TS (`import`, `export ... from`, `require`, dynamic `import()`) and
// Python (`import a.b`, `from .a import b`), resolved to indexed files. Regexes rather than the syntax tree, so the
// edges exist even for languages whose grammar failed to load.
import { posix } from 'node:path';

const JS_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]{1,200})['"]/gm;
const PY_FROM = /^\s*from\s+(\.*[A-Za-z0-9_.]*)\s+import\b/gm;
const PY_IMPORT = /^\s*import\s+([A-Za-z0-9_.]+(?:\s*,\s*[A-Za-z0-9_.]+)*)/gm;

const JS_SUFFIXES = ['', '.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js', '/index.jsx', '/index.mjs'];

export function importSpecifiers(path: string, text: string): string[] {
  const out: string[] = [];
  if (/\.py[i]?$/.test(path)) {
    for (const m of text.matchAll(PY_FROM)) if (m[1]) out.push(`py:${m[1]}`);
    for (const m of text.matchAll(PY_IMPORT)) for (const name of (m[1] ?? '').split(',')) out.push(`py:${name.trim()}`);
    return out;
  }
  // Most of a large file has no import; skip the regex when no keyword can match.
  if (!text.includes('import') && !text.includes('require') && !text.includes('from')) return out;
  for (const m of text.matchAll(JS_SPECIFIER)) if (m[1]) out.push(m[1]);
  return out;
}

/** Resolves a specifier from `fromPath` to an indexed file, or undefined (packages, unresolvable paths). */
export function resolveImport(fromPath: string, specifier: string, has: (path: string) => boolean): string | undefined {
  const dir = posix.dirname(fromPath);
  if (specifier.startsWith('py:')) return resolvePython(dir, specifier.slice(3), has);
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return undefined;
  const base = posix.normalize(posix.join(dir, specifier));
  if (base.startsWith('..')) return undefined;
  // NodeNext sources import `./x.js` for `./x.ts`.
  const stripped = base.replace(/\.(m|c)?js$/, '');
  for (const candidate of [base, stripped]) {
    for (const suffix of JS_SUFFIXES) {
      const p = candidate + suffix;
      if (has(p)) return p;
    }
  }
  return undefined;
}

function resolvePython(dir: string, module: string, has: (path: string) => boolean): string | undefined {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const rest = module.slice(dots).replace(/\./g, '/');
  const bases: string[] = [];
  if (dots > 0) {
    let base = dir;
    for (let i = 1; i < dots; i++) base = posix.dirname(base);
    bases.push(base === '.' ? rest : rest ? `${base}/${rest}` : base);
  } else {
    bases.push(rest, `src/${rest}`, `lib/${rest}`);
  }
  for (const b of bases) {
    for (const p of [`${b}.py`, `${b}/__init__.py`]) if (has(p.replace(/^\.\//, '').replace(/^\//, ''))) return p.replace(/^\.\//, '').replace(/^\//, '');
  }
  return undefined;
}
