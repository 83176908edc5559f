// The workspace code a server's command line would run. Consent to `node srv.mjs` is worthless if `srv.mjs` can be
// edited afterwards, so the consent hash covers the content of every workspace file the command line names (the
// command, each argument, each `--flag=value` value and each word of an env value such as NODE_OPTIONS), and for a
// `node`/`npx`/`npm`-style entry the workspace's package.json and lock file, which decide what `npx x` resolves to.
// What a named script imports in turn is not followed: SECURITY.md says so.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { sha256 } from '../pinning/hash.js';
import type { ConfiguredServer } from './types.js';

const NODE_LAUNCHERS = new Set(['node', 'nodejs', 'npx', 'npm', 'pnpm', 'pnpx', 'yarn', 'bun', 'bunx', 'deno', 'tsx', 'ts-node']);
const PACKAGE_FILES = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb'];
/** A directory given to `node` runs its package.json `main` or its index file. */
const DIRECTORY_ENTRIES = ['package.json', 'index.js', 'index.mjs', 'index.cjs'];
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface CodeFile {
  /** Workspace-relative, forward slashes. */
  path: string;
  /** sha256 of the bytes, or `missing`/`unreadable`/`too-large`. */
  hash: string;
}

function inside(root: string, p: string): string | undefined {
  const rel = relative(root, p);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split('\\').join('/');
}

function fileHash(abs: string): string {
  try {
    const st = lstatSync(abs);
    if (!st.isFile()) return st.isSymbolicLink() ? `link:${sha256(realpathSync(abs))}` : 'not-a-file';
    if (st.size > MAX_FILE_BYTES) return `too-large:${st.size}:${st.mtimeMs}`;
    return sha256(readFileSync(abs).toString('base64'));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
}

/** Words of the entry that may name a file: the command, args, `--x=value` values, env value words. */
function candidateWords(server: ConfiguredServer): string[] {
  const words = [server.command ?? '', ...server.args, ...Object.values(server.env).flatMap((v) => v.split(/\s+/))];
  return words.flatMap((w) => (w.includes('=') ? [w, w.slice(w.indexOf('=') + 1)] : [w])).filter((w) => w !== '' && !w.startsWith('-'));
}

/** The workspace files whose content the consent to `server` covers, sorted by path. */
export function codeFilesOf(server: ConfiguredServer, workspace: string): CodeFile[] {
  if (server.transport !== 'stdio') return [];
  let root: string;
  try {
    root = realpathSync(workspace);
  } catch {
    return [];
  }
  const expand = (t: string) => t.replace(/\$\{workspaceFolder\}/g, root);
  const cwd = server.cwd !== undefined ? resolve(root, expand(server.cwd)) : root;
  const found = new Map<string, string>();
  const add = (abs: string) => {
    const rel = inside(root, abs);
    if (rel !== undefined && !found.has(rel)) found.set(rel, fileHash(abs));
  };
  for (const word of candidateWords(server)) {
    const abs = resolve(cwd, expand(word));
    if (inside(root, abs) === undefined) continue;
    let isDir = false;
    try {
      isDir = lstatSync(abs).isDirectory();
    } catch {
      // a word that names nothing (yet) is left out: most words are not paths
      continue;
    }
    if (isDir) for (const f of DIRECTORY_ENTRIES) add(join(abs, f));
    else add(abs);
  }
  const launcher = basename(server.command ?? '').replace(/\.(cmd|exe)$/i, '');
  if (NODE_LAUNCHERS.has(launcher)) for (const f of PACKAGE_FILES) add(join(cwd, f));
  return [...found].map(([path, hash]) => ({ path, hash })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The hash consent is pinned to: the entry as written plus the content of the code it names. */
export function serverConsentHash(server: ConfiguredServer, files: CodeFile[]): string {
  if (files.length === 0) return server.hash;
  return sha256(`${server.hash}\n${files.map((f) => `${f.path}\0${f.hash}`).join('\n')}`);
}
